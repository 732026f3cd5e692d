"""Classes of words, from the word lists in `resources/`: what states a date, a quantity or a share,
which words report speech, which negate.

Lists are written in ordinary spelling and compared as match keys; every function takes a word
already in match-key form (see `normalize.match_key`).
"""

from __future__ import annotations

import re

from assistant.arabic.data import entries
from assistant.arabic.morphology import CONJUNCTIONS, light_stem, proclitic_forms, strip_endings
from assistant.arabic.normalize import STOPWORDS, match_key
from assistant.arabic.numbers import YEAR, number_word


def word_list(name: str) -> frozenset[str]:
    """The words of `resources/<name>` (several a line) as match keys."""
    return frozenset(match_key(word) for line in entries(name) for word in line.split())


def phrase_list(name: str) -> frozenset[str]:
    """The phrases of `resources/<name>` (one a line) as match keys."""
    return frozenset(match_key(line) for line in entries(name))


MONTHS = word_list("months.txt")
WEEKDAYS = word_list("weekdays.txt")
TIME_UNITS = word_list("time_units.txt")
TIME_AHEAD = word_list("time_ahead.txt")
TIME_WORDS = word_list("time_words.txt")
SAYING = word_list("saying.txt")
SHARE_WORDS = word_list("share_words.txt")
QUANTITY_WORDS = word_list("quantity_words.txt")
NEGATIONS = word_list("negations.txt")
PRONOUN_PREPOSITIONS = word_list("pronoun_prepositions.txt")
"""«عنه», «لها»: a preposition carrying a pronoun («ماذا قال عنه بوتين»: not the speaker)."""
_DECADE = re.compile(r"\w+(?:ينيات|ينات)")
_DATE_WORDS = MONTHS | WEEKDAYS | TIME_WORDS | TIME_UNITS
_ONE_OF = "من"


_ERA_YEAR = re.compile(r"\d{1,4}[مه]")
"""A year with its era joined: «1529م», «874م», «1436هـ» (as a match key: «1436ه»)."""
_ERAS = frozenset({"م", "ه"})


def states_era_year(word: str, following: str) -> bool:
    """A year of any era written with it, as history and Saudi news write them: «1529م», «1436 هـ».
    `states_date` knows bare years of 1800–2099 only (the shipped models' features read it); the date checks of
    `answerability` read this too («سنة 622» already states a date by «سنة»)."""
    return bool(_ERA_YEAR.fullmatch(word)) or (word.isdigit() and len(word) <= 4 and following in _ERAS)


def states_date(word: str) -> bool:
    """A year, a decade, a month, a weekday, a unit of time or a relative time («عشية»)."""
    return bool(YEAR.fullmatch(word) or _DECADE.fullmatch(word) or set(proclitic_forms(word)) & _DATE_WORDS)


def states_quantity(word: str, following: str, share: bool = False) -> bool:
    """A number that is not a year or a day of the month, a number word (not «واحدة من», one of), or a
    word for a quantity («ضعف», «عشرات»); with `share`, also a word for a share («الغالبية»)."""
    if word.isdigit():
        return not YEAR.fullmatch(word) and not set(proclitic_forms(following)) & MONTHS
    forms = list(proclitic_forms(word))
    if set(forms) & QUANTITY_WORDS or (share and set(forms) & SHARE_WORDS):
        return True
    value = next((v for v in map(number_word, forms) if v is not None), None)
    return value is not None and not (value == "1" and following == _ONE_OF)


def is_ahead(word: str) -> bool:
    """A word that places an event after the article («غدا», «المقبل»)."""
    return bool(set(proclitic_forms(word)) & TIME_AHEAD)


def is_saying(word: str) -> bool:
    """«وقالت», «اعتبرهما», «لوصف»: a verb or noun of saying under its clitics and person endings."""
    return any(stem in SAYING for form in proclitic_forms(word) for stem in strip_endings(form))


def is_negation(word: str) -> bool:
    """A negating particle, alone or after «و/ف» («ولم»)."""
    return word in NEGATIONS or (word[:1] in CONJUNCTIONS and word[1:] in NEGATIONS)


def negated_stems(text: str) -> set[str]:
    """Stems of the content words governed by a negation particle: «ولم تصدر عن القمة قرارات» -> {تصدر}."""
    words = match_key(text).split()
    negated = set()
    for i, word in enumerate(words):
        if is_negation(word):
            following = [w for w in words[i + 1:i + 4] if w not in STOPWORDS and w not in NEGATIONS]
            if following:
                negated.add(light_stem(following[0]))
    return negated
