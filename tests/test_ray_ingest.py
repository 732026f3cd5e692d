"""`assistant ingest … --ray`: cleaning, chunking and embedding on a local Ray (2 CPUs) started by the test give
the index an ingest without Ray gives (the bundled corpus: same chunks, same top 5; a dump written to the
Milvus store: same sentence vectors as the FAISS store); a batch that fails on Ray writes nothing. With
RAY_ADDRESS set, the checks run against that cluster instead. Each test is bounded (pytest-timeout)."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

pytest.importorskip("ray")
pytest.importorskip("pymilvus")

from assistant.app.cli import main  # noqa: E402
from assistant.app.wiring import open_pipeline  # noqa: E402
from assistant.evaluation.retrieval import load_cases  # noqa: E402
from assistant.index.prepare import prepare  # noqa: E402
from assistant.index.ray_prepare import RayPreparer  # noqa: E402
from assistant.ingest.cleaning import clean_article  # noqa: E402
from assistant.ingest.loaders import articles, plan  # noqa: E402
from tests.conftest import EVAL_DIR  # noqa: E402
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


@pytest.mark.timeout(900)
def test_the_bundled_corpus_ingested_on_ray_is_indexed_and_ranked_as_without_ray(local_ray, tmp_path, monkeypatch,
                                                                                   capsys, embedder):
    smallest = min(bundled_corpus_dir().glob("*.txt"), key=lambda p: p.stat().st_size)
    for name in ("one", "rest"):  # one bundled article to start from; the others come in through `ingest`
        (tmp_path / name).mkdir()
    for path in bundled_corpus_dir().glob("*.txt"):
        shutil.copy(path, tmp_path / ("one" if path == smallest else "rest"))
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(tmp_path / "one"))
    questions = [c.question for c in load_cases(EVAL_DIR / "retrieval_dev.jsonl")]
    seen = {}
    for name, flags in (("local", []), ("ray", ["--ray"])):
        monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / name / "index"))
        monkeypatch.setenv("ASSISTANT_USER_CORPUS_DIR", str(tmp_path / name / "user"))
        assert main(["ingest", str(tmp_path / "rest"), "--quiet", *flags]) == 0
        out = capsys.readouterr().out
        pipeline = open_pipeline(Settings.load(), embedder=embedder)
        seen[name] = ([(c.chunk_id, c.text) for c in pipeline.store.chunks()],
                      [[h.chunk.chunk_id for h in pipeline.retriever.search(q, k=5).hits] for q in questions])
    added = len(pipeline.corpus.added_documents())
    assert added >= 4 and f"on Ray: {added} documents cleaned and chunked" in out  # none prepared again here
    assert len(seen["ray"][0]) > added and seen["ray"][0] == seen["local"][0]
    assert seen["ray"][1] == seen["local"][1] and all(len(top) == 5 for top in seen["ray"][1])


@pytest.mark.timeout(300)
def test_ray_tasks_clean_and_chunk_as_the_driver_does(local_ray, settings):
    raw = [a for a in articles(plan([bundled_corpus_dir()]).parts) if not isinstance(a, Exception)]
    preparer = RayPreparer(settings)
    cleaned = preparer.clean(raw)
    assert cleaned == {i: clean_article(a) for i, a in enumerate(raw)}
    docs = [d for i in sorted(cleaned) for d in cleaned[i]]
    ours, theirs = preparer.prepare(docs, settings.chunk_max_words, settings.chunk_overlap_sentences), \
        prepare(docs, settings.chunk_max_words, settings.chunk_overlap_sentences)
    assert preparer.prepared == len(docs) and ours == theirs and len(ours.chunks) > len(docs)


@pytest.mark.timeout(600)
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


@pytest.mark.timeout(300)
def test_a_batch_whose_embedding_fails_on_ray_is_not_written(local_ray, settings, embedder):
    broken = ray_settings(settings).with_overrides(embed_model="st:/nonexistent/model", store="milvus")
    store = MilvusStore(broken, RayEmbedder(embedder, broken))
    with pytest.raises(EmbedderError, match="embedding on Ray failed"):
        store.sync(Corpus(settings).documents()[:2])
    assert store.count() == 0 and store.describe()["n_docs"] == 0


@pytest.mark.timeout(600)
def test_the_bench_times_one_ingest_with_and_without_ray(local_ray, settings):
    from assistant.bench.ingest_rates import ingest_rates, render_ingest
    from tests.archive import SAUDINEWSNET

    if not SAUDINEWSNET.is_dir():
        pytest.skip(f"SaudiNewsNet is not at {SAUDINEWSNET}")
    report = ingest_rates(settings, SAUDINEWSNET, 2)
    default, ray = report["default"], report["ray"]
    assert report["articles"] == 2 and default["errors"] == ray["errors"] == 0
    assert ray["chunks"] == default["chunks"] > 2 and ray["embedded"] == default["embedded"] > 0
    assert ray["prepared_on_ray"] >= 2 and ray["actors"] >= 1
    text = "\n".join(render_ingest(report))
    assert "| default (one process) |" in text and "--ray (local," in text and "Ray / default speed" in text
