"""Searching the Milvus store, ranked as the FAISS store ranks (`snapshot._segment_dense`, `lexical.Lexical`).

Dense: candidates are the nearest chunk vectors (k) and the chunks of the nearest sentence vectors (2k),
each scored by its best sentence, exactly; so a chunk is found by the one sentence that answers, however
long it is. The sentences of the candidates' documents come in one query and stay cached for answering
(`MilvusStore.sentence`). BM25: over our hex-encoded stems; lite returns distances negated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from assistant.index import milvus_schema as schema
from assistant.index.base import Ranked
from assistant.index.vectors import rank_key, similarities
from assistant.types import SearchFilters

if TYPE_CHECKING:
    from assistant.index.milvus_store import MilvusStore

SENTENCE_FIELDS = ["doc_id", "start", "end", "tokens", "vector", "chunk_ids"]


@dataclass(frozen=True)
class SentenceRow:
    start: int
    end: int
    tokens: tuple[str, ...]
    vector: np.ndarray
    chunk_ids: tuple[str, ...]


def dense(store: "MilvusStore", vector: Sequence[float], k: int, filters: SearchFilters | None) -> Ranked:
    query = np.asarray(vector, dtype=np.float32)
    chunk_hits = _search(store, "chunks", "dense", [float(x) for x in query], k, filters, ["chunk_id", "doc_id"])
    sentence_hits = _search(store, "sentences", "vector", [float(x) for x in query], 2 * k, filters,
                            ["doc_id", "chunk_ids"])
    candidates = {hit["chunk_id"]: hit["doc_id"] for hit in chunk_hits}
    for hit in sentence_hits:
        candidates.update({cid: hit["doc_id"] for cid in json.loads(hit["chunk_ids"])})
    rows = doc_sentences(store, set(candidates.values()))
    best: dict[str, float] = {}
    for doc_id in set(candidates.values()):
        doc_rows = [row for row in rows.get(doc_id, []) if any(cid in candidates for cid in row.chunk_ids)]
        if not doc_rows:
            continue
        scores = similarities(np.vstack([row.vector for row in doc_rows]), query)
        for row, score in zip(doc_rows, scores):
            for cid in row.chunk_ids:
                if cid in candidates:
                    best[cid] = max(best.get(cid, float("-inf")), float(score))
    return _ranked((cid, best.get(cid, 0.0)) for cid in candidates)[:k]  # no sentences: 0, as in FAISS


def lexical(store: "MilvusStore", tokens: Sequence[str], k: int, filters: SearchFilters | None) -> Ranked:
    hits = _search(store, "chunks", "sparse", schema.encode(tokens), k, filters, ["chunk_id"], {"metric_type": "BM25"})
    return _ranked((hit["chunk_id"], abs(float(hit["distance"]))) for hit in hits if hit["distance"])


def hybrid(store: "MilvusStore", vector: Sequence[float], tokens: Sequence[str], k: int,
           filters: SearchFilters | None) -> Ranked:
    """Dense (chunk vectors) and BM25 fused by reciprocal rank on the server, in one round trip."""
    from pymilvus import AnnSearchRequest, RRFRanker

    expr, s = schema.filter_expr(filters), store.settings
    requests = [AnnSearchRequest([[float(x) for x in vector]], "dense", _dense_params(store), s.dense_k, expr=expr)]
    if tokens:
        requests.append(AnnSearchRequest([schema.encode(tokens)], "sparse", {"metric_type": "BM25"}, s.bm25_k,
                                         expr=expr))
    found = schema.retried("hybrid search", lambda: store.client.hybrid_search(
        store.names["chunks"], requests, ranker=RRFRanker(s.rrf_k), limit=k, output_fields=["chunk_id"]), store.uri)
    return [(hit["chunk_id"], float(hit["distance"])) for hit in found[0]]


def doc_sentences(store: "MilvusStore", doc_ids: Iterable[str]) -> dict[str, list[SentenceRow]]:
    """The documents' sentences (vector, stems, chunks), read in one query per 64 documents not yet cached."""
    cache: dict[str, list[SentenceRow]] = store.cached("sentences", dict)
    missing = sorted(d for d in set(doc_ids) if d not in cache)
    for at in range(0, len(missing), 64):
        batch = missing[at:at + 64]
        cache.update({d: [] for d in batch})
        for r in store.db.query("sentences", f"doc_id in {schema.quoted(batch)}", SENTENCE_FIELDS):
            cache[r["doc_id"]].append(SentenceRow(int(r["start"]), int(r["end"]), tuple(json.loads(r["tokens"])),
                                                  np.asarray(r["vector"], dtype=np.float32),
                                                  tuple(json.loads(r["chunk_ids"]))))
    return cache


def _search(store: "MilvusStore", key: str, field: str, data: object, k: int, filters: SearchFilters | None,
            fields: list[str], params: dict | None = None) -> list:
    found = schema.retried(f"{key} search", lambda: store.client.search(
        store.names[key], data=[data], anns_field=field, limit=k, filter=schema.filter_expr(filters),
        search_params=params or _dense_params(store), output_fields=fields), store.uri)
    return list(found[0])


def _dense_params(store: "MilvusStore") -> dict:
    return {"metric_type": "IP", "params": schema.SEARCH_PARAMS[store.settings.milvus_index]}


def _ranked(scores: Iterable[tuple[str, float]]) -> Ranked:
    """Best first; ties in document order, as the FAISS store breaks them."""
    return sorted(scores, key=lambda item: rank_key(*item))
