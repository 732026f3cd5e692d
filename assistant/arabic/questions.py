"""What a question asks for, read from its form (Arabic, spoken Arabic and English).

Input: a question's match key (`normalize.match_key`). Output: the slots the answer must state
(a quantity, a share, a duration, a date), a year bound («بعد … 2019»), whether the date asked for
lies ahead, the thing whose name or number is asked («ما اسم X»), whose words are asked about
(«ماذا قال X»), and whether the question carries on from the one before («ومن رافقه؟»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.arabic.morphology import light_stem, tokenize
from assistant.arabic.normalize import STOPWORDS
from assistant.arabic.words import PRONOUN_PREPOSITIONS, phrase_list, word_list

Slot = Literal["quantity", "share", "duration", "date"]

_QUANTITY = re.compile(
    r"(?:^|\s)[وف]?ب?(?:كم|كام|قديش)(?:\s|$)|(?:^|\s)[وف]?ما (?:هو |هي )?(?:عدد|قيمه|حجم|مقدار)\s"
    r"|\bhow (?:many|much)\b|\bwhat (?:number|amount)\b")
_SHARE = re.compile(r"(?:^|\s)[وف]?ما (?:هي )?نسبه\s|\bwhat (?:percentage|proportion|share)\b")
_DURATION = re.compile(
    r"(?:^|\s)[وف]?كم (?:من الوقت|من الزمن|دام|دامت|استمر|استمرت|يستمر|تستمر|استغرق|استغرقت|يوما|"
    r"ساعه|عاما|سنه|شهرا|اسبوعا|دقيقه)|(?:^|\s)[وف]?ما (?:هي |هو )?(?:المده|مده)\s|\bhow long\b")
_FUTURE_DATE = re.compile(r"(?:^|\s)[وف]?ا?متي (س[يتنا]\S+)|\bwhen will\b")
"""«متى سيزور ...؟»: a future event, answered only by a sentence that dates something ahead…"""
_PAST_LOOKALIKES = word_list("future_lookalikes.txt")
"""…unless the verb is a past one that only begins like the prefix: «متى سيطرت …؟», «متى سافر …؟»."""
_DATE = re.compile(
    r"(?:^|\s)[وف]?ا?متي(?:\s|$)|(?:^|\s)(?:في|منذ|الي|حتي) اي (?:عام|سنه|شهر|يوم|تاريخ|ساعه|وقت|عقد)\s"
    r"|^(?:and )?when\b|\bwhen (?:did|was|were|is|are|will|does|do|has|had)\b"
    r"|\b(?:what|which) (?:year|month|day|date|time)\b|\bsince when\b")
_YEAR_BOUND = re.compile(r"(?:^|\s)(بعد|قبل|after|before)\s+(?:\S+\s+){0,3}?((?:1[89]|20)\d\d)(?:\s|$)")
_AFTER = ("بعد", "after")
_SPEECH = re.compile(
    r"(?:^|\s)(?:[وف]?ماذا|بماذا|كيف|ما الذي|ما|شو|ايش|وش) (?:قال|يقول|علق|يعلق|وصف|يصف|صرح|اكد|يوكد|يري|راي|"
    r"اعتبر|يعتبر|توقع|يتوقع|اعلن|يعلن)(?:ت)? ((?:\S+ ){0,2}\S+)")
"""«ماذا قال لافروف»: group 1 holds the speaker (Arabic only: an English name cannot be matched)."""
FOCUS_HEADS = word_list("focus_heads.txt")
ASKING_WORDS = word_list("asking_words.txt")
GENERIC_STEMS = word_list("generic_nouns.txt")
SMALL_TALK = phrase_list("small_talk.txt")
"""Greetings and thanks are not questions about the articles (and «السلام» matches «معاهدة سلام»)."""

# Follow-up cues. Words that point back to something said before:
_REFERRING = re.compile(
    r"(?:^|\s)[وف]?(?:هو|هي|هم|هما|ذلك|تلك|هذا|هذه|هذان|هاتان|هؤلاء|حينها|عندها|كذلك|ايضا|نفسه|نفسها|"
    r"it|he|she|they|that|this|those|then|also)(?:\s|$)"
    r"|^(?:و|ف)?(?:ماذا عن|what about|and)\b"
    r"|^[وف][بل]\w{3,}ه\b")  # «وبرأيه»، «ولرأيه»: a preposition + a noun whose «ه» points back
_PRONOUN_SUFFIX = re.compile(r"\b\w{3,}(?:ها|هم|هما)\b")
_OPENERS = "|".join(sorted(word_list("discourse_openers.txt"), key=len, reverse=True))
_ASKING = "|".join(sorted(word_list("question_words.txt"), key=len, reverse=True))
_CONTINUING = re.compile(
    rf"^(?:(?:{_OPENERS})\s+)?(?:و|ف)(?:(?:علي|عن|في|الي|مع|من|ب|ل|ع)\s?)?(?:{_ASKING})\b")
"""«ومن رافقه؟»، «ومتى؟»: «و/ف» + a question word carries on from the question before."""


@dataclass(frozen=True)
class QuestionForm:
    slots: frozenset[Slot]
    """What the answer must state (nothing in particular for most questions)."""
    year_bound: tuple[str, int] | None
    """("after", 2019) for «متى ... بعد قمة 2019؟»: the year a stated date must not precede."""
    ahead: bool
    """«متى سيزور ...؟»: the date asked for lies ahead of the article."""
    focus: str | None
    """The thing whose name/number/... is asked (its word in the question), if any."""
    speaker: str | None
    """Whose words are asked about: «لافروف» in «ماذا قال لافروف؟» (any of its words may name them)."""


def question_form(key: str) -> QuestionForm:
    """The form of a question given as a match key."""
    slots: set[Slot] = set()
    if _DURATION.search(key):
        slots.add("duration")
    elif _SHARE.search(key):
        slots.add("share")
    elif _QUANTITY.search(key):
        slots.add("quantity")
    if _DATE.search(key):
        slots.add("date")
    return QuestionForm(frozenset(slots), _year_bound(key), _asks_ahead(key),
                        _focus(key.split()), _speaker(key))


def _asks_ahead(key: str) -> bool:
    """«متى» with a future verb, or «when will»."""
    future = _FUTURE_DATE.search(key)
    return future is not None and (future.group(1) is None or future.group(1) not in _PAST_LOOKALIKES)


def _year_bound(key: str) -> tuple[str, int] | None:
    bound = _YEAR_BOUND.search(key)
    if not bound:
        return None
    return ("after" if bound.group(1) in _AFTER else "before", int(bound.group(2)))


def _focus(words: list[str]) -> str | None:
    """X in «ما اسم X», «كم عدد X», «ما نسبة X» (Arabic only); None for a stop word or a generic word."""
    for i, word in enumerate(words[:-1]):
        if word in FOCUS_HEADS and any(w in ASKING_WORDS for w in words[max(0, i - 2):i]):
            focus = words[i + 1]
            return None if focus in STOPWORDS or light_stem(focus) in GENERIC_STEMS else focus
    return None


def _speaker(key: str) -> str | None:
    """The words naming whoever is asked about: after the verb of saying, skipping prepositions and
    pronouns («ماذا قال عنه بوتين»), up to the next one («كيف يرى الخبير قسطنطين أسمولوف التعاون»
    -> «الخبير قسطنطين أسمولوف»; «ماذا قال لافروف خلال زيارته» -> «لافروف»)."""
    found = _SPEECH.search(key)
    if not found:
        return None
    stop = STOPWORDS | PRONOUN_PREPOSITIONS
    words = found.group(1).split()
    while words and words[0] in stop:
        words.pop(0)
    name = []
    for word in words:
        if word in stop:
            break
        name.append(word)
    return " ".join(name) or None


_AFTER_QUESTION_MARK = re.compile(r"[؟?].*$", re.S)
CARRYING_ON = "و"
"""What a follow-up opens with («ومتى؟»)."""


def plain(question: str) -> str:
    """A crowd-written question without the list dash before it or anything after its question mark."""
    return _AFTER_QUESTION_MARK.sub("", question.strip().lstrip("-– ").strip()).strip()


def as_follow_up(before: str, question: str) -> str | None:
    """`question` as a follow-up of `before`: without the content words it shares with it (its first word,
    usually the question word, is kept), opening with «و» («متى ولد نجيب محفوظ؟» then «في أي مدينة ولد نجيب
    محفوظ؟» gives «وفي أي مدينة؟»); None when it shares none, or has nothing left."""
    said = set(tokenize(plain(before)))
    words = plain(question).split()
    kept = words[:1] + [w for w in words[1:] if not (tokenize(w) and set(tokenize(w)) <= said)]
    if not words or len(kept) == len(words):
        return None
    return CARRYING_ON + " ".join(kept) + "؟"


def is_small_talk(key: str) -> bool:
    """A greeting or thanks as the whole input («السلام عليكم», «thank you»)."""
    return key in SMALL_TALK


def carries_on(normalized: str) -> bool:
    """Refers back («ذلك»، «زارها»، «وماذا عن») or opens with «و/ف» + a question word: a question like this
    never stood on its own, whatever its length. Input: `normalize_arabic` text."""
    return any(p.search(normalized) for p in (_REFERRING, _PRONOUN_SUFFIX, _CONTINUING))
