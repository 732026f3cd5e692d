"""Span features beyond the span's own words: the words right outside it, what kind of thing its words name
(`arabic.span_words`), whether that fits the answer type, and how its sentence and neighbourhood hold the
question's words.

Why: the span model overfitted its training articles on position features alone (in-sample F1 0.57 against
0.31 cross-validated); these say what kind of words a span holds and how it sits in its sentence, which carry
over to new articles.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.arabic.answer_types import AnswerType
from assistant.arabic.phrases import OPENERS, PhraseWord
from assistant.arabic.span_words import NONE, WordKind, word_kind

CONTEXT_FEATURES: tuple[str, ...] = (
    "prev_stop", "next_stop", "next_opener", "place_in", "organisation_in", "person_in", "unit_in", "calendar_in",
    "nisba_share", "place_before", "organisation_before", "person_before", "unit_after", "first_place",
    "first_organisation", "first_person", "fits_type", "sentence_asked_share", "sentence_most_asked",
    "dense_distance", "asked_left", "asked_right")
WINDOW = 2
"""Half-width of the window whose centre holds the most question words (the densest cluster)."""
NEAR = 3
"""Question words counted this many words to each side of a span."""
FAR = 30
"""Word distances are capped here (also where no question word lies on a side: `short`)."""


@dataclass(frozen=True)
class SentenceWords:
    """A sentence's words, what each names, which are question words, and where they cluster."""

    words: list[PhraseWord]
    kinds: list[WordKind]
    hit: list[bool]
    centre: int
    distinct: int
    """Distinct question words the sentence holds."""


def sentence_words(words: list[PhraseWord], asked: set[str]) -> SentenceWords:
    kinds = [word_kind(w.key.split()[0]) if w.key else NONE for w in words]
    hit = [w.stem in asked and not w.stop for w in words]
    dense = [sum(hit[max(0, c - WINDOW):c + WINDOW + 1]) for c in range(len(words))]
    centre = max(range(len(words)), key=lambda c: (dense[c], -c), default=0)
    return SentenceWords(words, kinds, hit, centre, len({w.stem for w, h in zip(words, hit) if h}))


def context_row(s: SentenceWords, i: int, j: int, kind: AnswerType, asked: int, most: int) -> list[float]:
    """Features of words `i:j` of `s`; `asked`: question words in all; `most`: the most any sentence shown holds."""
    words, kinds, n = s.words, s.kinds, len(s.words)
    inside = kinds[i:j]
    before, after = (kinds[i - 1] if i else NONE), (kinds[j] if j < n else NONE)
    previous, following = (words[i - 1] if i else None), (words[j] if j < n else None)
    dense = 0 if i <= s.centre < j else min(abs(s.centre - i), abs(s.centre - j + 1))
    return [float(previous is not None and previous.stop), float(following is not None and following.stop),
            float(following is not None and following.key in OPENERS),
            float(any(k.place for k in inside)), float(any(k.organisation for k in inside)),
            float(any(k.person for k in inside)), float(any(k.unit for k in inside)),
            float(any(k.calendar for k in inside)), sum(k.nisba for k in inside) / (j - i),
            float(before.place), float(before.organisation), float(before.person), float(after.unit),
            float(inside[0].place), float(inside[0].organisation), float(inside[0].person),
            float(_fits(kind, words[i:j], inside, before)), s.distinct / max(1, asked), float(s.distinct >= most),
            min(dense, FAR), sum(s.hit[max(0, i - NEAR):i]), sum(s.hit[j:j + NEAR])]


def _fits(kind: AnswerType, span: list[PhraseWord], inside: list[WordKind], before: WordKind) -> bool:
    """The span holds the kind of thing the question asks for (a date for «متى», a name after «مدينة» for «أين»)."""
    if kind == "date":
        return any(w.date or w.year for w in span) or any(k.calendar for k in inside)
    if kind == "number":
        return any(w.number or w.digit for w in span)
    if kind == "person":
        return any(k.person for k in inside) or before.person
    if kind == "place":
        return any(k.place for k in inside) or before.place
    if kind == "organisation":
        return any(k.organisation for k in inside)
    return False


__all__ = ["CONTEXT_FEATURES", "SentenceWords", "context_row", "sentence_words"]
