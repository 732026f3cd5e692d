"""Does a passage support a sentence? A lexical judge, after Arabic normalisation.

A claim is supported when the passage
- contains most of its content words (idf-weighted, so a wrong name weighs more than a common word),
- misses none of its rare words (a name, place or thing the passage never mentions is new information),
- states every number it states (digits or number words: ثلاث = 3), and
- negates the same words (a claim «لم تصدر قرارات» is not supported by «صدرت قرارات», nor the reverse).
It is deterministic, fast and offline, and is measured on hand-labelled pairs
(`eval/support_pairs.jsonl`, `assistant eval --judge`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from assistant.arabic.morphology import has_token, tokenize
from assistant.arabic.numbers import number_word, numbers_in
from assistant.arabic.sentences import sentence_spans
from assistant.arabic.words import negated_stems

SUPPORT_THRESHOLD = 0.6
RARE_IDF = 1.5
"""A claim word the corpus uses this rarely (idf) must be in the passage: another name or place
from the corpus is the typical slip of a RAG model. Words the corpus never uses are left to
`coverage` (they are mostly a paraphrase's own vocabulary)."""
CITATION_MARKER = re.compile(r"\s*\[(\d+)\]")

Idf = Callable[[str], float]


@dataclass(frozen=True)
class Judgement:
    supported: bool
    coverage: float
    missing_numbers: tuple[str, ...]
    polarity_ok: bool
    missing_rare: tuple[str, ...] = ()


def unseen_idf(idf: Idf) -> float:
    """The idf a stem no document uses gets (the highest): below it, the corpus knows the word."""
    return idf("\x00unseen")


def judge(claim: str, passage: str, idf: Idf | None = None) -> Judgement:
    """Judge whether `passage` supports `claim` (citation markers like [2] are ignored)."""
    claim = without_markers(claim)
    claim_tokens = set(_content_tokens(claim))
    passage_tokens = set(_content_tokens(passage))
    weight = idf or (lambda _token: 1.0)
    total = sum(weight(t) for t in claim_tokens)
    found = {t for t in claim_tokens if has_token(t, passage_tokens)}
    coverage = sum(weight(t) for t in found) / total if total else 0.0
    unseen = unseen_idf(idf) if idf is not None else 0.0
    missing_rare = tuple(sorted(t for t in claim_tokens - found
                                if idf is not None and RARE_IDF <= idf(t) < unseen and not t.isdigit()))
    missing = tuple(sorted(numbers_in(claim) - numbers_in(passage)))
    closest = _closest_sentence(claim_tokens, passage)
    polarity_ok = _negated(claim, set(_content_tokens(closest))) == _negated(closest, claim_tokens)
    supported = coverage >= SUPPORT_THRESHOLD and not missing and not missing_rare and polarity_ok
    return Judgement(supported, coverage, missing, polarity_ok, missing_rare)


def covered_words(claim: str, passage: str) -> frozenset[str]:
    """The claim's content words (stemmed) that the passage has: what a passage contributes."""
    passage_tokens = set(_content_tokens(passage))
    return frozenset(t for t in _content_tokens(without_markers(claim)) if has_token(t, passage_tokens))


def without_markers(claim: str) -> str:
    """Citation markers like [2] are not words of the claim."""
    return CITATION_MARKER.sub(" ", claim)


def _closest_sentence(claim_tokens: set[str], passage: str) -> str:
    """The passage sentence sharing most words with the claim: negation is compared there."""
    sentences = [passage[s.start:s.end] for s in sentence_spans(passage)] or [passage]
    return max(sentences, key=lambda s: len(claim_tokens & set(_content_tokens(s))))


def _content_tokens(text: str) -> list[str]:
    """Stemmed content words, with number words as digits (so «ثلاث مرات» matches «3 مرات»)."""
    return [number_word(t) or t for t in tokenize(text)]


def _negated(text: str, other_tokens: set[str]) -> set[str]:
    """Words of `text` governed by a negation particle, among those `other` also has.

    Comparing these sets, rather than "has a negation", keeps a negation elsewhere in a long passage
    from spoiling an affirmative claim.
    """
    return {t for t in negated_stems(text) if has_token(t, other_tokens)}
