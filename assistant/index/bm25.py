"""BM25 over Arabic stems with bm25s: rows are chunk ids; the tokens come from `arabic.morphology.tokenize`.

llama-index's `BM25Retriever` defaults to an English stemmer and a token pattern that splits Arabic words
at diacritics, so we tokenise ourselves (normalised, name-folded, stop-word-free Light10 stems) and hand
bm25s the tokens.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import bm25s
import numpy as np

from assistant.arabic.morphology import tokenize

_EMPTY = "∅"
"""The placeholder token of a passage with no content word (bm25s needs one)."""


class BM25Index:
    """A bm25s index whose rows are chunk ids; persisted as a folder."""

    def __init__(self, model: bm25s.BM25, ids: list[str]) -> None:
        self.model = model
        self.ids = ids
        indptr = np.asarray(model.scores["indptr"])
        self._df = np.diff(indptr)
        self._n = int(model.scores["num_docs"])
        self.vocabulary = frozenset(t for t in model.vocab_dict if t and t != _EMPTY)
        """Every stemmed token of the corpus (does the corpus mention X at all?)."""

    def idf(self, token: str) -> float:
        """BM25's idf of a stemmed token; a token the corpus never uses gets the highest value."""
        column = self.model.vocab_dict.get(token)
        df = int(self._df[column]) if column is not None and column < len(self._df) else 0
        return float(np.log((self._n - df + 0.5) / (df + 0.5) + 1.0))

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> "BM25Index":
        return cls.from_tokens(ids, [tokenize(t) for t in texts])

    @classmethod
    def from_tokens(cls, ids: list[str], tokens: list[list[str]]) -> "BM25Index":
        """From already tokenised passages (an empty one gets a placeholder token)."""
        model = bm25s.BM25()
        model.index([t or [_EMPTY] for t in tokens], show_progress=False)
        return cls(model, ids)

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """Every row's BM25 score for these query tokens (all zero when none is in the corpus)."""
        known = [t for t in tokens if t in self.model.vocab_dict]
        if not known or not self.ids:
            return np.zeros(len(self.ids), dtype=np.float32)
        return self.model.get_scores(known)

    def search(self, tokens: Sequence[str], k: int) -> list[tuple[str, float]]:
        """Up to `k` (chunk id, score) pairs with a positive score, best first."""
        scores = self.scores(tokens)
        if not scores.any():
            return []
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def save(self, folder: Path) -> None:
        self.model.save(str(folder))
        (folder / "ids.json").write_text(json.dumps(self.ids, ensure_ascii=False), "utf-8")

    @classmethod
    def load(cls, folder: Path) -> "BM25Index":
        model = bm25s.BM25.load(str(folder))
        ids = json.loads((folder / "ids.json").read_text("utf-8"))
        return cls(model, ids)
