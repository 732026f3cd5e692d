"""The short-answer span model's word kinds and context columns (arabic.span_words, answer.span_context)."""

from assistant.answer.span_context import CONTEXT_FEATURES, context_row, sentence_words
from assistant.arabic.morphology import light_stem
from assistant.arabic.normalize import match_key
from assistant.arabic.phrases import phrase_words
from assistant.arabic.span_words import NONE, word_kind


def kind(word: str):
    return word_kind(match_key(word))


def test_word_kinds_are_read_through_the_article_and_proclitics():
    assert kind("بمدينة").place and kind("المدينة").place
    assert kind("وزارة").organisation and kind("بالجامعة").organisation
    assert kind("بن").person
    assert kind("يونيو").calendar and kind("الثلاثاء").calendar
    assert kind("السعودية").nisba
    assert kind("ذهب") == NONE and word_kind("") == NONE


SENTENCE = "ولد الملك عبدالعزيز في مدينة الرياض عام 1876 ميلادية"


def row_for(span: str, answer_kind: str) -> dict[str, float]:
    words = phrase_words(SENTENCE)
    asked = {light_stem(w) for w in match_key("أين ولد الملك عبدالعزيز").split()}
    described = sentence_words(words, asked)
    texts = [SENTENCE[w.start:w.end] for w in words]
    first, size = texts.index(span.split()[0]), len(span.split())
    row = context_row(described, first, first + size, answer_kind, len(asked), described.distinct)
    assert len(row) == len(CONTEXT_FEATURES)
    return dict(zip(CONTEXT_FEATURES, row))


def test_a_place_after_a_place_noun_fits_a_where_question_and_a_year_a_when_question():
    place = row_for("الرياض", "place")
    assert place["place_before"] == 1.0 and place["fits_type"] == 1.0
    assert row_for("الرياض", "date")["fits_type"] == 0.0
    assert row_for("عام 1876", "date")["fits_type"] == 1.0
    assert row_for("عبدالعزيز", "place")["fits_type"] == 0.0


def test_question_words_around_a_span_are_counted():
    near = row_for("الرياض", "place")
    far = row_for("ميلادية", "place")
    assert near["asked_left"] > far["asked_left"]
    assert near["sentence_most_asked"] == 1.0 and 0 < near["sentence_asked_share"] <= 1
