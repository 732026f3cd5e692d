"""Hybrid retrieval: dense (e5 vectors) and BM25 (Arabic stems) from the store, fused by reciprocal rank.

Dense search finds paraphrases and English questions; BM25 finds exact names, numbers and
dates. On Arabic (MIRACL-ar) their fusion beats either alone by a wide margin.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator, Literal, Protocol

from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.index.base import Ranked, Store
from assistant.retrieval.question import validate_question
from assistant.settings import Settings
from assistant.types import Hit, Query, SearchFilters, SearchResult

Mode = Literal["hybrid", "dense", "bm25"]
STAGES = ("embed", "dense", "bm25", "fuse")


class Reranker(Protocol):
    """Reorders fused hits (pluggable, off by default: no multilingual cross-encoder ships offline)."""

    def rerank(self, question: str, hits: list[Hit]) -> list[Hit]: ...


class HybridRetriever:
    """Answers `search(query)` over a store."""

    def __init__(self, store: Store, embedder: BaseEmbedding, settings: Settings,
                 reranker: Reranker | None = None, filters: SearchFilters | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.reranker = reranker
        self.filters = filters
        """Applied to every search (a retriever for one publisher or period: see `filtered`)."""

    def filtered(self, filters: SearchFilters | None) -> "HybridRetriever":
        """The same retriever, searching only the documents `filters` allows."""
        return HybridRetriever(self.store, self.embedder, self.settings, self.reranker, filters or None)

    def search(self, query: Query | str, k: int | None = None, mode: Mode = "hybrid",
               filters: SearchFilters | None = None) -> SearchResult:
        """The best `k` passages for `query` (a text is checked and tokenised first), among the documents
        `filters` (or the retriever's own filters) allow."""
        if isinstance(query, str):
            query = Query.of(validate_question(query))
        k = k or self.settings.top_k
        filters = filters or self.filters
        timings: dict[str, float] = {}
        started = time.perf_counter()
        dense: Ranked = []
        lexical: Ranked = []
        vector = None
        if mode in ("hybrid", "dense"):
            with _timer(timings, "embed"):
                vector = self.embedder.get_query_embedding(query.text)
            with _timer(timings, "dense"):
                dense = self.store.dense_search(vector, self.settings.dense_k, filters)
        if mode in ("hybrid", "bm25"):
            with _timer(timings, "bm25"):
                lexical = self.store.lexical_search(query.tokens, self.settings.bm25_k, filters)
        with _timer(timings, "fuse"):
            hits = self._fuse(dense, lexical, mode)
            if self.reranker is not None:
                hits = self.reranker.rerank(query.text, hits)
            hits = [Hit(i + 1, h.chunk, h.score, h.dense_rank, h.bm25_rank) for i, h in enumerate(hits[:k])]
        for stage in STAGES:
            timings.setdefault(stage, 0.0)
        timings["total"] = (time.perf_counter() - started) * 1000
        return SearchResult(query.text, hits, timings, vector)

    def _fuse(self, dense: Ranked, lexical: Ranked, mode: Mode) -> list[Hit]:
        dense_rank = {cid: r for r, (cid, _) in enumerate(dense, start=1)}
        bm25_rank = {cid: r for r, (cid, _) in enumerate(lexical, start=1)}
        if mode == "dense":
            scores = dict(dense)
        elif mode == "bm25":
            scores = dict(lexical)
        else:
            scores = reciprocal_rank_fusion([list(dense_rank), list(bm25_rank)], self.settings.rrf_k)
        ordered = sorted(scores, key=lambda cid: (-scores[cid], cid))
        chunks = self.store.chunks_by_id(ordered)
        return [Hit(0, chunks[cid], scores[cid], dense_rank.get(cid), bm25_rank.get(cid))
                for cid in ordered if cid in chunks]


def reciprocal_rank_fusion(rankings: list[list[str]], k: int = 60) -> dict[str, float]:
    """RRF (Cormack et al., 2009): sum of 1/(k + rank) over the rankings an item appears in."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return fused


@contextmanager
def _timer(timings: dict[str, float], name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    timings[name] = (time.perf_counter() - started) * 1000
