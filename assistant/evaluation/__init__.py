"""Evaluation: retrieval metrics now; answer metrics build on the same data files."""
