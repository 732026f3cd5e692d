"""The words of a sentence as candidate pieces of a short answer: where each stands and what kind of word it is.

Input: a sentence. Output: one `PhraseWord` per whitespace-separated word, with its character offsets (so a
span of words maps back to the exact quoted text) and the facts a short-answer model uses: its light stem,
whether it is a stopword, a number, a year, a date word, in Latin script, and whether it opens or closes a
clause (punctuation), follows a preposition that often opens an answer, or follows a naming word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.arabic.morphology import light_stem
from assistant.arabic.normalize import STOPWORDS, match_key
from assistant.arabic.numbers import YEAR, number_word
from assistant.arabic.words import states_date, word_list

OPENERS = word_list("answer_openers.txt")
NAMING = word_list("naming_words.txt")
_WORD = re.compile(r"\S+")
_CLOSES = re.compile(r"[،,.؛;:!?؟)\]»\"”]$")
_OPENS = re.compile(r"^[(\[«\"“]")
_LATIN = re.compile(r"[A-Za-z]")
TRIM = " \t\n،,.؛;:()[]«»\"“”-–"
"""Punctuation a short answer does not start or end with."""


@dataclass(frozen=True)
class PhraseWord:
    start: int
    end: int
    key: str
    stem: str
    stop: bool
    closes: bool
    opens: bool
    digit: bool
    year: bool
    date: bool
    number: bool
    article: bool
    latin: bool
    after_opener: bool
    after_naming: bool


def phrase_words(sentence: str) -> list[PhraseWord]:
    """The words of `sentence`, described for short-answer extraction."""
    raw = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(sentence)]
    keys = [match_key(w) for _, _, w in raw]
    out = []
    for i, ((start, end, word), key) in enumerate(zip(raw, keys)):
        first = key.split()[0] if key else ""
        previous = keys[i - 1] if i else ""
        out.append(PhraseWord(start, end, key, light_stem(first) if first else "", not key or key in STOPWORDS,
                              bool(_CLOSES.search(word)), bool(_OPENS.search(word)), any(c.isdigit() for c in key),
                              bool(YEAR.search(key)), bool(first) and states_date(first),
                              bool(first) and (first.isdigit() or number_word(first) is not None),
                              key.startswith("ال"), bool(_LATIN.search(word)), previous in OPENERS,
                              previous in NAMING))
    return out


PAIRS = (("«", "»"), ("(", ")"), ("[", "]"), ("“", "”"), ('"', '"'))
"""Quotes and brackets a short answer keeps whole: «يو تي إير», «25 يوليو (تموز)»."""


def span_text(sentence: str, start: int, end: int) -> str:
    """The text of a span of the sentence, without punctuation at its edges, except a quote or bracket that
    closes (or opens) one the span holds."""
    raw = sentence[start:end]
    text = raw.strip(TRIM)
    if not text:
        return ""
    left = raw.index(text)
    right = left + len(text)
    for opener, closer in PAIRS:
        unclosed = text.count(opener) - text.count(closer) if opener != closer else text.count(opener) % 2
        if unclosed > 0 and closer in raw[right:]:
            right += raw[right:].index(closer) + 1
        elif unclosed < 0 and opener in raw[:left]:
            left = raw[:left].rindex(opener)
        text = raw[left:right]
    return text


__all__ = ["NAMING", "OPENERS", "PAIRS", "PhraseWord", "TRIM", "phrase_words", "span_text"]
