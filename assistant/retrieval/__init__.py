"""Retrieval: a question in, the passages that may answer it out.

`question` analyses the typed text once into a `Question` (tokens, form, the standalone form of a
follow-up, see `followup`); `hybrid` searches the store densely (e5) and lexically (BM25) and fuses the two
rankings by reciprocal rank; `rerankers` may reorder the fused hits (off by default).
"""
