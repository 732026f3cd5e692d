"""BM25 over Arabic: normalised, name-folded, stop-word-free, Snowball-stemmed tokens (bm25s).

llama-index's `BM25Retriever` defaults to an English stemmer and a token pattern that
splits Arabic words at diacritics, so we tokenise ourselves and hand bm25s the tokens.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from assistant.normalize import arabic_stopwords, match_key


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("arabic")


def tokenize(text: str) -> list[str]:
    """Match keys of the content words of `text`, stemmed."""
    stop = arabic_stopwords()
    words = [w for w in match_key(text).split() if w not in stop and len(w) > 1 or w.isdigit()]
    return _stemmer().stemWords(words)


class BM25Index:
    """A bm25s index whose rows are chunk ids; persisted as a folder."""

    def __init__(self, model: bm25s.BM25, ids: list[str]) -> None:
        self.model = model
        self.ids = ids

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> "BM25Index":
        model = bm25s.BM25()
        model.index([tokenize(t) or ["∅"] for t in texts], show_progress=False)
        return cls(model, ids)

    def search(self, question: str, k: int) -> list[tuple[str, float]]:
        """Up to `k` (chunk id, score) pairs with a positive score, best first."""
        tokens = [t for t in tokenize(question) if t in self.model.vocab_dict]
        if not tokens or not self.ids:
            return []
        scores = self.model.get_scores(tokens)
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
