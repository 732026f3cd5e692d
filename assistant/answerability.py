"""Can the retrieved sentences answer this question at all? Checks by the form of the question.

A high similarity score is not enough. A near-miss question («كم دبابة أرسلت روسيا إلى كوريا
الشمالية؟») retrieves sentences about Russia sending things to North Korea: they score well,
but none states a number of tanks. Each check below follows from what a question of a given
form needs, never from a particular question:

- a question that asks for a quantity (كم، ما عدد، how many) needs a sentence that states one,
  and one that asks for a time (متى، في أي عام، when) needs a sentence that states a date —
  one that the question does not already contain;
- a question that asks for the name, number, type, share or value of a thing («ما اسم السفير»)
  needs articles that mention that thing at all;
- a date that answers «متى ... بعد زيارة 2024؟» falls after 2024 (and before, for «قبل»);
- a question about what someone said or thinks («ماذا قال لافروف؟»، «كيف علق ترامب؟») needs a
  passage in which that person is the subject of a verb of saying.

Not checked, because lexical support cannot tell: whether a sentence that shares a question's
words also states the relation asked about («هل زار كيم الصين بعد القمة؟» against a sentence on
his trip to the summit). A lexical yes/no check was tried and refused answerable questions
(«لم يزر» does not match «زار»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from assistant.evidence import ScoredSentence
from assistant.lexical import light_stem
from assistant.normalize import match_key
from assistant.support import number_word

SLOT_WINDOW = 4
"""A quantity or date must be stated in one of the best this-many sentences (and within
`SLOT_MARGIN` of the best score): further down, a number is likely about something else."""
SLOT_MARGIN = 0.2

_QUANTITY_QUESTION = re.compile(
    r"(?:^|\s)[وف]?[بل]?كم(?:\s|$)|\b(?:ما|وما) (?:هو |هي )?(?:عدد|نسبه|قيمه|حجم|مقدار|مده|المده|طول)\b"
    r"|\bhow (?:many|much|long)\b|\bwhat (?:percentage|proportion|share|number|amount)\b")
_DATE_QUESTION = re.compile(
    r"(?:^|\s)[وف]?متي\b|\b(?:في|منذ|الي|حتي) اي (?:عام|سنه|شهر|يوم|تاريخ|ساعه|وقت|عقد)\b"
    r"|\bwhen\b|\b(?:what|which) (?:year|month|day|date|time)\b")
_YEAR_BOUND = re.compile(r"\b(بعد|قبل|after|before)\s+(?:\S+\s+){0,2}?((?:1[89]|20)\d\d)\b")
"""«بعد زيارة 2024»: a date that answers the question must fall after (or before) that year."""
_FOCUS_HEADS = frozenset({"اسم", "اسما", "اسماء", "عدد", "نسبه", "قيمه", "نوع", "حجم", "مقدار"})
"""«ما اسم X»، «كم عدد X»: the answer is a property of X, so the articles must mention X."""
_ASKING = frozenset({"ما", "وما", "كم", "وكم", "هو", "هي", "يبلغ", "تبلغ", "بلغ", "بلغت"})


def _keys(words: str) -> frozenset[str]:
    return frozenset(match_key(w) for w in words.split())


_MONTHS = _keys("يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر "
                "ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين")
_WEEKDAYS = _keys("السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة")
_WHEN_WORDS = _keys("أمس غدا البارحة الماضي الماضية المقبل المقبلة القادم القادمة الحالي الحالية منتصف مطلع "
                    "أوائل أواخر بداية نهاية صباح مساء ظهر فجر ليلة الليلة آنذاك حينها")
_QUANTITY_WORDS = _keys("ضعف ضعفي أضعاف نصف ربع ثلث عشرات مئات آلاف ألف آلافا مليون ملايين مليار مليارات "
                        "ثلاثين ثلاثون أربعين أربعون ستين ستون ثمانين ثمانون تسعين تسعون مئة مائة "
                        "مئتين مئتي مئتان مائتين مائتي ألفين ألفي ألفان مليونين مليوني مليونان مليارين ملياري "
                        "بضع بضعة مرتين مرتان شهرين عامين سنتين يومين أسبوعين ساعتين عقدين دقيقتين")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_SPEECH_QUESTION = re.compile(
    r"(?:^|\s)(?:[وف]?ماذا|بماذا|كيف|ما الذي|ما) (?:قال|يقول|علق|يعلق|رد|يرد|وصف|يصف|صرح|اكد|يوكد|يري|راي|"
    r"اعتبر|يعتبر|توقع|يتوقع|اعلن|يعلن)(?:ت)? (\S+)")
"""«ماذا قال لافروف»: group 1 is the speaker (Arabic only: an English name cannot be matched)."""
_SAYING = _keys("قال قالت يقول تقول قائلا قائلة قوله علق تعليق تعليقه رد ردا وصف صرح تصريح تصريحات أكد أكدت "
                "يؤكد أوضح أوضحت يوضح أشار أشارت يشير اعتبر اعتبرت يعتبر رأى يرى تابع أضاف يضيف لفت ذكر "
                "شدد حذر توقع يتوقع أعلن أعلنت أعرب كتب بحسب حسب وفق وفقا")
SUBJECT_WORDS = 3
"""Arabic news puts the verb first («وقال لافروف»): the speaker is one of the few words after it."""
SPEAKER_CONTEXT = 300
"""Characters before a sentence that count too: «وأضاف أن ...» continues «وقال لافروف ...»."""
_PROCLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")

Knows = Callable[[str], bool]


@dataclass(frozen=True)
class QuestionForm:
    slots: frozenset[str]
    """What the answer must state: "number", "date" (or nothing in particular)."""
    year_bound: tuple[str, int] | None
    """("after", 2024) for «متى ... بعد زيارة 2024؟»: the year a stated date must follow or precede."""
    focus: str | None
    """The thing whose name/number/... is asked (its word in the question), if any."""
    speaker: str | None = None
    """Whose words are asked about: «لافروف» in «ماذا قال لافروف؟»."""


@dataclass(frozen=True)
class Assessment:
    answerable: bool
    reason: str
    """Why not, in a sentence (for the JSON output and logs); empty when answerable."""
    sentences: list[ScoredSentence]
    """The ranked sentences, those that state what the question asks for first."""


def question_form(question: str) -> QuestionForm:
    key = match_key(question)
    slots = set()
    if _QUANTITY_QUESTION.search(key):
        slots.add("number")
    if _DATE_QUESTION.search(key):
        slots.add("date")
    bound = _YEAR_BOUND.search(key)
    year_bound = ("after" if bound.group(1) in ("بعد", "after") else "before", int(bound.group(2))) if bound else None
    speaker = _SPEECH_QUESTION.search(key)
    return QuestionForm(frozenset(slots), year_bound, _focus(key.split()), speaker.group(1) if speaker else None)


def _focus(words: list[str]) -> str | None:
    """X in «ما اسم X», «كم عدد X», «ما نسبة X» (Arabic only)."""
    for i, word in enumerate(words[:-1]):
        if word in _FOCUS_HEADS and any(w in _ASKING for w in words[max(0, i - 2):i]):
            return words[i + 1]
    return None


def slot_fillers(kind: str, sentence: str, question: str) -> list[str]:
    """Words of `sentence` that state a `kind` ("number" or "date") the question does not contain."""
    asked = set(match_key(question).split())
    words = match_key(sentence).split()
    found = []
    for i, word in enumerate(words):
        if word in asked:
            continue
        bare = set(_without_proclitics(word))
        following = words[i + 1] if i + 1 < len(words) else ""
        if kind == "date":
            hit = bool(_YEAR.fullmatch(word) or bare & (_MONTHS | _WEEKDAYS | _WHEN_WORDS))
        else:
            hit = _states_quantity(word, bare, following)
        if hit:
            found.append(word)
    return found


def _states(kind: str, sentence: str, question: str, year_bound: tuple[str, int] | None) -> bool:
    fillers = slot_fillers(kind, sentence, question)
    if kind != "date" or year_bound is None:
        return bool(fillers)
    side, year = year_bound
    years = [int(w) for w in fillers if _YEAR.fullmatch(w)]
    return any(y > year if side == "after" else y < year for y in years)


def _states_quantity(word: str, bare: set[str], following: str) -> bool:
    if word.isdigit():  # a year or a day of the month is a date, not a quantity
        return not _YEAR.fullmatch(word) and not set(_without_proclitics(following)) & _MONTHS
    if bare & _QUANTITY_WORDS:
        return True
    value = number_word(word)
    return value is not None and not (value == "1" and following == "من")  # «واحدة من» = one of


def _without_proclitics(word: str) -> Iterable[str]:
    yield word
    for prefix in _PROCLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            yield word[len(prefix):]


def assess(question: str, ranked: Sequence[ScoredSentence], threshold: float, knows: Knows) -> Assessment:
    """Whether `ranked` (best first) can answer `question`, and the sentences in the order to use them."""
    ranked = list(ranked)
    if not ranked or ranked[0].score < threshold:
        return Assessment(False, "no passage is close enough to the question", ranked)
    form = question_form(question)
    if form.focus and not knows(light_stem(form.focus)):
        return Assessment(False, f"the articles never mention «{form.focus}»", ranked)
    window = [s for s in ranked[:SLOT_WINDOW] if s.score >= max(threshold, ranked[0].score - SLOT_MARGIN)]
    for kind in sorted(form.slots):
        stating = [s for s in window if _states(kind, s.text, question, form.year_bound)]
        if not stating:
            what = "a number" if kind == "number" else "a date"
            return Assessment(False, f"no passage close to the question states {what}", ranked)
        ranked = stating + [s for s in ranked if s not in stating]
    if form.speaker and not any(_quotes(form.speaker, s) for s in window):
        return Assessment(False, f"no passage close to the question reports what «{form.speaker}» said", ranked)
    return Assessment(True, "", ranked)


def _quotes(speaker: str, sentence: ScoredSentence) -> bool:
    """A verb of saying with the speaker as its subject: «وقال لافروف»، «فيعتبر أسمولوف»، «أكد كيم»."""
    chunk = sentence.hit.chunk
    context = chunk.text[max(0, sentence.start - chunk.start - SPEAKER_CONTEXT):sentence.end - chunk.start]
    words = match_key(context).split()
    wanted = light_stem(speaker)
    for i, word in enumerate(words):
        if set(_without_proclitics(word)) & _SAYING and any(
                light_stem(w) == wanted for after in words[i + 1:i + 1 + SUBJECT_WORDS]
                for w in _without_proclitics(after)):
            return True
    return False


def corpus_knows(vocabulary: frozenset[str]) -> Knows:
    """A stemmed word the corpus uses, exactly or with a suffix the stemmer left (سيار ~ سيارت).

    Only longer corpus words count: «متحدث» (spokesman) is not «متحد» (united)."""
    def knows(token: str) -> bool:
        return token in vocabulary or (len(token) >= 3 and any(
            v.startswith(token) and len(v) - len(token) <= 2 for v in vocabulary))

    return knows


__all__ = ["Assessment", "QuestionForm", "assess", "corpus_knows", "question_form", "slot_fillers"]
