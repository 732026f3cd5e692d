"""How much each word of a question weighs when its sentences are scored, ranked and checked: BM25's idf among
the passages found for that question, not across the whole index.

Why: the index's idf depends on what else the corpus holds. Among the 7 bundled articles on one story «كوريا»
is in every passage and weighs 0.1; with 2,000 unrelated news articles beside them it weighs 3.8, so a sentence
that shares only the story's words with a near miss covers "most" of the question. There, 4 of the dev set's 10
unanswerable questions were answered and two holdout answers lost their key fact to sentences full of the
story's names (docs/experiments.md). Weighed among the passages the two retrievers returned (dense top
`dense_k` together with BM25 top `bm25_k`), a word means what it means among the question's neighbours however
large the archive; on a corpus no larger than that neighbourhood the weights are the index's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from assistant.arabic.morphology import tokenize

if TYPE_CHECKING:
    from assistant.index.base import Store
    from assistant.types import Hit


def bm25_idf(n: int, df: int) -> float:
    """BM25's idf of a word found in `df` of `n` passages (the formula of the index's own, `BM25Index.idf`)."""
    return float(np.log((n - df + 0.5) / (df + 0.5) + 1.0))


class FoundIdf:
    """BM25's idf over `passages`; a word none of them holds keeps the index's weight (`fallback`), so that a
    word the corpus uses elsewhere is not taken for one it never uses."""

    def __init__(self, passages: Sequence[Hit], fallback: Callable[[str], float]) -> None:
        self.passages = [set(tokenize(h.chunk.text)) for h in passages]
        self.fallback = fallback
        self._cache: dict[str, float] = {}

    def __call__(self, token: str) -> float:
        if token not in self._cache:
            df = sum(token in p for p in self.passages)
            self._cache[token] = bm25_idf(len(self.passages), df) if df else self.fallback(token)
        return self._cache[token]


class WeighedStore:
    """The index as one question's answer stages see it: `idf` is the question's `FoundIdf`, everything else is
    the store's. A view made per question (`Answerer.weighed`), so concurrent questions never share weights."""

    def __init__(self, store: Store, idf: Callable[[str], float]) -> None:
        self._store = store
        self.idf = idf

    def __getattr__(self, name: str):  # noqa: ANN204 - whatever the store has
        return getattr(self._store, name)


__all__ = ["FoundIdf", "WeighedStore", "bm25_idf"]
