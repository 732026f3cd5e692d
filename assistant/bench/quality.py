"""Retrieval quality of the baselines a user would pick instead, on the same questions and chunks."""

from __future__ import annotations

from pathlib import Path

from assistant.app.wiring import Pipeline
from assistant.evaluation.retrieval import MODES, evaluate, load_cases, score_rankings


def _scores(name: str, ranked_chunk_ids: list[list[str]], cases, pipeline: Pipeline) -> dict[str, float]:
    chunks = {c.chunk_id: c for c in pipeline.store.chunks()}
    s = score_rankings(name, [[chunks[cid] for cid in ids] for ids in ranked_chunk_ids], cases,
                       pipeline.corpus.documents())
    return {"recall_at_1": s.recall_at_1, "recall_at_5": s.recall_at_5, "mrr": s.mrr}


def baseline_quality(pipeline: Pipeline, path: Path) -> dict[str, dict[str, float]]:
    """Ours (dense, bm25, hybrid) and llama-index's defaults: SimpleVectorStore and BM25Retriever."""
    from llama_index.core import VectorStoreIndex
    from llama_index.core.schema import TextNode

    cases = load_cases(path)
    ours = evaluate(pipeline.retriever, cases, pipeline.corpus.documents())
    result = {f"ours: {s.mode}": {"recall_at_1": s.recall_at_1, "recall_at_5": s.recall_at_5, "mrr": s.mrr}
              for s in ours if s.mode in MODES}
    chunks = pipeline.store.chunks()
    vectors, _ = pipeline.store.vectors()
    nodes = [TextNode(id_=c.chunk_id, text=c.text, embedding=vectors[i].tolist())
             for i, c in enumerate(chunks)]
    simple = VectorStoreIndex(nodes, embed_model=pipeline.embedder).as_retriever(similarity_top_k=10)
    result["llama-index SimpleVectorStore (same e5)"] = _scores(
        "simple", [[n.node.node_id for n in simple.retrieve(c.question)] for c in cases], cases, pipeline)
    try:
        from llama_index.retrievers.bm25 import BM25Retriever
    except ImportError:
        result["llama-index BM25Retriever (defaults)"] = {"error": "llama-index-retrievers-bm25 not installed"}
        return result
    bm25 = BM25Retriever.from_defaults(nodes=[TextNode(id_=c.chunk_id, text=c.text) for c in chunks],
                                       similarity_top_k=10)
    result["llama-index BM25Retriever (defaults)"] = _scores(
        "bm25-defaults", [[n.node.node_id for n in bm25.retrieve(c.question)] for c in cases], cases, pipeline)
    return result
