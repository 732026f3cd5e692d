"""`assistant ingest … --ray` under real task failures on a local Ray (2 CPUs) started by the test: the faults
are injected into Ray's worker processes by its own setup hook (`tests/ray_faults.py`), so what is tested is
Ray's retry of the clean-and-chunk tasks and of the embedder actors, and what the ingest does after it.

- A batch whose cleaning task fails on every retry stops the ingest with one error line (exit 2) and stores
  nothing of it, neither in the corpus nor in the index; the same ingest without the fault then adds it whole.
- A clean task and an embedder actor whose worker dies once are retried, and the index is the one an ingest
  without Ray builds: same documents, same chunks, same sentence vectors.
- An embedding batch that fails on every retry stops the ingest with one error line and writes no vector of
  it (the corpus has committed its articles); the next ingest embeds them and adds nothing twice.
Local only: the hook module must be importable by every worker, which a remote cluster's are not."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

pytest.importorskip("ray")

from assistant.app.cli import main  # noqa: E402
from assistant.app.wiring import open_pipeline  # noqa: E402
from assistant.arabic.sentences import sentence_spans  # noqa: E402
from assistant.index.faiss_store import FaissStore  # noqa: E402
from assistant.index.ray_embed import RETRIES  # noqa: E402
from assistant.ingest.corpus import Corpus  # noqa: E402
from assistant.settings import Settings, bundled_corpus_dir  # noqa: E402
from tests.archive import ROOT, records, write_zip  # noqa: E402
from tests.ray_faults import DIR_ENV, attempts, reset  # noqa: E402

DAY = "2015-07-31"


@pytest.fixture(scope="module")
def faults(tmp_path_factory):
    """A local Ray whose every worker runs `tests.ray_faults.install` first; the folder that steers the faults."""
    import ray

    if os.environ.get("RAY_ADDRESS"):
        pytest.skip("fault injection needs a local Ray (the hook module is not on a remote cluster's workers)")
    folder = tmp_path_factory.mktemp("ray-faults")
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"worker_process_setup_hook": "tests.ray_faults.install",
                          "env_vars": {DIR_ENV: str(folder), "PYTHONPATH": path}})
    yield folder
    ray.shutdown()


@pytest.fixture
def archive(tmp_path, monkeypatch):
    """One bundled article and a zip of 4 SaudiNewsNet articles (one Ray block: one clean task)."""
    (tmp_path / "one").mkdir()
    smallest = min(bundled_corpus_dir().glob("*.txt"), key=lambda p: p.stat().st_size)
    shutil.copy(smallest, tmp_path / "one")
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path / "one"))
    return write_zip(tmp_path / "dump.zip", {DAY: records(DAY, 4)})


def use_home(tmp_path, monkeypatch, name: str) -> Settings:
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / name / "index"))
    monkeypatch.setenv("ASSISTANT_USER_CORPUS_DIR", str(tmp_path / name / "user"))
    return Settings.load()


@pytest.mark.timeout(600)
def test_a_batch_whose_cleaning_fails_after_retries_stops_the_ingest_and_stores_nothing(
        faults, archive, tmp_path, monkeypatch, capsys, embedder):
    settings = use_home(tmp_path, monkeypatch, "failed")
    reset(faults, clean="raise")
    assert main(["ingest", str(archive), "--ray", "--quiet"]) == 2
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, captured.err
    assert errors[0] == (f"error: cleaning and chunking on Ray failed after {RETRIES} retries (tests.ray_faults."
                         f"InjectedFault: fault injected into clean); nothing of this batch was indexed"), errors
    assert "added" not in captured.out
    assert attempts(faults, "clean") == 1 + RETRIES  # the task, then each retry
    assert Corpus(settings).added_documents() == {}
    bundled = {d.id for d in Corpus(settings).documents()}
    stored = open_pipeline(settings, embedder=embedder).store.chunks()
    assert stored and {c.doc_id for c in stored} <= bundled  # the bundled article only
    reset(faults)  # the same ingest without the fault: the whole batch goes in
    assert main(["ingest", str(archive), "--ray", "--quiet"]) == 0
    assert "added 4," in capsys.readouterr().out and len(Corpus(settings).added_documents()) == 4


@pytest.mark.timeout(600)
def test_a_task_and_an_actor_that_die_once_are_retried_and_index_what_an_ingest_without_ray_does(
        faults, archive, tmp_path, monkeypatch, capsys, embedder):
    seen = {}
    for name, flags in (("local", []), ("ray", ["--ray"])):
        settings = use_home(tmp_path, monkeypatch, name)
        reset(faults, clean="crash-once", embed="crash-once")  # only Ray's workers are wrapped
        assert main(["ingest", str(archive), "--quiet", *flags]) == 0
        out = capsys.readouterr().out
        assert "added 4," in out
        corpus = Corpus(settings)
        store = open_pipeline(settings, embedder=embedder).store
        vectors = {(d.id, s.start): store.sentence(d.id, s.start, s.end).vector
                   for d in corpus.documents() for s in sentence_spans(d.text)}
        seen[name] = (corpus.documents(), sorted((c.chunk_id, c.text) for c in store.chunks()), vectors)
    added = len(corpus.added_documents())
    assert f"on Ray: {added} documents cleaned and chunked" in out  # the retried task's, not the driver's
    for stage in ("clean", "embed"):  # each died once, and Ray ran it again
        assert (faults / f"{stage}.fired").exists() and attempts(faults, stage) >= 2, stage
    assert seen["ray"][0] == seen["local"][0] and seen["ray"][1] == seen["local"][1] and len(seen["ray"][1]) > added
    assert seen["ray"][2].keys() == seen["local"][2].keys()
    assert all(np.allclose(seen["ray"][2][k], seen["local"][2][k], atol=1e-5) for k in seen["ray"][2])


@pytest.mark.timeout(600)
def test_an_embedding_batch_that_fails_writes_no_vector_and_the_next_ingest_embeds_it(
        faults, archive, tmp_path, monkeypatch, capsys, embedder):
    settings = use_home(tmp_path, monkeypatch, "embed")
    bundled = {c.chunk_id for c in open_pipeline(settings, embedder=embedder).store.chunks()}  # indexed without Ray
    reset(faults, embed="raise")
    assert main(["ingest", str(archive), "--ray", "--quiet"]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert errors == [f"error: embedding on Ray failed after {RETRIES} retries (tests.ray_faults.InjectedFault: "
                      f"fault injected into embed); nothing of this batch was indexed"], errors
    added = set(Corpus(settings).added_documents())
    assert len(added) == 4  # the corpus committed the batch ...
    assert {c.chunk_id for c in FaissStore(settings, embedder).chunks()} == bundled  # ... the index nothing of it
    reset(faults)
    assert main(["ingest", str(archive), "--ray", "--quiet"]) == 0  # embeds what is missing, adds nothing twice
    assert "added 0, updated 0, unchanged 4" in capsys.readouterr().out
    stored = FaissStore(settings, embedder)
    assert added <= {c.doc_id for c in stored.chunks()} and stored.sync(Corpus(settings)) is None
