"""Hybrid retrieval: dense (FAISS through llama-index) and BM25, fused by reciprocal rank.

Dense search finds paraphrases and English questions; BM25 finds exact names, numbers and
dates. On Arabic (MIRACL-ar) their fusion beats either alone by a wide margin.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal, Protocol

from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.retrievers import VectorIndexRetriever
from llama_index.core.schema import QueryBundle

from assistant.documents import Chunk
from assistant.errors import InputError
from assistant.index_store import LoadedIndex
from assistant.settings import Settings

Mode = Literal["hybrid", "dense", "bm25"]
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with its fused score and where each retriever ranked it (1-based)."""

    rank: int
    chunk: Chunk
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None


@dataclass
class SearchResult:
    question: str
    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)


class Reranker(Protocol):
    """Reorders fused hits (pluggable, off by default: no multilingual cross-encoder ships offline)."""

    def rerank(self, question: str, hits: list[Hit]) -> list[Hit]: ...


class HybridRetriever:
    """Answers `search(question)` over a loaded index."""

    def __init__(self, index: LoadedIndex, embedder: BaseEmbedding, settings: Settings,
                 reranker: Reranker | None = None) -> None:
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self.reranker = reranker
        self._dense = VectorIndexRetriever(index=index.vector_index, similarity_top_k=settings.dense_k,
                                           embed_model=embedder)

    def search(self, question: str, k: int | None = None, mode: Mode = "hybrid") -> SearchResult:
        question = validate_question(question)
        k = k or self.settings.top_k
        timings: dict[str, float] = {}
        started = time.perf_counter()
        dense: list[tuple[str, float]] = []
        lexical: list[tuple[str, float]] = []
        if mode in ("hybrid", "dense"):
            with _timer(timings, "embed"):
                vector = self.embedder.get_query_embedding(question)
            with _timer(timings, "dense"):
                found = self._dense.retrieve(QueryBundle(query_str=question, embedding=vector))
                dense = [(n.node.node_id, float(n.score or 0.0)) for n in found]
        if mode in ("hybrid", "bm25"):
            with _timer(timings, "bm25"):
                lexical = self.index.bm25.search(question, self.settings.bm25_k)
        with _timer(timings, "fuse"):
            hits = self._fuse(dense, lexical, mode)
            if self.reranker is not None:
                hits = self.reranker.rerank(question, hits)
            hits = [Hit(i + 1, h.chunk, h.score, h.dense_rank, h.bm25_rank) for i, h in enumerate(hits[:k])]
        for stage in ("embed", "dense", "bm25", "fuse"):
            timings.setdefault(stage, 0.0)
        timings["total"] = (time.perf_counter() - started) * 1000
        return SearchResult(question, hits, timings)

    def _fuse(self, dense: list[tuple[str, float]], lexical: list[tuple[str, float]], mode: Mode) -> list[Hit]:
        dense_rank = {cid: r for r, (cid, _) in enumerate(dense, start=1)}
        bm25_rank = {cid: r for r, (cid, _) in enumerate(lexical, start=1)}
        if mode == "dense":
            scores = dict(dense)
        elif mode == "bm25":
            scores = dict(lexical)
        else:
            scores = reciprocal_rank_fusion([list(dense_rank), list(bm25_rank)], self.settings.rrf_k)
        ordered = sorted(scores, key=lambda cid: (-scores[cid], cid))
        return [Hit(0, self.index.chunks[cid], scores[cid], dense_rank.get(cid), bm25_rank.get(cid))
                for cid in ordered if cid in self.index.chunks]


def reciprocal_rank_fusion(rankings: list[list[str]], k: int = 60) -> dict[str, float]:
    """RRF (Cormack et al., 2009): sum of 1/(k + rank) over the rankings an item appears in."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return fused


def validate_question(question: str) -> str:
    """Strip and check a question; an empty or huge one is a clear InputError."""
    question = (question or "").strip()
    if not question:
        raise InputError("the question is empty (السؤال فارغ)")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(f"the question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}")
    return question


class _timer:
    def __init__(self, timings: dict[str, float], name: str) -> None:
        self.timings, self.name = timings, name

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.timings[self.name] = (time.perf_counter() - self.started) * 1000
