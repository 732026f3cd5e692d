"""`assistant bench --store faiss,milvus`: the two stores' engines side by side on the same scaled corpus.

The corpus is `retrieval.scaled_corpus` (real chunks, then synthetic ones mixed from them), so both engines
hold the same stems and vectors. FAISS: the index the product builds at that size plus our BM25
(`bm25.BM25Index`); Milvus: milvus-lite in a temporary folder with the store's own collection schema (the
configured dense index, BM25 over hex stems). Recall@5 is against exact dense search (and, for BM25, against
our BM25's top 5, plainly and tie-aware: `top5_agreement`). Also measured: the embedder's throughput in one
process (the input of the ingest plan in docs/scaling.md) and Milvus's write rate. Projections for a
cluster are computed in `docs/scaling.md`.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant.app.wiring import Pipeline
from assistant.bench import _log
from assistant.arabic.morphology import tokenize
from assistant.bench.ingest_rates import ingest_rates, render_ingest
from assistant.bench.retrieval import faiss_index, scaled_corpus
from assistant.evaluation.stats import median, percentile
from assistant.index import milvus_schema as schema
from assistant.index.bm25 import BM25Index
from assistant.retrieval.hybrid import reciprocal_rank_fusion

STORES = ("faiss", "milvus")
TIE_TOLERANCE = 1e-6
"""Relative: bm25s's float32 scores of passages with the same terms and length are equal to within this."""
Truth = tuple[list[str], frozenset[str]]
"""`bm25_top5`'s answer for one question."""
WARM_UP = 10
"""Untimed queries per store and size before the timed ones."""


def compare_stores(pipeline: Pipeline, questions: list[str], sizes: list[int], stores: list[str],
                   repeats: int, ray: bool = True, ingest: tuple[Path, int] | None = None) -> dict:
    """Only the queries are embedded: the corpora are `scaled_corpus`'s (real vectors mixed with noise).
    `ingest` (SaudiNewsNet's folder, N articles): also time N articles' ingest with and without Ray."""
    s = pipeline.settings
    q_vectors = np.asarray([pipeline.embedder.get_query_embedding(q) for q in questions], dtype=np.float32)
    q_tokens = [tokenize(q) for q in questions]
    report: dict = {"embedding": embed_throughput(pipeline, ray=ray), "sizes": []}
    if ingest is not None:
        _log(f"ingest of {ingest[1]} articles with and without Ray")
        report["ingest"] = ingest_rates(s, ingest[0], ingest[1], ray=ray)
    for size in sizes:
        _log(f"stores at {size:,} chunks")
        tokens, vectors = scaled_corpus(pipeline, size)
        truth = faiss_index(vectors, "flat").search(q_vectors, 5)[1]
        bm25 = BM25Index.from_tokens([str(i) for i in range(size)], tokens)
        bm25_truth = [bm25_top5(bm25, t) for t in q_tokens]
        row: dict = {"size": size}
        if "faiss" in stores:
            index = faiss_index(vectors, "flat" if size <= s.faiss_hnsw_above else "hnsw")
            row["faiss"] = _timed(repeats, q_vectors, q_tokens, truth, bm25_truth,
                                  lambda v: [str(i) for i in index.search(v[None, :], s.dense_k)[1][0]],
                                  lambda t: [cid for cid, _ in bm25.search(t, s.bm25_k)], None, s.rrf_k)
        if "milvus" in stores:
            row["milvus"] = _milvus(pipeline, tokens, vectors, repeats, q_vectors, q_tokens, truth, bm25_truth)
        report["sizes"].append(row)
    return report


def embed_throughput(pipeline: Pipeline, n: int = 128, ray: bool = True) -> dict:
    """Texts per second through the configured embedder in this process, and through `RayEmbedder` on a local
    Ray with this machine's CPUs (its second job: the first also starts the actors), when Ray is installed."""
    texts = [s for c in pipeline.store.chunks() for s in c.text.split(".") if len(s.split()) > 3][:n]
    started = time.perf_counter()
    for at in range(0, len(texts), pipeline.settings.embed_batch_size):
        pipeline.embedder.get_text_embedding_batch(texts[at:at + pipeline.settings.embed_batch_size])
    seconds = time.perf_counter() - started
    out = {"texts": len(texts), "seconds": seconds, "per_s": len(texts) / seconds}
    try:
        from assistant.index.ray_embed import RayEmbedder, ray_settings
    except ImportError:
        return out
    if ray:
        on_ray = RayEmbedder(pipeline.embedder, ray_settings(pipeline.settings))
        try:
            on_ray.get_text_embedding_batch(texts)
            started = time.perf_counter()
            on_ray.get_text_embedding_batch(texts)
            out.update(ray_actors=on_ray.actors, ray_per_s=len(texts) / (time.perf_counter() - started))
        finally:
            on_ray.close()
    return out


def bm25_top5(bm25: BM25Index, tokens: list[str]) -> Truth:
    """Our BM25's top 5 ids, best first, and every id scoring at least the 5th best (ties included)."""
    top = bm25.search(tokens, 5)
    if not top:
        return [], frozenset()
    scores = bm25.scores(tokens)
    cut = top[-1][1] * (1 - TIE_TOLERANCE)
    return [cid for cid, _ in top], frozenset(bm25.ids[i] for i in np.flatnonzero(scores >= cut))


def top5_agreement(found: list[str], truth: Truth) -> tuple[float, float] | None:
    """Share of our BM25's top 5 in the store's top 5 `found`: plainly, and tie-aware (a found passage that
    scores as well as our 5th best counts too: passages tied at the cut-off are ordered arbitrarily by either
    engine, and the scaled corpus has many). None when our BM25 matches nothing: no ranking to agree with."""
    want, at_least_cut = truth
    if not want:
        return None
    top = found[:5]
    return len(set(top) & set(want)) / len(want), min(1.0, len(set(top) & at_least_cut) / len(want))


def _milvus(pipeline: Pipeline, tokens: list[list[str]], vectors: np.ndarray, repeats: int, q_vectors: np.ndarray,
            q_tokens: list[list[str]], truth: np.ndarray, bm25_truth: list[Truth]) -> dict:
    from pymilvus import AnnSearchRequest, MilvusClient, RRFRanker

    s = pipeline.settings
    with tempfile.TemporaryDirectory() as folder:
        client = MilvusClient(str(Path(folder) / "bench.db"))
        schema.create_collections(client, "bench", vectors.shape[1], s.milvus_index)
        db = schema.Collections(client, "bench", str(folder))
        started = time.perf_counter()
        db.upsert("chunks", [{"chunk_id": str(i), "doc_id": str(i), "title": "", "source": "", "date": "",
                              "day": -1, "start": 0, "end": 0, "text": "", "stems": schema.encode(t),
                              "dense": v.tolist()} for i, (t, v) in enumerate(zip(tokens, vectors))])
        db.flush()  # as the store does after a write: rows left in a growing segment are searched one by one
        write_s = time.perf_counter() - started
        params = {"metric_type": "IP", "params": schema.SEARCH_PARAMS[s.milvus_index]}

        def dense(v: np.ndarray) -> list[str]:
            return [h["chunk_id"] for h in client.search("bench_chunks", [v.tolist()], anns_field="dense",
                                                         limit=s.dense_k, search_params=params,
                                                         output_fields=["chunk_id"])[0]]

        def lexical(t: list[str]) -> list[str]:
            return [h["chunk_id"] for h in client.search("bench_chunks", [schema.encode(t)], anns_field="sparse",
                                                         limit=s.bm25_k, search_params={"metric_type": "BM25"},
                                                         output_fields=["chunk_id"])[0]]

        def hybrid(v: np.ndarray, t: list[str]) -> list[str]:
            requests = [AnnSearchRequest([v.tolist()], "dense", params, s.dense_k),
                        AnnSearchRequest([schema.encode(t)], "sparse", {"metric_type": "BM25"}, s.bm25_k)]
            return [h["chunk_id"] for h in client.hybrid_search("bench_chunks", requests, ranker=RRFRanker(s.rrf_k),
                                                                limit=5, output_fields=["chunk_id"])[0]]

        out = _timed(repeats, q_vectors, q_tokens, truth, bm25_truth, dense, lexical, hybrid, s.rrf_k)
        client.close()
    return {**out, "write_rows_per_s": len(tokens) / write_s, "index": s.milvus_index}


def _timed(repeats: int, q_vectors: np.ndarray, q_tokens: list[list[str]], truth: np.ndarray,
           bm25_truth: list[Truth], dense, lexical, hybrid, rrf_k: int) -> dict:
    """Latency (ms) of dense, BM25 and hybrid retrieval (fused here or on the server); recall@5 of each."""
    times: dict[str, list[float]] = {"dense": [], "bm25": [], "hybrid": []}
    recall, agree, tied = [], [], []
    for v, t in zip(q_vectors[:WARM_UP], q_tokens):  # not timed: a fresh index is loaded by its first queries
        dense(v)
        lexical(t)
        if hybrid is not None:
            hybrid(v, t)
    for _ in range(repeats):
        for v, t, want, want_bm25 in zip(q_vectors, q_tokens, truth, bm25_truth):
            t0 = time.perf_counter()
            found = dense(v)
            t1 = time.perf_counter()
            words = lexical(t)
            t2 = time.perf_counter()
            if hybrid is None:
                fused = reciprocal_rank_fusion([found, words], rrf_k)
                sorted(fused, key=lambda c: -fused[c])[:5]
            else:
                hybrid(v, t)
            t3 = time.perf_counter()
            times["dense"].append((t1 - t0) * 1000)
            times["bm25"].append((t2 - t1) * 1000)
            times["hybrid"].append((t3 - t0 if hybrid is None else t3 - t2) * 1000)
            recall.append(len(set(found[:5]) & {str(i) for i in want}) / 5)
            if (agreement := top5_agreement(words, want_bm25)) is not None:
                agree.append(agreement[0])
                tied.append(agreement[1])
    return {**{k: {"median": median(v), "p95": percentile(v, 95)} for k, v in times.items()},
            "recall_at_5": float(np.mean(recall)), "bm25_top5_agreement": float(np.mean(agree)),
            "bm25_top5_agreement_ties": float(np.mean(tied))}


def render_stores(report: dict) -> str:
    e = report["embedding"]
    lines = ["# Stores side by side (FAISS + bm25s vs Milvus lite)", "",
             "Milliseconds, median / p95; recall@5 of dense search against exact search; BM25 agreement: share of "
             "our BM25's top 5 in the store's top 5 (questions with no corpus word left out), plainly / tie-aware "
             "(a hit scoring as well as our 5th best counts too). FAISS's hybrid = both searches + RRF in "
             "Python; Milvus's = one `hybrid_search` with RRF on the server.", "",
             "| chunks | store | dense | BM25 | hybrid | recall@5 | BM25 agreement (plain / ties) | write rows/s |",
             "|---|---|---|---|---|---|---|---|"]
    for row in report["sizes"]:
        for store in STORES:
            if store in row:
                r = row[store]
                write = f"{r['write_rows_per_s']:.0f}" if "write_rows_per_s" in r else "—"
                lines.append(f"| {row['size']:,} | {store}{' ' + r['index'] if 'index' in r else ''} | "
                             f"{_fmt(r['dense'])} | {_fmt(r['bm25'])} | {_fmt(r['hybrid'])} | "
                             f"{r['recall_at_5']:.3f} | {r['bm25_top5_agreement']:.3f} / "
                             f"{r['bm25_top5_agreement_ties']:.3f} | {write} |")
    ray = (f"; on a local Ray with {e['ray_actors']} embedder actors: {e['ray_per_s']:.1f} sentences/s"
           if "ray_per_s" in e else "")
    lines += ["", f"Embedding {e['texts']} sentences in one process: {e['per_s']:.1f} sentences/s{ray}.", ""]
    if "ingest" in report:
        lines += render_ingest(report["ingest"]) + [""]
    lines += ["## Projections (not measured; docs/scaling.md has the arithmetic)", ""] + projections(e["per_s"])
    return "\n".join(lines) + "\n"


def projections(per_s: float, chunks: float = 1e8, sentences_per_chunk: float = 3.22, dim: int = 384) -> list[str]:
    """Memory per replica at `chunks` (HNSW_SQ: 8-bit vectors, 128-byte graph links; BM25: 78 postings of
    8 bytes per chunk) and embedding time on W cores at this run's per-core rate."""
    vectors = chunks * (1 + sentences_per_chunk)
    memory = vectors * (dim + 128) + chunks * 78 * 8
    per_core = per_s / (os.cpu_count() or 1)
    todo = chunks * sentences_per_chunk * 0.974
    return [f"- {chunks:.0e} chunks, HNSW_SQ: {memory / 1e9:.0f} GB in memory per replica",
            *(f"- embedding {todo:.2e} sentences on {w:,} cores at {per_core:.1f}/s per core: "
              f"{todo / (w * per_core) / 3600:.1f} h" for w in (256, 1000, 4000))]


def _fmt(stats: dict[str, float]) -> str:
    return f"{stats['median']:.1f} / {stats['p95']:.1f}"
