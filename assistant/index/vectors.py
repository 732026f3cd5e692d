"""Embed texts once: vectors are kept by the hash of their text and reused by every later build."""

from __future__ import annotations

import hashlib

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from tqdm import tqdm


def embed_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Text hash -> vector, filled from a previous build and by embedding what is missing."""

    def __init__(self, embedder: BaseEmbedding, batch_size: int) -> None:
        self.embedder = embedder
        self.batch_size = batch_size
        self._vectors: dict[str, np.ndarray] = {}

    def put(self, key: str, vector: np.ndarray) -> None:
        self._vectors[key] = vector

    def embed(self, texts: list[str], what: str) -> tuple[np.ndarray, int]:
        """Vectors for `texts` (row-aligned) and how many came from the cache."""
        keys = [embed_key(t) for t in texts]
        todo = list({k: i for i, k in reversed(list(enumerate(keys))) if k not in self._vectors}.values())
        with tqdm(total=len(todo), desc=f"embedding {what}", unit=what[:-1], disable=not todo or None) as bar:
            for at in range(0, len(todo), self.batch_size):
                rows = todo[at:at + self.batch_size]
                embedded = self.embedder.get_text_embedding_batch([texts[i] for i in rows])
                for i, vec in zip(rows, embedded):
                    self._vectors[keys[i]] = np.asarray(vec, dtype=np.float32)
                bar.update(len(rows))
        if not texts:
            return np.zeros((0, len(self.embedder.get_query_embedding("dimension"))), dtype=np.float32), 0
        return np.vstack([self._vectors[k] for k in keys]).astype(np.float32), len(texts) - len(todo)
