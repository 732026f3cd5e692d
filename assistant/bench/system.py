"""Ingestion throughput, answering latency per backend, and cold start of the web UI."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from assistant.answering import Answerer
from assistant.answers import Answer
from assistant.corpus import Corpus
from assistant.index_store import IndexStore
from assistant.pipeline import Pipeline
from assistant.settings import PROJECT_DIR, Settings


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ingestion(settings: Settings, pipeline: Pipeline) -> dict:
    """A build from nothing, then the same corpus again (should embed nothing)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = settings.with_overrides(index_dir=Path(tmp) / "index")
        started = time.perf_counter()
        docs = Corpus(fresh).documents()
        cleaned = time.perf_counter()
        store = IndexStore(fresh, pipeline.embedder)
        built = store.ensure(docs)
        done = time.perf_counter()
        again = store.build(docs, previous=built)
        rebuilt = time.perf_counter()
    stats = built.build_stats
    return {"documents": len(docs), "chunks": stats.chunks, "sentences": len(built.sentence_rows),
            "clean_s": cleaned - started, "build_s": done - cleaned,
            "chunks_per_s": stats.chunks / (done - cleaned),
            "reingest_s": rebuilt - done, "reingest_embedded": again.build_stats.embedded}


def answering(pipeline: Pipeline, questions: list[str], backends: list[str]) -> dict:
    """Time to first streamed piece and to the verified answer, per backend."""
    answerer = Answerer(pipeline)
    out = {}
    for backend in backends:
        first, total, prompt_tokens = [], [], []
        for question in questions:
            started = time.perf_counter()
            seen_first = None
            for item in answerer.stream(question, backend=backend):
                if seen_first is None:
                    seen_first = time.perf_counter() - started
                if isinstance(item, Answer):
                    break
            first.append(seen_first * 1000)
            total.append((time.perf_counter() - started) * 1000)
            tokens = getattr(answerer._models.get(backend), "last_prompt_tokens", None)
            if tokens:
                prompt_tokens.append(float(tokens))
        out[backend] = {"ttft_ms": first, "total_ms": total, "prompt_tokens": prompt_tokens,
                        "peak_rss_mb": peak_rss_mb()}
    return out


def cold_start(settings: Settings, with_index: bool) -> float:
    """Seconds from `python app.py` to a page that answers HTTP 200."""
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = settings.index_dir if with_index else Path(tmp) / "index"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, "ASSISTANT_UI_PORT": str(port), "ASSISTANT_INDEX_DIR": str(index_dir)}
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(PROJECT_DIR / "app.py")], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while time.perf_counter() - started < 300:
                try:
                    if urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).status == 200:
                        return time.perf_counter() - started
                except OSError:
                    time.sleep(0.2)
            return float("nan")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
