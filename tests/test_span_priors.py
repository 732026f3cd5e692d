"""The span model's word priors: counted from gold answers, read back from their file, and shipped."""

import numpy as np
import pytest

from assistant.answer.evidence import ScoredSentence
from assistant.answer.short import SPAN_FEATURES, WORD_FEATURES, ShortAnswerModel, Span, candidate_spans
from assistant.answer.span_priors import PRIOR_FEATURES, SpanPriors
from assistant.errors import ConfigError


def _sentence(text: str) -> ScoredSentence:
    return ScoredSentence(None, text, 0, len(text), 0.8, 0.5, 0.9)  # type: ignore[arg-type]


def _span(text: str, answer: str) -> Span:
    start = text.index(answer)
    return Span(_sentence(text), start, start + len(answer))


TRAINING = [  # the answer to «متى…؟» follows «عام»
    (_span("افتتح المطار عام 1958 بعد سنوات من البناء", "1958"), "date"),
    (_span("تأسست الجامعة عام 1957 في الرياض", "1957"), "date"),
    (_span("انتقل الفريق إلى الملعب الجديد عام 1987 رسميا", "1987"), "date"),
]


def test_a_word_that_stood_before_the_answers_raises_the_span_after_it_and_unseen_words_weigh_nothing():
    priors = SpanPriors.learn(TRAINING)
    sentence = _sentence("بدأ البث عام 1973 من جدة")
    after_year_word, containing_it = _span(sentence.text, "1973"), _span(sentence.text, "عام 1973")
    spans = [Span(sentence, after_year_word.start, after_year_word.end),
             Span(sentence, containing_it.start, containing_it.end)]
    rows = priors.columns(spans, "date")
    before = PRIOR_FEATURES.index("prior_before")
    assert rows[0, before] > 0 and rows[0, before + 1] > rows[0, before]  # the date questions' prior is sharper
    assert rows[1, before] == 0  # «البث» was never seen: no evidence either way
    assert rows[1, PRIOR_FEATURES.index("prior_first")] < 0  # «عام» never opened an answer
    assert not SpanPriors().columns(spans, "date").any()  # nothing learned: zeros


def test_priors_read_back_from_their_file_and_a_broken_file_is_one_clear_error(tmp_path):
    priors = SpanPriors.learn(TRAINING)
    path = tmp_path / "span_priors.json"
    priors.save(path)
    spans = [_span("أعلن الخبر عام 2001 في المؤتمر", "2001")]
    assert np.array_equal(SpanPriors.read(path).columns(spans, "date"), priors.columns(spans, "date"))
    path.write_text("{\"occurrences\": ", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a usable span-priors file.*make train"):
        SpanPriors.read(path)


def test_the_shipped_span_model_takes_the_word_columns_and_the_priors_learned_from_the_training_answers():
    model = ShortAnswerModel.bundled()
    assert SPAN_FEATURES == (*WORD_FEATURES, *PRIOR_FEATURES)
    assert sum(model.priors.occurrences.values()) > 10_000  # counted from the training sentences
    sentence = _sentence("وقعت المعركة في عام 1187 قرب بحيرة طبرية")
    spans, words = candidate_spans({"معرك"}, "date", [sentence])
    rows = model.rows(spans, words, "date")
    assert rows.shape == (len(spans), len(SPAN_FEATURES)) and rows[:, len(WORD_FEATURES):].any()
    best = model.best({"معرك"}, "date", [sentence])
    assert best is not None and "1187" in best.text
