"""Ingestion throughput, answering latency per backend, and cold start of the web UI."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from assistant import messages
from assistant.answer.answerer import Answerer
from assistant.app.wiring import Pipeline
from assistant.index.faiss_store import FaissStore
from assistant.ingest.corpus import Corpus
from assistant.settings import Settings, checkout_dir
from assistant.types import Answer

APP = (checkout_dir() or Path.cwd()) / "app.py"
TIMEOUT_S = 300


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ingestion(settings: Settings, pipeline: Pipeline) -> dict:
    """A build from nothing, then the same corpus again (should embed nothing)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = settings.with_overrides(index_dir=Path(tmp) / "index")
        started = time.perf_counter()
        docs = Corpus(fresh).documents()
        cleaned = time.perf_counter()
        store = FaissStore(fresh, pipeline.embedder)
        stats = store.sync(docs)
        done = time.perf_counter()
        sentences = len(store.vectors()[1])
        again = store.sync(docs, force=True)
        rebuilt = time.perf_counter()
    assert stats is not None and again is not None
    return {"documents": len(docs), "chunks": stats.chunks, "sentences": sentences,
            "clean_s": cleaned - started, "build_s": done - cleaned,
            "chunks_per_s": stats.chunks / (done - cleaned),
            "reingest_s": rebuilt - done, "reingest_embedded": again.embedded}


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
            tokens = getattr(answerer.models.loaded(backend), "last_prompt_tokens", None)
            if tokens:
                prompt_tokens.append(float(tokens))
        out[backend] = {"ttft_ms": first, "total_ms": total, "prompt_tokens": prompt_tokens,
                        "peak_rss_mb": peak_rss_mb()}
    return out


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a child process open the same index, corpus and embedder."""
    return {"ASSISTANT_INDEX_DIR": str(settings.index_dir), "ASSISTANT_USER_CORPUS_DIR": str(settings.user_corpus_dir),
            "ASSISTANT_EMBED_MODEL": settings.embed_model, "ASSISTANT_EMBED_WORKERS": str(settings.embed_workers),
            "ASSISTANT_MODEL_CACHE_DIR": str(settings.model_cache_dir)}


@dataclass(frozen=True)
class ColdStart:
    """`python app.py` to a page served (HTTP 200), and to a page that answers at once: app.py serves the page
    while the index opens and says on stderr when it is open; a question asked in between waits for it."""

    page_s: float
    answers_s: float


def cold_start(settings: Settings, with_index: bool) -> ColdStart:
    """Seconds from `python app.py` to the page served and to the index open (NaN for what never came)."""
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = settings.index_dir if with_index else Path(tmp) / "index"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {**os.environ, **settings_env(settings), "ASSISTANT_UI_PORT": str(port),
               "ASSISTANT_INDEX_DIR": str(index_dir)}
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(APP)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        opened: list[float] = []
        ready = threading.Event()
        threading.Thread(target=_watch_ready, args=(proc, started, opened, ready), daemon=True).start()
        try:
            page = _served(f"http://127.0.0.1:{port}/", started)
            ready.wait(timeout=max(0.0, TIMEOUT_S - (time.perf_counter() - started)))
            return ColdStart(page, max(page, opened[0]) if opened else float("nan"))
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def _served(url: str, started: float) -> float:
    while time.perf_counter() - started < TIMEOUT_S:
        try:
            if urllib.request.urlopen(url, timeout=1).status == 200:
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.2)
    return float("nan")


def _watch_ready(proc: subprocess.Popen, started: float, opened: list[float], ready: threading.Event) -> None:
    """Reads app.py's stderr to its end, so that its pipe never fills, and sets `ready` when it says the index
    is open (or when it exits without saying so)."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if not ready.is_set() and line.strip() == messages.INDEX_READY:
            opened.append(time.perf_counter() - started)
            ready.set()
    ready.set()
