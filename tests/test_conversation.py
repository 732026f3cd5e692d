"""Follow-ups: which questions carry on, and the passage the conversation is in."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answer.answerer import Answerer
from assistant.answer.conversation import THREAD_FEATURES, continue_thread, quoted, something_new, thread_features
from assistant.answer.follow_ups import FOLLOW_UP_FEATURES
from assistant.answer.evidence import distinct, same_words
from assistant.answer.short_llm import locate
from assistant.arabic.normalize import normalize_arabic
from assistant.arabic.questions import carries_on
from assistant.retrieval.question import analyse


@pytest.mark.parametrize("question", [
    "طيب وايش قال عن الملفات الحساسة؟", "وهو امتى زار بيونغ يانغ؟", "وعلى إيش يركز في الحوار؟",
    "وليش توترت العلاقات مع الروس؟", "وبرأيه، أي تحالف ممكن يتشكل؟", "ومين رافقه؟", "وفين اتعقدت القمة؟"])
def test_spoken_follow_ups_carry_on(question):
    assert carries_on(normalize_arabic(question))


@pytest.mark.parametrize("question", [
    "متى زار بوتين بيونغ يانغ؟", "وزير الخارجية الروسي زار أين؟", "ما عاصمة روسيا؟", "وزارة الخارجية ماذا قالت؟", "ولي العهد زار أين؟"])
def test_questions_that_stand_alone_do_not(question):
    assert not carries_on(normalize_arabic(question))


ANALYST = "ماذا قال المحلل سيرغي بيرسانوف عن هامش الحركة في السياسة الخارجية الروسية؟"


def _answered(answerer: Answerer, question: str):
    """The extractive answer to `question` and the conversation it makes."""
    said = answerer.ask(question, backend="extractive")
    return said, [{"role": "user", "content": question}, {"role": "assistant", "content": said.answer}]


def _ranked(answerer: Answerer, question: str, history=None):
    q = analyse(question, history)
    return q, answerer.candidates(q, answerer.retrieve(q))


def test_the_last_answer_is_found_and_its_neighbours_move_up(real_pipeline):
    answerer = Answerer(real_pipeline)
    said, history = _answered(answerer, ANALYST)
    q, ranked = _ranked(answerer, "وكيف وصف زيارة كيم؟", history)
    assert q.follow_up and q.last_answer == said.answer
    anchors = quoted(ranked, said.answer)
    assert {(c.doc_id, c.start) for c in said.citations} <= anchors
    moved = continue_thread(ranked, said.answer)
    assert sorted(id(s) for s in moved) == sorted(id(s) for s in ranked)  # the same sentences, re-ordered
    assert continue_thread(ranked, "") == ranked and continue_thread(ranked, "لا علاقة لهذا بشيء") == ranked


def test_thread_features_mark_what_the_last_answer_quoted_and_its_neighbours(real_pipeline):
    answerer = Answerer(real_pipeline)
    said, history = _answered(answerer, ANALYST)
    q, ranked = _ranked(answerer, "وكيف وصف زيارة كيم؟", history)
    rows = thread_features(ranked, said.answer, own_words=True)
    column = {name: rows[:, i] for i, name in enumerate(THREAD_FEATURES)}
    anchors = quoted(ranked, said.answer)
    assert [bool(v) for v in column["quoted"]] == [(s.hit.chunk.doc_id, s.start) in anchors for s in ranked]
    assert column["next_to_quoted"].any() and not (column["quoted"] * column["next_to_quoted"]).any()
    assert column["same_article_as_quoted"].sum() > column["quoted"].sum()
    assert column["answer_quoted"].all() and column["own_words"].all()
    nothing = thread_features(ranked, "", own_words=False)
    assert nothing.shape == rows.shape and not nothing.any()


def test_a_follow_up_is_ranked_by_the_follow_up_model(real_pipeline):
    """The follow-up ranker reads each sentence against the question it continues and against its own words:
    «وكيف وصف زيارة كيم؟» after the analyst Bersanov's answer is answered with what Bersanov said of the visit;
    the hand order put Putin's words on Kim first. Without the learned models the hand order stays."""
    answerer = Answerer(real_pipeline)
    said, history = _answered(answerer, ANALYST)
    q = analyse("وكيف وصف زيارة كيم؟", history)
    found = answerer.retrieve(q)
    ranking = answerer.ranking(q, found)
    assert ranking.follow_up and ranking.rows.shape == (len(ranking.sentences), len(FOLLOW_UP_FEATURES))
    assert list(ranking.probabilities) == sorted(ranking.probabilities, reverse=True)
    answer = answerer.ask("وكيف وصف زيارة كيم؟", backend="extractive", history=history)
    assert not answer.refused and "ليست مجرد خطوة استعراضية" in answer.short_answer
    assert any(answer.short_answer in c.quote for c in answer.citations)
    hand = Answerer(replace(real_pipeline, settings=real_pipeline.settings.with_overrides(ranker="hand")))
    kept = hand.ranking(q, found)
    assert not kept.follow_up and kept.sentences == continue_thread(hand.candidates(q, found), q.last_answer)


def test_a_follow_up_answer_adds_a_sentence_the_last_answer_did_not_quote(real_pipeline):
    answerer = Answerer(real_pipeline)
    first = "ما الكنيسة التي سيزورها بوتين في طريق العودة إلى المطار في كوريا الشمالية؟"
    said, history = _answered(answerer, first)
    answer = answerer.ask("وإلى أين سيتوجه بعد ذلك؟", backend="extractive", history=history)
    before = {(c.doc_id, c.start) for c in said.citations}
    assert not answer.refused and {(c.doc_id, c.start) for c in answer.citations} - before  # something new
    q, ranked = _ranked(answerer, "وإلى أين سيتوجه بعد ذلك؟", history)
    ordered = continue_thread(ranked, q.last_answer)
    new = something_new(ordered, q.last_answer)
    assert (ordered[0].hit.chunk.doc_id, ordered[0].start) in before  # the best was already said
    assert new is not None and (new.hit.chunk.doc_id, new.start) not in before
    assert something_new(ordered, "") is None and something_new(ordered, "لا علاقة لهذا بشيء") is None


def test_a_repeated_sentence_is_quoted_once(real_pipeline):
    _, ranked = _ranked(Answerer(real_pipeline), "متى وصل بوتين إلى بيونغ يانغ؟")
    twice = [ranked[0], ranked[1], ranked[0], ranked[2]]
    assert distinct(twice) == [ranked[0], ranked[1], ranked[2]]
    reprinted = replace(ranked[0], text="و" + ranked[0].text.replace("،", " ,"), start=ranked[0].start + 1000)
    assert distinct([ranked[0], reprinted, ranked[1]], same_words) == [ranked[0], ranked[1]]  # «و» and commas added
    assert len(distinct([ranked[0], reprinted])) == 2  # the candidates keep both: the models' ranks stay as trained
    longer = replace(ranked[0], text=ranked[0].text + " " + ranked[1].text)
    assert len(distinct([ranked[0], longer], same_words)) == 2  # more words: not a reprint


def test_an_answer_quotes_a_reprinted_sentence_once(real_pipeline):
    """«كان آخر لقاء…» and «وكان آخر لقاء…» stand in two articles of the bundled news: the answer quotes one."""
    answer = Answerer(real_pipeline).ask("ماذا أكد كيم جونغ إيل لمدفيديف عام 2011؟", backend="extractive")
    quoted = [same_words(c.quote) for c in answer.citations]
    assert not answer.refused and len(quoted) == len(set(quoted))


def test_a_copied_phrase_is_located_word_for_word(real_pipeline):
    _, ranked = _ranked(Answerer(real_pipeline), "ما الكنيسة التي سيزورها بوتين في كوريا الشمالية؟")
    sentence = next(s for s in ranked if "ثالوث" in s.text)
    span = locate("كنيسه ثالوث واهب الحياه", [sentence])  # ة written ه, as models do
    assert span is not None and span.text == "كنيسة ثالوث واهب الحياة"
    assert locate("كنيسة واهب", [sentence]) is None  # not a run of the sentence's words
    assert locate("", [sentence]) is None and locate("موسكو الكبرى", [sentence]) is None
