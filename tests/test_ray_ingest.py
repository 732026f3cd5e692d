"""`assistant ingest … --ray`: embedding on a local Ray (2 CPUs) started by the test, written to the Milvus store,
gives the index an ingest without Ray gives the FAISS store; an embedder that cannot start writes nothing.
With RAY_ADDRESS set, the first check runs against that cluster instead."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

pytest.importorskip("ray")
pytest.importorskip("pymilvus")

from assistant.app.cli import main  # noqa: E402
from assistant.arabic.sentences import sentence_spans  # noqa: E402
from assistant.errors import EmbedderError  # noqa: E402
from assistant.index.faiss_store import FaissStore  # noqa: E402
from assistant.index.milvus_store import MilvusStore  # noqa: E402
from assistant.index.ray_embed import RayEmbedder, ray_settings  # noqa: E402
from assistant.ingest.corpus import Corpus  # noqa: E402
from assistant.settings import Settings, bundled_corpus_dir  # noqa: E402
from tests.archive import records, write_zip  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    """One Ray for the module (its start takes seconds), shut down after; a cluster when RAY_ADDRESS is set."""
    import ray

    address = os.environ.get("RAY_ADDRESS")
    ray.init(address=address, num_cpus=None if address else 2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_an_ingest_on_ray_indexes_what_a_local_ingest_does(local_ray, tmp_path, monkeypatch, capsys, embedder):
    dump = write_zip(tmp_path / "dump.zip", {"2015-07-31": records("2015-07-31", 4)})
    (tmp_path / "one").mkdir()  # one bundled article and the dump: a short Ray job
    smallest = min(bundled_corpus_dir().glob("*.txt"), key=lambda p: p.stat().st_size)
    shutil.copy(smallest, tmp_path / "one")
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path / "one"))
    monkeypatch.setenv("ASSISTANT_STORE", "milvus")
    assert main(["ingest", str(dump), "--ray", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "added 4," in out and "(0 sentences embedded)" not in out
    settings = Settings.load()
    ours, corpus = MilvusStore(settings, embedder), Corpus(settings)
    theirs = FaissStore(settings.with_overrides(index_dir=tmp_path / "local"), embedder)  # embedded here
    theirs.sync(corpus)
    assert ours.count() > 4 and ours.sync(corpus) is None  # the ingest left the store in step with the corpus
    assert sorted(ours.chunks(), key=lambda c: c.chunk_id) == sorted(theirs.chunks(), key=lambda c: c.chunk_id)
    for doc in corpus.documents():
        for span in sentence_spans(doc.text):
            a, b = ours.sentence(doc.id, span.start, span.end), theirs.sentence(doc.id, span.start, span.end)
            assert np.allclose(a.vector, b.vector, atol=1e-5) and a.tokens == b.tokens


def test_a_batch_whose_embedding_fails_on_ray_is_not_written(local_ray, settings, embedder):
    broken = ray_settings(settings).with_overrides(embed_model="st:/nonexistent/model", store="milvus")
    store = MilvusStore(broken, RayEmbedder(embedder, broken))
    with pytest.raises(EmbedderError, match="embedding on Ray failed"):
        store.sync(Corpus(settings).documents()[:2])
    assert store.count() == 0 and store.describe()["n_docs"] == 0
