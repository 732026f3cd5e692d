"""Numbers in Arabic text: digits and the one table of number words (`resources/numbers.tsv`).

The citation judge, the answerability checks and the eval all read numbers here, so «ثمانين» is 80
for each of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.arabic.data import entries
from assistant.arabic.morphology import PROCLITICS
from assistant.arabic.normalize import match_key, normalize_arabic

Kind = Literal["cardinal", "dual", "ordinal"]
_DIGITS = re.compile(r"\d+")
YEAR = re.compile(r"(?:1[89]|20)\d\d")
"""A four-digit year of the modern era."""


@dataclass(frozen=True)
class NumberWord:
    value: int
    kind: Kind


def _table() -> dict[str, NumberWord]:
    table = {}
    for line in entries("numbers.tsv"):
        word, value, kind = line.split("\t")
        table[normalize_arabic(word)] = NumberWord(int(value), kind)  # type: ignore[arg-type]
    return table


NUMBER_WORDS: dict[str, NumberWord] = _table()
COUNTING_WORDS: frozenset[str] = frozenset(w for w, n in NUMBER_WORDS.items() if n.kind != "ordinal")
"""Words that state how many (cardinals and duals such as «مرتين»), as match keys."""


def _candidates(word: str) -> list[str]:
    """The word, without one proclitic («وثلاث»), and without و/ب + the article («والثلاث»)."""
    candidates = [word]
    if word[:1] in PROCLITICS:
        candidates.append(word[1:])
    if word.startswith(("وال", "بال")):
        candidates.append(word[2:])
    return candidates


def number_word(word: str) -> str | None:
    """The value (as digits) of a counting word in match-key form, also under a proclitic; else None."""
    for candidate in _candidates(word):
        entry = NUMBER_WORDS.get(candidate)
        if entry is not None and entry.kind != "ordinal":
            return str(entry.value)
    return None


def ordinal_word(word: str) -> int | None:
    """1 for «الأولى», 3 for «والثالث», -1 for «الأخيرة» (match-key form); else None."""
    for candidate in _candidates(word):
        entry = NUMBER_WORDS.get(candidate)
        if entry is not None and entry.kind == "ordinal":
            return entry.value
    return None


def numbers_in(text: str) -> set[str]:
    """Numbers stated in `text`, digits or number words (ثلاث → 3)."""
    key = match_key(text)
    found = set(_DIGITS.findall(key))
    for word in key.split():
        value = number_word(word)
        if value is not None:
            found.add(value)
    return found
