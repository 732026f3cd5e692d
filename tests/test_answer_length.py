"""How many sentences the extractive answer quotes (`answer.length`): a further one must earn its words."""

from __future__ import annotations

import pytest

from assistant.answer.evidence import ScoredSentence
from assistant.answer.length import adds_asked, earns_its_words
from assistant.arabic.answer_types import asks_two_things
from assistant.arabic.morphology import tokenize
from assistant.arabic.normalize import match_key

QUESTION = "أين عقدت القمة بين بوتين وكيم عام 2019؟"
ASKED = tokenize(QUESTION)
FIRST = ScoredSentence(None, "عقدت القمة بين الزعيمين عام 2019 وسط اهتمام واسع", 0, 48, 0.7, 0.8, 0.8)  # type: ignore[arg-type]
"""Hand score 0.7 + 0.35 × 0.8 = 0.98; the ranker gives it 0.8."""


def idf(stem: str) -> float:
    return 1.0


def further(text: str, score: float = 0.95, learned: float | None = 0.1) -> ScoredSentence:
    """A sentence after FIRST: its hand score (dense + 0.35 × lexical) and the ranker's probability."""
    return ScoredSentence(None, text, 60, 60 + len(text), score, 0.0, learned)  # type: ignore[arg-type]


def earns(sentence: ScoredSentence, question: str = QUESTION, ratio: float = 0.3, share: float = 0.2) -> bool:
    return earns_its_words(sentence, FIRST, question, tokenize(question), idf, ratio, share)


def test_a_close_sentence_the_ranker_doubts_that_adds_nothing_asked_is_left_out():
    assert not earns(further("وشارك في القمة عدد من الوزراء والمسؤولين"))


def test_a_sentence_the_ranker_rates_near_the_first_is_quoted():
    assert earns(further("وشارك في القمة عدد من الوزراء والمسؤولين", learned=0.5))


def test_a_sentence_with_words_of_the_question_the_first_lacks_is_quoted():
    sentence = further("والتقى بوتين وكيم في مدينة فلاديفوستوك الروسية")
    assert adds_asked(sentence, FIRST, set(ASKED), idf) > 0.2
    assert earns(sentence)


def test_a_sentence_far_under_the_first_by_the_hand_score_is_never_quoted():
    assert not earns(further("وشارك في القمة عدد من الوزراء والمسؤولين", score=0.5, learned=0.9))


def test_a_question_asking_two_things_keeps_every_close_sentence():
    assert earns(further("وزار بوتين بيونغ يانغ عام 2024"), question="أين عقدت القمة عام 2019 وأين جرت الزيارة؟")


def test_ratio_zero_is_the_rule_before():
    assert earns(further("وشارك في القمة عدد من الوزراء والمسؤولين"), ratio=0.0)


def test_without_the_ranker_a_close_sentence_is_quoted():
    assert earns(further("وشارك في القمة عدد من الوزراء والمسؤولين", learned=None))


@pytest.mark.parametrize("question, two", [
    ("متى وأين ولد سليمان خان الأول ؟", True), ("كم عاش ابن خلدون وأين دفن؟", True),
    ("متى زار كيم روسيا والى اين اصطحبه بوتين؟", True), ("When did he die and where was he buried?", True),
    ("من هو رئيس مصر ومن وزير خارجيتها؟", False), ("أين عقدت القمة؟", False), ("ومتى انتهت؟", False),
])
def test_a_second_question_word_after_and_makes_two_questions(question, two):
    assert asks_two_things(match_key(question)) is two

