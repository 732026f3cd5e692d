"""Can the retrieved sentences answer this question at all? Checks by the form of the question.

A high similarity score is not enough. A near-miss question («كم دبابة أرسلت روسيا إلى كوريا
الشمالية؟») retrieves sentences about Russia sending things to North Korea: they score well,
but none states a number of tanks. Each check below follows from what a question of a given
form needs, never from a particular question, and each errs towards answering: refusing a
question the articles answer is the worse mistake. Before the checks by form, the input must be a
question (not a greeting, not code or keyboard noise), and one of the best sentences must be about it in meaning (e5
similarity), not only share its words: «ما عاصمة اليابان؟» shares «العاصمة» with a sentence on
the Hanoi summit and would pass the score threshold on it.

- a question that asks for a quantity (كم، ما عدد، how many) needs one of the best sentences to
  state one, and a question that asks for a time (متى، في أي عام، when) needs one that states a
  time — a date, a month, a weekday, or a time relative to something («عشية الزيارة»، «قبل أيام»);
  a date that answers «متى ... بعد قمة 2019؟» is not before 2019 (nor after, for «قبل»), and one that
  answers «متى سيزور ...؟» lies ahead («غدا»، «الشهر المقبل»); a share (ما نسبة) may be «الغالبية»;
- a question that asks for the name, number, type, share or value of a thing («ما اسم السفير»)
  needs articles that use the word for that thing at all;
- a question about what someone said or thinks («ماذا قال شي جين بينغ؟») needs that person to
  be named, with a verb of saying, in or just before one of the best sentences.

Not checked, because word matching cannot tell: whether a sentence that shares a question's
words also states the relation asked about («هل زار كيم الصين بعد القمة؟» against a sentence on
his trip to the summit), or whether a thing the articles mention has the name asked for. A
lexical yes/no check was tried and refused answerable questions («لم يزر» does not match «زار»).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Callable, Sequence

from assistant.answer.evidence import ScoredSentence
from assistant.arabic.morphology import light_stem, proclitic_forms
from assistant.arabic.noise import code_or_noise
from assistant.arabic.normalize import match_key
from assistant.arabic.numbers import YEAR
from assistant.arabic.questions import QuestionForm, Slot, is_small_talk
from assistant.arabic.words import is_ahead, is_saying, states_date, states_era_year, states_quantity
from assistant.types import Question

Knows = Callable[[str], bool]
"""Does the corpus use this stemmed word?"""

SLOT_WINDOW = 4
"""A quantity or date must be stated in one of the best this-many sentences (and within
`SLOT_MARGIN` of the best score): further down, a number is likely about something else."""
SLOT_MARGIN = 0.2
SPEAKER_CONTEXT = 300
"""Characters before a sentence where its speaker may be named («وأضاف أن ...» after «وقال لافروف»)."""


@dataclass(frozen=True)
class Assessment:
    answerable: bool
    reason: str
    """Why not, in a sentence (for eval reports and logs); empty when answerable."""
    sentences: list[ScoredSentence]
    """The ranked sentences; for a quantity or date question one that states it comes first."""


def slot_fillers(slot: Slot, sentence: str, question: str = "") -> list[str]:
    """Words of `sentence` that state a `slot`. For a date, words the question already has do not count."""
    asked = set(match_key(question).split()) if slot == "date" else set()
    words = match_key(sentence).split()
    found = []
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word in asked:
            continue
        if (states_date(word) or states_era_year(word, following) if slot == "date"
                else states_quantity(word, following, share=slot == "share")):
            found.append(word)
    return found


def _states(slot: Slot, sentence: str, question: str, form: QuestionForm) -> bool:
    """The sentence states the slot. For a date: one ahead if the question asks about the future, and
    with a year bound, no year it gives breaks the bound (a relative date cannot, «أكتوبر الماضي»)."""
    fillers = slot_fillers(slot, sentence, question)
    words = match_key(sentence).split()
    years = [int(w) for w in words if YEAR.fullmatch(w)]
    if slot == "duration" and not fillers:  # «من 1950 إلى 1953»: two years make a span
        return len(set(years)) >= 2
    if slot != "date" or not fillers:
        return bool(fillers)
    if form.ahead and not any(is_ahead(w) for w in words):
        return False
    if form.year_bound is None or not years:
        return True
    side, bound = form.year_bound
    return any(y >= bound if side == "after" else y <= bound for y in years)


def assess(question: Question, ranked: Sequence[ScoredSentence], threshold: float, knows: Knows,
           min_meaning: float = 0.0, learned: tuple[float, float] | None = None,
           asked: tuple[float, float] | None = None, hand: bool | None = None,
           trusted: bool = False) -> Assessment:
    """Whether `ranked` (best first) can answer `question`, and the sentences in the order to use them.

    The form is the typed question's (a follow-up's own «ومتى؟», not the question it is searched with).
    `learned`: the refusal model's probability that the sentences answer, and its threshold (None: no model; for
    a follow-up, the follow-up refusal model's). `hand`: whether the hand-set bounds apply as well —
    `threshold` on the best score (meaning and shared words) and `min_meaning` on the best e5 similarity alone
    among the first few, so that shared words cannot carry an off-topic question (default: only without
    `learned`; the default setting, `both`, applies both).
    `asked`: the best score with the question's words weighed among the passages found (`evidence.asked_score`)
    and the least it must reach: among many articles the subject's words alone lift `score` over `threshold`.
    `trusted`: the model is sure enough that the three score bounds are skipped; the form checks still read the
    sentences over `threshold` (the ones near the best when none is)."""
    ranked = list(ranked)
    hand = learned is None if hand is None else hand
    not_a_question = _not_a_question(question)
    if not_a_question:
        return Assessment(False, not_a_question, ranked)
    if not ranked:
        return Assessment(False, "no passage is close enough to the question", ranked)
    bounds = hand and not trusted
    if bounds and max(s.score for s in ranked) < threshold:
        return Assessment(False, "no passage is close enough to the question", ranked)
    if bounds and asked is not None and asked[0] < asked[1]:
        return Assessment(False, "the passages found share the question's subject, not what it asks", ranked)
    if bounds and max(s.dense for s in ranked[:SLOT_WINDOW]) < min_meaning:
        return Assessment(False, "no passage is about the question: they only share words with it", ranked)
    if learned is not None and learned[0] < learned[1]:
        return Assessment(False, f"the refusal model gives the passages {learned[0]:.2f} of answering", ranked)
    form, text = question.form, question.text
    top = max(s.score for s in ranked[:SLOT_WINDOW])
    floor = max(threshold, top - SLOT_MARGIN) if hand and (top >= threshold or not trusted) else top - SLOT_MARGIN
    window = [s for s in ranked[:SLOT_WINDOW] if s.score >= floor]
    reason = (_unknown_focus(form, knows) or _unstated_slot(form, text, window)
              or _unnamed_speaker(form, window))
    if reason:
        return Assessment(False, reason, ranked)
    return Assessment(True, "", _stating_first(form, text, ranked, window))


def _not_a_question(question: Question) -> str | None:
    """A greeting (the whole input: «hello there» is not caught), code, SQL, a shell line or keyboard noise
    (arabic/noise.py), or one word in Latin script that is not a
    follow-up: e5 rates «hello» closer to the articles (0.82) than «Putin» (0.80), and a Latin word gets no
    lexical check, so an answer to it would be chance."""
    if is_small_talk(question.key):
        return "a greeting or thanks, not a question about the articles"
    kind = code_or_noise(question.text)
    if kind:
        return f"{kind}, not a question about the articles"
    if len(question.key.split()) < 2 and question.arabic_share < 0.5 and not question.follow_up:
        return "a single word in Latin script: too little to tell what is asked"
    return None


def _unknown_focus(form: QuestionForm, knows: Knows) -> str | None:
    if form.focus and not knows(light_stem(form.focus)):
        return f"the articles never mention «{form.focus}»"
    return None


def _unstated_slot(form: QuestionForm, question: str, window: list[ScoredSentence]) -> str | None:
    for slot in sorted(form.slots):
        if not any(_states(slot, s.text, question, form) for s in window):
            return f"no passage close to the question states a {slot}"
    return None


def _unnamed_speaker(form: QuestionForm, window: list[ScoredSentence]) -> str | None:
    if form.speaker and not any(_names(form.speaker, s) for s in window):
        return f"no passage close to the question reports what «{form.speaker}» said"
    return None


def _names(speaker: str, sentence: ScoredSentence) -> bool:
    """The speaker is named, and something is said, in the sentence or the text just before it."""
    chunk = sentence.hit.chunk
    context = chunk.text[max(0, sentence.start - chunk.start - SPEAKER_CONTEXT):sentence.end - chunk.start]
    words = match_key(context).split()
    wanted = {form for name in speaker.split() for form in proclitic_forms(name)}
    stems = {light_stem(w) for w in wanted}
    named = any(set(proclitic_forms(word)) & wanted or light_stem(word) in stems for word in words)
    return named and any(is_saying(word) for word in words)


def _stating_first(form: QuestionForm, question: str, ranked: list[ScoredSentence],
                   window: list[ScoredSentence]) -> list[ScoredSentence]:
    """For a quantity/date question whose best sentence does not state one, the best that does leads."""
    if not form.slots or all(_states(slot, ranked[0].text, question, form) for slot in form.slots):
        return ranked
    stating = next((s for s in window if all(_states(slot, s.text, question, form)
                                             for slot in form.slots)), None)
    return ranked if stating is None else [stating] + [s for s in ranked if s is not stating]


def corpus_knows(vocabulary: frozenset[str]) -> Knows:
    """A stemmed word the corpus uses, exactly or with a suffix the stemmer left (سيار ~ سيارت).

    Only longer corpus words count: «متحدث» (spokesman) is not «متحد» (united). Misspellings are
    not forgiven: at one letter apart, «سفير» (ambassador) would be «سفر» (travel)."""
    ordered = sorted(vocabulary)

    def knows(token: str) -> bool:
        if token in vocabulary:
            return True
        if len(token) < 3:
            return False
        i = bisect.bisect_left(ordered, token)  # words that start with `token` follow it in order
        while i < len(ordered) and ordered[i].startswith(token):
            if len(ordered[i]) - len(token) <= 2:
                return True
            i += 1
        return False

    return knows


__all__ = ["Assessment", "assess", "corpus_knows", "slot_fillers"]
