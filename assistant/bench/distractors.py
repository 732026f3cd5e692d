"""`assistant bench --distractors N`: the dev and holdout eval sets answered (extractive) over the bundled
articles alone and over the same articles plus N SaudiNewsNet articles, side by side in one run.

The question is whether answers about the bundled articles survive unrelated news around them: recall@5,
key facts and wrong refusals on both corpora, and which answerable questions are newly refused. The
distractors are taken round-robin over the day files (every paper and month), at most `max_words` words
each so that more of them fit in an ingest on two cores; the report says how many and how long. The index
with the distractors is kept in `home` when one is given: ingest resumes, so a second run only evaluates.
"""

from __future__ import annotations

import json
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

from assistant.answer.answerer import Answerer
from assistant.app import importer
from assistant.app.wiring import open_pipeline
from assistant.bench.archive import ARCHIVE_ARTICLES, load_articles
from assistant.evaluation.answers import load_dev
from assistant.evaluation.runner import EVAL_DIR, evaluate_backend
from assistant.settings import Settings

SETS = {"dev": EVAL_DIR / "dev.jsonl", "holdout": EVAL_DIR / "holdout.jsonl"}
METRICS = ("recall_at_5", "key_fact_accuracy", "wrong_refusal_rate", "refusal_recall", "citation_precision")
PER_FILE = 250
"""Articles per JSON file of the dump written for the ingest."""


def pick(folder: Path, n: int, max_words: int) -> list[dict]:
    """`n` articles of at most `max_words` words, round-robin over the days (as `bench --archive` takes them)."""
    return [r for r in load_articles(folder, ARCHIVE_ARTICLES) if len(str(r["content"]).split()) <= max_words][:n]


def distractor_eval(settings: Settings, folder: Path, n: int, max_words: int = 150, home: Path | None = None,
                    sets: dict[str, Path] | None = None) -> dict:
    """The figures of `render_distractors` (`sets`: eval name -> file; default dev and holdout)."""
    sets = sets or SETS
    with tempfile.TemporaryDirectory() as tmp:
        root = home or Path(tmp)
        alone = settings.with_overrides(index_dir=root / "bundled" / "index", user_corpus_dir=root / "bundled" / "user")
        mixed = settings.with_overrides(index_dir=root / "archive" / "index", user_corpus_dir=root / "archive" / "user")
        records = pick(folder, n, max_words)
        report: dict = {"created": time.strftime("%Y-%m-%d %H:%M"), "articles": len(records), "max_words": max_words,
                        "words": sum(len(str(r["content"]).split()) for r in records),
                        "sources": dict(Counter(str(r.get("source")) for r in records).most_common())}
        pipeline = open_pipeline(mixed)
        started = time.perf_counter()
        result = importer.ingest(pipeline, [_write_dump(root / "distractors.zip", records)])
        report["ingest"] = {"seconds": time.perf_counter() - started, "added": len(result.added),
                            "errors": len(result.errors), "chunks": pipeline.store.count()}
        report["runs"] = {name: _evaluate(s, sets) for name, s in (("bundled", alone), ("with_distractors", mixed))}
    report["newly_refused"] = {
        name: sorted(set(report["runs"]["with_distractors"][name]["wrongly_refused"])
                     - set(report["runs"]["bundled"][name]["wrongly_refused"])) for name in sets}
    return report


def _evaluate(settings: Settings, sets: dict[str, Path]) -> dict:
    answerer = Answerer(open_pipeline(settings))
    out: dict = {"chunks": answerer.pipeline.store.count()}
    for name, path in sets.items():
        summary, questions = evaluate_backend(answerer, load_dev(path), "extractive")
        out[name] = {**{m: summary.get(m) for m in METRICS},
                     "wrongly_refused": [q["id"] for q in questions if q["answerable"] and q["refused"]]}
    return out


def _write_dump(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(0, len(records), PER_FILE):
            archive.writestr(f"distractors-{i // PER_FILE:03d}.json", json.dumps(records[i:i + PER_FILE], ensure_ascii=False))
    return path


def render_distractors(report: dict) -> str:
    """Markdown: one row per eval set and metric, the bundled corpus beside the one with distractors."""
    runs = report["runs"]
    lines = [f"# Eval with {report['articles']:,} SaudiNewsNet distractors ({report['created']})", "",
             f"{report['articles']:,} articles of at most {report['max_words']} words ({report['words']:,} words; "
             f"{', '.join(f'{k} {v}' for k, v in report['sources'].items())}) added to the bundled articles: "
             f"{runs['bundled']['chunks']:,} chunks -> {runs['with_distractors']['chunks']:,}; ingest "
             f"{report['ingest']['seconds']:.0f} s, {report['ingest']['errors']} errors. Extractive backend.", "",
             "| set | metric | bundled only | with distractors | change |", "|---|---|---|---|---|"]
    for name in report["newly_refused"]:
        for metric in METRICS:
            a, b = runs["bundled"][name][metric], runs["with_distractors"][name][metric]
            if a is None or b is None:
                continue
            lines.append(f"| {name} | {metric} | {a:.3f} | {b:.3f} | {b - a:+.3f} |")
    for name, ids in report["newly_refused"].items():
        lines.append(f"\n{name}: answerable questions newly refused with the distractors: {', '.join(ids) or 'none'}")
    return "\n".join(lines) + "\n"
