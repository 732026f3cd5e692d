"""Retrieval latency per stage at growing corpus sizes, FAISS index types, and llama-index baselines.

Scaled corpora are built from the real chunks: real texts with a random tenth of their words
dropped, and real e5 vectors with small Gaussian noise (renormalised), so BM25 and FAISS face
realistic vocabularies and geometry without embedding 10^5 passages on 2 cores.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import faiss
import numpy as np

from assistant.app.wiring import Pipeline
from assistant.arabic.morphology import tokenize
from assistant.index.bm25 import BM25Index
from assistant.index.segments import make_faiss_index
from assistant.retrieval.hybrid import reciprocal_rank_fusion

NOISE = 0.03


@dataclass
class StageTimes:
    size: int
    index_type: str
    embed: list[float]
    dense: list[float]
    bm25: list[float]
    fuse: list[float]
    total: list[float]
    recall_at_10: float
    build_s: float
    baseline_dense: list[float]


def scaled_corpus(pipeline: Pipeline, size: int, seed: int = 0) -> tuple[list[list[str]], np.ndarray]:
    """`size` passages as BM25 tokens and vectors: the real ones first, then synthetic ones.

    A synthetic passage joins the first half of one real chunk to the second half of another
    (minus a random tenth of the tokens); its vector is a random mix of two real chunk or
    sentence vectors plus noise, renormalised. Mixing spreads the vectors over the space the
    model uses: near-copies of a few dozen vectors would make every neighbour search a tie.
    Tokens are made from pre-tokenised halves, so 10^6 passages take seconds, not an hour.
    """
    rng = np.random.default_rng(seed)
    real = [tokenize(c.text) for c in pipeline.store.chunks()]
    halves = [(t[:len(t) // 2], t[len(t) // 2:]) for t in real]
    chunk_vectors, sentence_vectors = pipeline.store.vectors()
    pool = np.vstack([chunk_vectors, sentence_vectors])
    out_tokens, out_vectors = list(real[:size]), [chunk_vectors[:size]]
    extra = size - len(out_tokens)
    pairs = rng.integers(len(halves), size=(extra, 2))
    for a, b in pairs:
        joined = halves[a][0] + halves[b][1]
        keep = rng.random(len(joined)) > 0.1
        out_tokens.append([t for t, k in zip(joined, keep) if k])
    if extra:
        i, j = rng.integers(len(pool), size=(2, extra))
        mix = rng.random((extra, 1)).astype(np.float32)
        vectors = mix * pool[i] + (1 - mix) * pool[j] + rng.normal(0, NOISE, (extra, pool.shape[1])).astype(np.float32)
        out_vectors.append(vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    return out_tokens, np.vstack(out_vectors).astype(np.float32)


def faiss_index(vectors: np.ndarray, kind: str) -> faiss.Index:
    """The same index the product builds (segments.make_faiss_index), forced to one kind."""
    return make_faiss_index(vectors, hnsw_above=len(vectors) if kind == "flat" else 0)


def simple_vector_store_query(vectors: np.ndarray, questions: np.ndarray, k: int) -> list[float]:
    """llama-index's default in-memory store (SimpleVectorStore), with the same embeddings."""
    from llama_index.core.vector_stores import SimpleVectorStore
    from llama_index.core.vector_stores.types import VectorStoreQuery
    from llama_index.core.schema import TextNode

    store = SimpleVectorStore()
    store.add([TextNode(id_=str(i), text="", embedding=v.tolist()) for i, v in enumerate(vectors)])
    times = []
    for q in questions:
        started = time.perf_counter()
        store.query(VectorStoreQuery(query_embedding=q.tolist(), similarity_top_k=k))
        times.append((time.perf_counter() - started) * 1000)
    return times


def bench_size(pipeline: Pipeline, questions: list[str], size: int, repeats: int,
               baseline: bool) -> list[StageTimes]:
    """Per-stage latency at `size` passages for the exact and the HNSW index."""
    tokens, vectors = scaled_corpus(pipeline, size)
    started = time.perf_counter()
    bm25 = BM25Index.from_tokens([str(i) for i in range(size)], tokens)
    del tokens
    bm25_build = time.perf_counter() - started
    embedder, k = pipeline.embedder, pipeline.settings.dense_k
    q_vectors = np.asarray([embedder.get_query_embedding(q) for q in questions], dtype=np.float32)
    exact = faiss_index(vectors, "flat")
    _, truth = exact.search(q_vectors, 10)
    baseline_times = simple_vector_store_query(vectors, q_vectors, k) if baseline else []
    results = []
    for kind in ("flat", "hnsw"):
        started = time.perf_counter()
        index = exact if kind == "flat" else faiss_index(vectors, "hnsw")
        build_s = time.perf_counter() - started + bm25_build
        _, found = index.search(q_vectors, 10)
        recall = float(np.mean([len(set(found[i]) & set(truth[i])) / 10 for i in range(len(questions))]))
        times = StageTimes(size, kind, [], [], [], [], [], recall, build_s, baseline_times)
        for _ in range(repeats):
            for question in questions:
                t0 = time.perf_counter()
                vector = np.asarray([embedder.get_query_embedding(question)], dtype=np.float32)
                t1 = time.perf_counter()
                _, ids = index.search(vector, k)
                t2 = time.perf_counter()
                lexical = bm25.search(tokenize(question), pipeline.settings.bm25_k)
                t3 = time.perf_counter()
                reciprocal_rank_fusion([[str(i) for i in ids[0] if i >= 0], [cid for cid, _ in lexical]],
                                       pipeline.settings.rrf_k)
                t4 = time.perf_counter()
                for name, value in (("embed", t1 - t0), ("dense", t2 - t1), ("bm25", t3 - t2), ("fuse", t4 - t3),
                                    ("total", t4 - t0)):
                    getattr(times, name).append(value * 1000)
        results.append(times)
    return results


def real_retriever_latency(pipeline: Pipeline, questions: list[str], repeats: int) -> list[float]:
    """The product path (llama-index retriever + docstore + BM25 + RRF) on the real index."""
    times = []
    for _ in range(repeats):
        for question in questions:
            times.append(pipeline.retriever.search(question).timings_ms["total"])
    return times
