"""What kind of thing a word of a sentence names, for the short-answer span model: a place, an organisation,
a person, a unit of measure, a month or weekday, a nationality or other «-ي» adjective.

Input: a word's match key (`normalize.match_key`). The signal words come from `resources/` and are looked up
with and without the article and one-letter proclitics («بمدينة» -> «مدينة»). These are hints for the
learned ranker (an answer to «أين» often follows «مدينة»; one to «من» often holds «بن»), never rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.arabic.morphology import proclitic_forms
from assistant.arabic.words import MONTHS, WEEKDAYS, word_list

PLACES = word_list("place_words.txt")
ORGANISATIONS = word_list("organisation_words.txt")
PERSONS = word_list("person_words.txt")
UNITS = word_list("unit_words.txt")
_NISBA = re.compile(r"^(?:ال)?\w{3,}(?:ي|يه|يون|يين|يات)$")
"""«السعودي», «المصرية», «الفلسطينيين»: adjectives of origin (and others of the same shape)."""


@dataclass(frozen=True)
class WordKind:
    place: bool
    organisation: bool
    person: bool
    unit: bool
    calendar: bool
    """A month or a weekday."""
    nisba: bool


NONE = WordKind(False, False, False, False, False, False)


def word_kind(key: str) -> WordKind:
    """The kinds of thing `key` (one word, as a match key) signals."""
    if not key:
        return NONE
    forms = set(proclitic_forms(key))
    return WordKind(bool(forms & PLACES), bool(forms & ORGANISATIONS), bool(forms & PERSONS), bool(forms & UNITS),
                    bool(forms & (MONTHS | WEEKDAYS)), bool(_NISBA.match(key)))


__all__ = ["NONE", "WordKind", "word_kind"]
