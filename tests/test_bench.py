"""The benchmark suite runs end to end at a tiny size and writes its report (no timing asserted)."""

from __future__ import annotations

import json

from assistant.bench import render, run_bench, write_bench


def test_bench_runs_and_reports(settings, tmp_path):
    report = run_bench(settings, sizes=[300], repeats=1, backends=["extractive"], cold=False)
    [flat, hnsw] = report["scaling"]
    assert (flat["index_type"], hnsw["index_type"]) == ("flat", "hnsw")
    assert flat["recall_at_10"] == 1.0 and 0.0 <= hnsw["recall_at_10"] <= 1.0
    assert flat["baseline_dense"]["n"] == report["questions"]
    assert "llama-index BM25Retriever (defaults)" in report["quality"]
    assert report["ingestion"]["reingest_embedded"] == 0
    paths = write_bench(report, tmp_path)
    assert json.loads(paths[1].read_text())["questions"] == report["questions"]
    assert "| 300 | flat |" in render(report) and "## Goals" in render(report)
    assert paths[2].read_bytes()[:4] == b"\x89PNG"


def test_the_stores_side_by_side_find_the_same_passages(real_pipeline):
    import pytest

    pytest.importorskip("pymilvus")
    from assistant.bench.stores import compare_stores, render_stores

    questions = ["متى التقى كيم جونغ اون ببوتين لاول مرة؟", "ما الكنيسة التي سيزورها بوتين؟", "العلاقات بين موسكو وبيونغ يانغ"]
    report = compare_stores(real_pipeline, questions, [400], ["faiss", "milvus"], repeats=1, ray=False)
    faiss, milvus = report["sizes"][0]["faiss"], report["sizes"][0]["milvus"]
    assert faiss["recall_at_5"] == 1.0 and milvus["recall_at_5"] >= 0.9  # HNSW against exact search
    assert milvus["bm25_top5_agreement"] >= 0.8 and milvus["write_rows_per_s"] > 0
    assert faiss["bm25_top5_agreement"] == 1.0  # our own BM25 against itself
    assert milvus["bm25_top5_agreement_ties"] >= milvus["bm25_top5_agreement"]
    text = render_stores(report)
    assert "| 400 | milvus HNSW |" in text and "Projections (not measured" in text


def test_bm25_agreement_counts_a_passage_tied_at_the_cut_off_but_not_a_worse_one():
    """Passages 4-7 have the same terms, so our BM25's 5th place is any of them: a store that picks another
    one agrees tie-aware, not plainly; one that returns a passage scoring less agrees neither way."""
    from assistant.bench.stores import bm25_top5, top5_agreement
    from assistant.index.bm25 import BM25Index

    tokens = [["a", "b", "b"], ["a", "b"], ["a", "c", "c"], ["a", "a", "d"]] + [["a", "e"]] * 4 + [["a", "f", "g", "h"]]
    bm25 = BM25Index.from_tokens([str(i) for i in range(len(tokens))], tokens)
    want, tied = bm25_top5(bm25, ["a", "b"])
    assert want[:2] == ["0", "1"] and len(want) == 5 and tied == frozenset(want) | {"4", "5", "6", "7"}
    other_tie = want[:4] + sorted({"4", "5", "6", "7"} - set(want))[:1]
    assert top5_agreement(other_tie, (want, tied)) == (0.8, 1.0)
    assert top5_agreement(want[:4] + ["8"], (want, tied)) == (0.8, 0.8)
    assert top5_agreement(want, (want, tied)) == (1.0, 1.0)
    assert bm25_top5(bm25, ["zzz"]) == ([], frozenset()) and top5_agreement(["0"], ([], frozenset())) is None
