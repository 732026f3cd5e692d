"""Ingest throughput with and without Ray on this machine, side by side in one run (`assistant bench --store`).

The same N SaudiNewsNet articles (one zip) are ingested into two empty temporary indexes of the configured
store: by the default path, then with `--ray`'s pipeline on a local Ray over this machine's CPUs (Ray's own
start is not timed; each job's actor-pool start is, as an ingest pays it). Both rates are whole ingests:
reading, cleaning, chunking, embedding and writing.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from assistant.app import importer
from assistant.app.wiring import Pipeline, open_pipeline
from assistant.bench.archive import write_zip, load_articles
from assistant.settings import Settings


def ingest_rates(settings: Settings, folder: Path, n: int, ray: bool = True) -> dict:
    """Articles, words and embedded sentences per second of each path; `ray` False: the default path only."""
    records = load_articles(folder, n)
    with tempfile.TemporaryDirectory() as tmp:
        dump = write_zip(Path(tmp) / "articles.zip", records)
        out = {"articles": len(records), "default": _timed(open_pipeline(_fresh(settings, Path(tmp) / "a")), dump)}
        if ray:
            from assistant.app.ray_wiring import ray_ingest

            with ray_ingest(_fresh(settings, Path(tmp) / "b")) as on_ray:
                out["ray"] = {**_timed(on_ray.pipeline, dump, on_ray.preparer.clean), "actors": on_ray.actors,
                              "prepared_on_ray": on_ray.preparer.prepared}
    return out


def _fresh(settings: Settings, home: Path) -> Settings:
    return settings.with_overrides(index_dir=home / "index", user_corpus_dir=home / "user")


def _timed(pipeline: Pipeline, dump: Path, cleaner: importer.Cleaner | None = None) -> dict:
    started = time.perf_counter()
    report = importer.ingest(pipeline, [dump], cleaner=cleaner)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "articles_per_s": report.done / seconds, "words_per_s": report.words / seconds,
            "embedded": report.embedded, "chunks": pipeline.store.count(), "errors": len(report.errors)}


def render_ingest(report: dict) -> list[str]:
    lines = ["## Ingest throughput with and without Ray (measured, this machine)", "",
             f"{report['articles']} SaudiNewsNet articles, one zip, into an empty index; whole ingests.", "",
             "| path | seconds | articles/s | words/s | sentences embedded | chunks |", "|---|---|---|---|---|---|"]
    for name in ("default", "ray"):
        if name in report:
            r = report[name]
            label = "default (one process)" if name == "default" else f"--ray (local, {r['actors']} embedder actors)"
            lines.append(f"| {label} | {r['seconds']:.1f} | {r['articles_per_s']:.2f} | {r['words_per_s']:.0f} | "
                         f"{r['embedded']} | {r['chunks']} |")
    if "ray" in report:
        ratio = report["default"]["seconds"] / report["ray"]["seconds"]
        lines += ["", f"Ray / default speed: {ratio:.2f}×."]
    return lines
