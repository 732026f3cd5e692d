"""Embed each distinct text once: vectors already stored (found by text key) are reused, the rest embedded."""

from __future__ import annotations

from typing import Callable

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.index.prepare import Prepared

Progress = Callable[[int], None]
"""Called with the number of texts just embedded."""


def sentence_vectors(prepared: Prepared, stored: Callable[[list[bytes]], dict[bytes, np.ndarray]],
                     embedder: BaseEmbedding, batch_size: int, progress: Progress | None = None) -> tuple[np.ndarray, int]:
    """One vector per sentence row of `prepared`, and how many texts had to be embedded."""
    rows = prepared.sentences
    keys = [s.key for s in rows]
    vectors: dict[bytes, np.ndarray] = dict(stored(list(dict.fromkeys(keys))))
    todo = list({s.key: s.text for s in rows if s.key not in vectors}.items())
    for at in range(0, len(todo), batch_size):
        batch = todo[at:at + batch_size]
        embedded = embedder.get_text_embedding_batch([text for _, text in batch])
        for (key, _), vector in zip(batch, embedded):
            vectors[key] = np.asarray(vector, dtype=np.float32)
        if progress is not None:
            progress(len(batch))
    dim = _dimension(vectors, embedder)
    out = np.vstack([vectors[k] for k in keys]).astype(np.float32) if keys else np.zeros((0, dim), np.float32)
    return out, len(todo)


def mean_vectors(members: list[list[int]], vectors: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per group of rows, the weighted mean of their vectors, L2-normalised (a chunk from its sentences)."""
    out = np.zeros((len(members), vectors.shape[1]), np.float32)
    for i, rows in enumerate(members):
        if rows:
            v = (vectors[rows] * weights[rows, None]).sum(axis=0)
            out[i] = v / (np.linalg.norm(v) or 1.0)
    return out


def similarities(vectors: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Inner products summed in float64 and rounded to float32: a sentence scores the same in whatever batch
    (and store) it is scored, so two overlapping chunks that share their best sentence tie exactly."""
    return (np.asarray(vectors, np.float64) @ np.asarray(query, np.float64)).astype(np.float32)


def rank_key(chunk_id: str, score: float) -> tuple[float, str, int]:
    """Best first; ties in document order (chunk ids are `doc#n`), in every store. Breaking the ties of
    overlapping chunks by their chunk vectors instead measured no better (docs/experiments.md)."""
    doc, _, n = chunk_id.rpartition("#")
    return (-score, doc, int(n) if n.isdigit() else 0)


def _dimension(vectors: dict[bytes, np.ndarray], embedder: BaseEmbedding) -> int:
    for v in vectors.values():
        return int(v.shape[0])
    return len(embedder.get_query_embedding("dimension"))
