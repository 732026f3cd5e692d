"""A question's words weighed among the passages found for it (`answer/weights.py`): the same weights for the
bundled story alone and among unrelated SaudiNewsNet articles, where the index's own idf changes."""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.answerer import Answerer
from assistant.answer.weights import FoundIdf, WeighedStore, bm25_idf
from assistant.app import importer
from assistant.app.wiring import open_pipeline
from assistant.arabic.morphology import tokenize
from assistant.retrieval.question import analyse
from assistant.settings import Settings
from tests.archive import records, write_zip

QUESTION = "ما اسم السفير الروسي لدى بيونغ يانغ؟"
SUBJECT = ("روس", "بيونغ", "يانغ")
"""The bundled story's own words (stems): in nearly every bundled passage."""


def test_found_weights_follow_the_passages_and_keep_the_index_weight_for_words_they_lack(real_pipeline):
    answerer = Answerer(real_pipeline)
    question = analyse(QUESTION)
    found = answerer.retrieve(question)
    assert len(found.around) > len(found.hits) and found.hits == list(found.around[:len(found.hits)])
    idf = FoundIdf(found.around, real_pipeline.store.idf)
    for token in question.searched.tokens:
        df = sum(token in set(tokenize(h.chunk.text)) for h in found.around)
        expected = bm25_idf(len(found.around), df) if df else real_pipeline.store.idf(token)
        assert abs(idf(token) - expected) < 1e-9
    assert idf("zzzqqq") == real_pipeline.store.idf("zzzqqq")  # a word no passage holds: the index decides


def test_the_setting_chooses_the_view_and_the_answerer_itself_is_never_changed(real_pipeline):
    answerer = Answerer(real_pipeline)
    found = answerer.retrieve(analyse(QUESTION))
    assert answerer.weighed(found) is answerer  # default: the index's weights
    found_view = Answerer(replace(real_pipeline, settings=real_pipeline.settings.with_overrides(word_weights="found")))
    view = found_view.weighed(found)
    assert view is not found_view and isinstance(view.pipeline.store, WeighedStore)
    assert found_view.pipeline.store is real_pipeline.store  # another question asked meanwhile keeps its own
    assert view.pipeline.store.count() == real_pipeline.store.count()  # everything else is the store's


def test_among_unrelated_articles_the_subject_weighs_what_it_weighs_in_the_story_alone(real_pipeline, tmp_path):
    """60 articles of one SaudiNewsNet day beside the bundled ones: the index's idf of the story's names rises
    (they are rare in the archive), their weight among the passages found stays about what it was."""
    settings = Settings(index_dir=tmp_path / "archive", user_corpus_dir=tmp_path / "user")
    archive = open_pipeline(settings, embedder=real_pipeline.embedder)
    report = importer.ingest(archive, [write_zip(tmp_path / "snn.zip", {"2015-07-21": records("2015-07-21", 60)})])
    assert len(report.added) >= 50 and archive.store.count() > real_pipeline.store.count() + 50
    question = analyse(QUESTION)
    weights = {}
    for name, pipeline in (("alone", real_pipeline), ("archive", archive)):
        answerer = Answerer(pipeline)
        weights[name] = FoundIdf(answerer.retrieve(question).around, pipeline.store.idf)
    for token in SUBJECT:
        assert archive.store.idf(token) > real_pipeline.store.idf(token) + 0.5
        assert abs(weights["archive"](token) - weights["alone"](token)) < 0.5
        assert weights["archive"](token) < archive.store.idf(token) - 0.5

