"""Can the retrieved sentences answer this question at all? Checks by the form of the question.

A high similarity score is not enough. A near-miss question («كم دبابة أرسلت روسيا إلى كوريا
الشمالية؟») retrieves sentences about Russia sending things to North Korea: they score well,
but none states a number of tanks. Each check below follows from what a question of a given
form needs, never from a particular question, and each errs towards answering: refusing a
question the articles answer is the worse mistake. Before the checks by form, the input must be a
question (not a greeting), and one of the best sentences must be about it in meaning (e5
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
import re
from dataclasses import dataclass
from typing import Callable, Literal, Sequence

from assistant.evidence import ScoredSentence
from assistant.lexical import light_stem, proclitic_forms
from assistant.normalize import arabic_stopwords, match_key
from assistant.support import number_word
from assistant.verify import arabic_share

Slot = Literal["quantity", "share", "duration", "date"]
Knows = Callable[[str], bool]
"""Does the corpus use this stemmed word?"""

SLOT_WINDOW = 4
"""A quantity or date must be stated in one of the best this-many sentences (and within
`SLOT_MARGIN` of the best score): further down, a number is likely about something else."""
SLOT_MARGIN = 0.2
SPEAKER_CONTEXT = 300
"""Characters before a sentence where its speaker may be named («وأضاف أن ...» after «وقال لافروف»)."""

_QUANTITY_QUESTION = re.compile(
    r"(?:^|\s)[وف]?ب?(?:كم|كام|قديش)(?:\s|$)|(?:^|\s)[وف]?ما (?:هو |هي )?(?:عدد|قيمه|حجم|مقدار)\s"
    r"|\bhow (?:many|much)\b|\bwhat (?:number|amount)\b")
_SHARE_QUESTION = re.compile(r"(?:^|\s)[وف]?ما (?:هي )?نسبه\s|\bwhat (?:percentage|proportion|share)\b")
_DURATION_QUESTION = re.compile(
    r"(?:^|\s)[وف]?كم (?:من الوقت|من الزمن|دام|دامت|استمر|استمرت|يستمر|تستمر|استغرق|استغرقت|يوما|"
    r"ساعه|عاما|سنه|شهرا|اسبوعا|دقيقه)|(?:^|\s)[وف]?ما (?:هي |هو )?(?:المده|مده)\s|\bhow long\b")
_FUTURE_DATE_QUESTION = re.compile(r"(?:^|\s)[وف]?ا?متي س[يتنا]\S+|\bwhen will\b")
"""«متى سيزور ...؟»: a future event, answered only by a sentence that dates something ahead."""
_DATE_QUESTION = re.compile(
    r"(?:^|\s)[وف]?ا?متي(?:\s|$)|(?:^|\s)(?:في|منذ|الي|حتي) اي (?:عام|سنه|شهر|يوم|تاريخ|ساعه|وقت|عقد)\s"
    r"|^(?:and )?when\b|\bwhen (?:did|was|were|is|are|will|does|do|has|had)\b"
    r"|\b(?:what|which) (?:year|month|day|date|time)\b|\bsince when\b")
_YEAR_BOUND = re.compile(r"(?:^|\s)(بعد|قبل|after|before)\s+(?:\S+\s+){0,3}?((?:1[89]|20)\d\d)(?:\s|$)")
_FOCUS_HEADS = frozenset({"اسم", "اسما", "اسماء", "عدد", "نسبه", "قيمه", "نوع", "حجم", "مقدار"})
"""«ما اسم X»، «كم عدد X»: the answer is a property of X, so the articles must use the word X."""
_ASKING = frozenset({"ما", "وما", "كم", "وكم", "هو", "هي", "يبلغ", "تبلغ", "بلغ", "بلغت"})
"""Words that, just before a focus head, make it part of the question («ما اسم»، «كم يبلغ عدد»)."""
_GENERIC = frozenset({"شخص", "رجل", "امراه", "شي", "جهه", "مكان", "بلد", "دول", "شرك", "منظم", "مدين",
                      "مسوول", "فرد", "افراد", "اشخاص", "ناس"})
"""Stems of words a question uses for any person, place or thing: the articles need not use them."""
_SPEECH_QUESTION = re.compile(
    r"(?:^|\s)(?:[وف]?ماذا|بماذا|كيف|ما الذي|ما|شو|ايش|وش) (?:قال|يقول|علق|يعلق|وصف|يصف|صرح|اكد|يوكد|يري|راي|"
    r"اعتبر|يعتبر|توقع|يتوقع|اعلن|يعلن)(?:ت)? ((?:\S+ ){0,2}\S+)")
"""«ماذا قال لافروف»: group 1 holds the speaker (Arabic only: an English name cannot be matched)."""


def _keys(words: str) -> frozenset[str]:
    """Word lists are written in ordinary spelling and compared as match keys."""
    return frozenset(match_key(w) for w in words.split())


_MONTHS = _keys("يناير فبراير مارس أبريل ابريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر "
                "ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين")
_WEEKDAYS = _keys("السبت الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة")
_TIME_UNITS = _keys("يوم يوما أيام يومين ساعة ساعات ساعتين دقيقة دقائق دقيقتين أسبوع أسبوعين أسابيع شهر شهرا "
                    "شهرين أشهر شهور عام عاما عامين أعوام سنة سنتين سنوات سنين عقدين عقود قرن قرون")
"""(Not «عقد»: more often «to hold» than «decade».)"""
_AHEAD = _keys("غدا غد المقبل المقبلة القادم القادمة لاحقا المرتقب المرتقبة المقرر مقرر المنتظر")
_WHEN_WORDS = _keys("أمس غدا غد البارحة اليوم الجاري الماضي الماضية المقبل المقبلة القادم القادمة الحالي "
                    "الحالية منتصف مطلع أوائل أواخر بداية نهاية صباح مساء ظهر فجر ليلة الليلة آنذاك حينها "
                    "حين عندما عشية قبيل عقب إثر أثناء خلال لاحق لاحقا سابق سابقا مؤخرا حاليا الآن")
_WITH_PRONOUN = _keys("عنه عنها عنهم عنهما له لها لهم منه منها فيه فيها إليه إليها عليه عليها معه معها به بها")
"""«ماذا قال عنه بوتين»: a preposition with a pronoun is not the speaker."""
_SAYING = _keys("قال يقول قائلا قوله علق تعليق وصف يصف صرح تصريح تصريحات أكد يؤكد أوضح يوضح أشار يشير اعتبر "
                "يعتبر رأى يرى تابع أضاف يضيف لفت ذكر يذكر شدد حذر توقع يتوقع أعلن يعلن أعرب كتب كشف أفاد "
                "نقل بحسب حسب وفق وفقا رأي موقف")
"""Verbs (and nouns) of saying, as light stems: «وقالت» and «اعتبرهما» reduce to them."""
_DECADE = re.compile(r"\w+(?:ينيات|ينات)")
_SHARE_WORDS = _keys("غالبية أغلبية معظم نصف ثلث ربع بالمئة بالمائة المئة المائة")
_QUANTITY_WORDS = _keys("ضعف ضعفي أضعاف نصف ربع ثلث عشرات مئات آلاف ألف آلافا مليون ملايين مليار مليارات "
                        "ثلاثين ثلاثون أربعين أربعون ستين ستون ثمانين ثمانون تسعين تسعون مئة مائة "
                        "مئتين مئتي مئتان مائتين مائتي ألفين ألفي ألفان مليونين مليوني مليونان مليارين ملياري "
                        "بضع بضعة مرتين مرتان شهرين عامين سنتين يومين أسبوعين ساعتين عقدين دقيقتين")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_SMALL_TALK = frozenset(match_key(phrase) for phrase in (
    "السلام عليكم", "سلام عليكم", "وعليكم السلام", "مرحبا", "مرحبا بك", "أهلا", "أهلا وسهلا", "أهلا بك",
    "صباح الخير", "مساء الخير", "شكرا", "شكرا لك", "شكرا جزيلا", "مع السلامة", "hello", "hi", "hey", "thanks",
    "thank you", "good morning", "good evening", "bye"))
"""Greetings and thanks are not questions about the articles (and «السلام» matches «معاهدة سلام»)."""


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


@dataclass(frozen=True)
class Assessment:
    answerable: bool
    reason: str
    """Why not, in a sentence (for eval reports and logs); empty when answerable."""
    sentences: list[ScoredSentence]
    """The ranked sentences; for a quantity or date question one that states it comes first."""


def question_form(question: str) -> QuestionForm:
    key = match_key(question)
    slots: set[Slot] = set()
    if _DURATION_QUESTION.search(key):
        slots.add("duration")
    elif _SHARE_QUESTION.search(key):
        slots.add("share")
    elif _QUANTITY_QUESTION.search(key):
        slots.add("quantity")
    if _DATE_QUESTION.search(key):
        slots.add("date")
    return QuestionForm(frozenset(slots), _year_bound(key), bool(_FUTURE_DATE_QUESTION.search(key)),
                        _focus(key.split()), _speaker(key))


def _year_bound(key: str) -> tuple[str, int] | None:
    bound = _YEAR_BOUND.search(key)
    if not bound:
        return None
    return ("after" if bound.group(1) in ("بعد", "after") else "before", int(bound.group(2)))


def _focus(words: list[str]) -> str | None:
    """X in «ما اسم X», «كم عدد X», «ما نسبة X» (Arabic only); None for a stop word or a generic word."""
    stop = arabic_stopwords()
    for i, word in enumerate(words[:-1]):
        if word in _FOCUS_HEADS and any(w in _ASKING for w in words[max(0, i - 2):i]):
            focus = words[i + 1]
            return None if focus in stop or light_stem(focus) in _GENERIC else focus
    return None


def _speaker(key: str) -> str | None:
    """The words naming whoever is asked about: after the verb of saying, skipping prepositions and
    pronouns («ماذا قال عنه بوتين»), up to the next one («كيف يرى الخبير قسطنطين أسمولوف التعاون»
    -> «الخبير قسطنطين أسمولوف»; «ماذا قال لافروف خلال زيارته» -> «لافروف»)."""
    found = _SPEECH_QUESTION.search(key)
    if not found:
        return None
    stop = arabic_stopwords() | _WITH_PRONOUN
    words = found.group(1).split()
    while words and words[0] in stop:
        words.pop(0)
    name = []
    for word in words:
        if word in stop:
            break
        name.append(word)
    return " ".join(name) or None


def slot_fillers(slot: Slot, sentence: str, question: str = "") -> list[str]:
    """Words of `sentence` that state a `slot`. For a date, words the question already has do not count."""
    asked = set(match_key(question).split()) if slot == "date" else set()
    words = match_key(sentence).split()
    found = []
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word not in asked and _fills(slot, word, following):
            found.append(word)
    return found


def _fills(slot: Slot, word: str, following: str) -> bool:
    forms = set(proclitic_forms(word))
    if slot == "date":
        return bool(_YEAR.fullmatch(word) or _DECADE.fullmatch(word)
                    or forms & (_MONTHS | _WEEKDAYS | _WHEN_WORDS | _TIME_UNITS))
    if word.isdigit():  # a year or a day of the month is a date, not a quantity
        return not _YEAR.fullmatch(word) and not set(proclitic_forms(following)) & _MONTHS
    if forms & _QUANTITY_WORDS or (slot == "share" and forms & _SHARE_WORDS):
        return True
    value = number_word(word)
    return value is not None and not (value == "1" and following == "من")  # «واحدة من» = one of


def _states(slot: Slot, sentence: str, question: str, form: QuestionForm) -> bool:
    """The sentence states the slot. For a date: one ahead if the question asks about the future, and
    with a year bound, no year it gives breaks the bound (a relative date cannot, «أكتوبر الماضي»)."""
    fillers = slot_fillers(slot, sentence, question)
    words = match_key(sentence).split()
    years = [int(w) for w in words if _YEAR.fullmatch(w)]
    if slot == "duration" and not fillers:  # «من 1950 إلى 1953»: two years make a span
        return len(set(years)) >= 2
    if slot != "date" or not fillers:
        return bool(fillers)
    if form.ahead and not any(set(proclitic_forms(w)) & _AHEAD for w in words):
        return False
    if form.year_bound is None or not years:
        return True
    side, bound = form.year_bound
    return any(y >= bound if side == "after" else y <= bound for y in years)


def assess(question: str, ranked: Sequence[ScoredSentence], threshold: float, knows: Knows,
           min_meaning: float = 0.0, follow_up: bool = False) -> Assessment:
    """Whether `ranked` (best first) can answer `question`, and the sentences in the order to use them.

    `question` is the one the user typed (for a follow-up, not the rewritten one used for search).
    `threshold` bounds the best score (meaning and shared words); `min_meaning` the best e5 similarity
    alone among the first few, so that shared words cannot carry an off-topic question.
    `follow_up`: the question was searched with the one it depends on («When?» is a question then)."""
    ranked = list(ranked)
    not_a_question = _not_a_question(question, follow_up)
    if not_a_question:
        return Assessment(False, not_a_question, ranked)
    if not ranked or ranked[0].score < threshold:
        return Assessment(False, "no passage is close enough to the question", ranked)
    if max(s.dense for s in ranked[:SLOT_WINDOW]) < min_meaning:
        return Assessment(False, "no passage is about the question: they only share words with it", ranked)
    form = question_form(question)
    window = [s for s in ranked[:SLOT_WINDOW] if s.score >= max(threshold, ranked[0].score - SLOT_MARGIN)]
    reason = (_unknown_focus(form, knows) or _unstated_slot(form, question, window)
              or _unnamed_speaker(form, window))
    if reason:
        return Assessment(False, reason, ranked)
    return Assessment(True, "", _stating_first(form, question, ranked, window))


def _not_a_question(question: str, follow_up: bool) -> str | None:
    """A greeting (the whole input: «hello there» is not caught), or one word in Latin script that is not a
    follow-up: e5 rates «hello» closer to the articles (0.82) than «Putin» (0.80), and a Latin word gets no
    lexical check, so an answer to it would be chance."""
    key = match_key(question)
    if key in _SMALL_TALK:
        return "a greeting or thanks, not a question about the articles"
    if len(key.split()) < 2 and arabic_share(question) < 0.5 and not follow_up:
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
    return named and any(_says(word) for word in words)


def _says(word: str) -> bool:
    """«وقالت»، «اعتبرهما»، «لوصف»: a verb of saying under its clitics and person endings."""
    for form in proclitic_forms(word):
        for ending in ("", "ت", "وا", "ها", "هما", "هم", "ه"):
            if form.endswith(ending) and (form[:len(form) - len(ending)] if ending else form) in _SAYING:
                return True
    return False


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


__all__ = ["Assessment", "QuestionForm", "Slot", "assess", "corpus_knows", "question_form", "slot_fillers"]
