"""The Milvus store over the network, as a cluster is used: `milvus-lite server` in a subprocess on 127.0.0.1,
reached through http://127.0.0.1:<port>. Retrieval and extractive answers on the eval sets must match the FAISS
store's (recall@5 within 0.02, the same answers). With MILVUS_URI set, the same checks run against that server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pymilvus")

from assistant.answer.answerer import Answerer  # noqa: E402
from assistant.app.wiring import Pipeline, open_pipeline  # noqa: E402
from assistant.evaluation.answers import load_dev  # noqa: E402
from assistant.evaluation.retrieval import evaluate, load_cases  # noqa: E402
from tests.conftest import EVAL_DIR  # noqa: E402

SERVER = shutil.which("milvus-lite") or str(Path(sys.executable).parent / "milvus-lite")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module", params=["server", "cluster"])
def milvus_uri(request, tmp_path_factory):
    """A `milvus-lite server` started for this module, or the real server named by MILVUS_URI."""
    if request.param == "cluster":
        if not os.environ.get("MILVUS_URI"):
            pytest.skip("set MILVUS_URI=http://host:19530 to run these checks against a real Milvus")
        yield os.environ["MILVUS_URI"]
        return
    port = _free_port()
    log = tmp_path_factory.mktemp("milvus-server") / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen([SERVER, "server", "--data-dir", str(log.parent / "data"), "--host", "127.0.0.1",
                                   "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def milvus_pipeline(milvus_uri, real_pipeline, embedder) -> Pipeline:
    """The bundled corpus in Milvus through the network, its vectors copied from the shared FAISS index."""
    settings = real_pipeline.settings.with_overrides(store="milvus", milvus_uri=milvus_uri,
                                                     milvus_collection=f"test_{os.getpid()}")
    pipeline = open_pipeline(settings, embedder=embedder, force_rebuild=True)
    assert pipeline.build_stats is not None and pipeline.build_stats.embedded == 0
    yield pipeline
    for name in pipeline.store.names.values():
        pipeline.store.client.drop_collection(name)


def test_retrieval_on_the_dev_set_matches_the_faiss_store(milvus_pipeline, real_pipeline):
    cases = load_cases(EVAL_DIR / "retrieval_dev.jsonl")
    docs = real_pipeline.corpus.documents()
    ours = {s.mode: s for s in evaluate(milvus_pipeline.retriever, cases, docs)}
    theirs = {s.mode: s for s in evaluate(real_pipeline.retriever, cases, docs)}
    for mode in ("hybrid", "dense", "bm25"):
        assert abs(ours[mode].recall_at_5 - theirs[mode].recall_at_5) <= 0.02, mode
    same = sum([h.chunk.chunk_id for h in milvus_pipeline.retriever.search(c.question, k=5).hits] ==
               [h.chunk.chunk_id for h in real_pipeline.retriever.search(c.question, k=5).hits] for c in cases)
    assert same >= 0.95 * len(cases)


def test_extractive_answers_on_the_dev_set_are_the_faiss_stores(milvus_pipeline, real_pipeline):
    ours, theirs = Answerer(milvus_pipeline), Answerer(real_pipeline)
    cases = [c for c in load_dev(EVAL_DIR / "dev.jsonl") if not c.history]
    assert len(cases) >= 30
    answered = 0
    for case in cases:
        a, b = ours.ask(case.question, backend="extractive"), theirs.ask(case.question, backend="extractive")
        assert (a.answer, a.refused, a.citations) == (b.answer, b.refused, b.citations), case.id
        answered += not a.refused
    assert answered >= len(cases) // 2  # most dev questions are answerable: the comparison is not of refusals
