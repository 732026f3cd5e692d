"""Ingestion: article files in, clean documents and their chunks out.

`loaders` reads .txt/.md/.html/.jsonl files into RawArticles (one clear error per bad file); `cleaning`
strips the page furniture and records title, publisher and author; `corpus` keeps the bundled and the
user's articles (`listing` pages them, `fulltext` searches their words); `chunking` cuts documents into passages
of whole sentences with exact offsets.
"""
