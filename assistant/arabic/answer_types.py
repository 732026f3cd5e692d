"""What kind of answer a question asks for, read from its form: a date, a number, a person, a place…

Arabic (standard, spoken, and as crowdworkers misspell it: «مادا», «متي», «اين»), and English. Input: the
question's match key (`normalize.match_key`). The answer type steers which sentence and which phrase of it
answer (a «متى» question wants the sentence with a date, and the date itself as the short answer).
"""

from __future__ import annotations

import re
from typing import Literal

from assistant.arabic.data import entries
from assistant.arabic.morphology import proclitic_forms
from assistant.arabic.normalize import match_key

AnswerType = Literal["date", "number", "person", "place", "organisation", "reason", "manner", "yesno",
                     "definition", "other"]
ANSWER_TYPES: tuple[AnswerType, ...] = ("date", "number", "person", "place", "organisation", "reason", "manner",
                                        "yesno", "definition", "other")

_C = r"(?:^|\s)[وف]?"
"""A question word starts the question or a clause, maybe after «و/ف»."""
_RULES: list[tuple[AnswerType, re.Pattern[str]]] = [
    ("yesno", re.compile(r"^[وف]?(?:هل|اليس|اليست)\s|^(?:is|are|was|were|do|does|did|can|could|has|have|had|will|"
                         r"would|should)\s")),
    ("reason", re.compile(_C + r"(?:لماذا|لمادا|لماذ|ليش|ليه|علاش|لم|لاي سبب|ما (?:هو |هي )?(?:سبب|السبب|اسباب|الاسباب))"
                          r"(?:\s|$)|\bwhy\b|\bwhat caused\b")),
    ("number", re.compile(_C + r"ب?(?:كم|كام|قديش|قداش)(?:\s|$)|\bhow (?:many|much|long|old|far|big)\b"
                          r"|\bwhat (?:percentage|proportion|number|amount)\b")),
    ("date", re.compile(_C + r"(?:ا?متي|امتا|منذ متي|منذ متا)(?:\s|$)|^(?:and )?when\b|\bwhen (?:did|was|were|is|will|does|do)\b"
                        r"|\b(?:what|which) (?:year|month|day|date|century|time)\b|\bsince when\b")),
    ("place", re.compile(_C + r"(?:اين|وين|فين|من اين|الي اين|لوين)(?:\s|$)|\bwhere\b")),
    ("manner", re.compile(_C + r"(?:كيف|كيفيه|ازاي|اشلون|شلون|بايه? طريقه)(?:\s|$)|^how\b|\bin what way\b")),
    ("person", re.compile(r"^[وف]?(?:من|مين|منو|ممن|لمن|عمن)(?:\s|$)|^(?:who|whom|whose)\b")),
]
_DEFINITION = re.compile(r"^[وف]?(?:ما|ماذا|ماهو|ماهي|مالذي)(?: (?:هو|هي|هم))?\s+\S+(?:\s+\S+)?$"
                         r"|^[وف]?(?:ما|من) (?:هو|هي) |^[وف]?(?:ماهو|ماهي) |^what (?:is|are|was) (?:a |an |the )?\S+$"
                         r"|^who (?:is|was) \S+(?: \S+)?$")
_SECOND_QUESTION = re.compile(r"\sو(?:اين|متي|كم|كيف|لماذا|ماذا|الي اين|من اين|هل)(?:\s|$)"
                              r"|\band (?:where|when|how|why|what|who)\b")
"""A second question word opening a clause after «و»: «متى وأين ولد …؟», «أين … 2019 وأين … 2024؟» (not «ومن»,
«وما»: also «and from», «and not»)."""
_WHICH = re.compile(r"(?:^|\s)[وف]?(?:في|من|الي|علي|ب|ل)?\s?(?:اي|ايه|ما(?: هي| هو)?|ماهي|ماهو|what|which)\s+(\S+)")
_NOUN_TYPES: dict[str, AnswerType] = {}
for _line in entries("question_nouns.tsv"):
    _noun, _kind = _line.split("\t")
    _NOUN_TYPES[match_key(_noun)] = _kind  # type: ignore[assignment]


def answer_type(key: str) -> AnswerType:
    """The answer type of a question given as a match key."""
    for kind, pattern in _RULES[:3]:  # yes/no, why and how many decide whatever noun follows
        if pattern.search(key):
            return kind
    noun = _asked_noun(key)
    if noun is not None:
        return noun
    for kind, pattern in _RULES[3:]:
        if pattern.search(key):
            return "definition" if kind == "person" and _DEFINITION.search(key) else kind
    return "definition" if _DEFINITION.search(key) else "other"


def asks_two_things(key: str) -> bool:
    """Does the question (a match key) ask two things, a second question word opening a clause after «و»?"""
    return _SECOND_QUESTION.search(key) is not None


def _asked_noun(key: str) -> AnswerType | None:
    """«في أي عام», «ما المدينة التي», «which country»: the noun after the question word decides."""
    for match in _WHICH.finditer(key):
        for form in proclitic_forms(match.group(1)):
            if form in _NOUN_TYPES:
                return _NOUN_TYPES[form]
    return None
