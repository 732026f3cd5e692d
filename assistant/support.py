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

from assistant.chunking import sentence_spans
from assistant.lexical import PROCLITICS, light_stem, tokenize
from assistant.normalize import arabic_stopwords, match_key

SUPPORT_THRESHOLD = 0.6
RARE_IDF = 1.5
"""A claim word the corpus uses this rarely (idf) must be in the passage: another name or place
from the corpus is the typical slip of a RAG model. Words the corpus never uses are left to
`coverage` (they are mostly a paraphrase's own vocabulary)."""
_NUMBER = re.compile(r"\d+")
_NEGATIONS = frozenset({"لم", "لن", "لا", "ليس", "ليست", "غير", "عدم", "دون", "بدون", "لما"})
_NUMBER_WORDS = {
    "واحد": 1, "واحده": 1, "اثنان": 2, "اثنين": 2, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4,
    "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثماني": 8, "ثمانيه": 8,
    "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10, "عشرين": 20, "عشرون": 20, "خمسين": 50, "خمسون": 50,
    "سبعين": 70, "سبعون": 70, "مرتين": 2, "مرتان": 2,
}
_VERB_PREFIXES = ("ت", "ي", "ن", "ا")

Idf = Callable[[str], float]


@dataclass(frozen=True)
class Judgement:
    supported: bool
    coverage: float
    missing_numbers: tuple[str, ...]
    polarity_ok: bool
    missing_rare: tuple[str, ...] = ()


def numbers_in(text: str) -> set[str]:
    """Numbers stated in `text`, digits or common number words (ثلاث → 3)."""
    key = match_key(text)
    found = set(_NUMBER.findall(key))
    for word in key.split():
        value = number_word(word)
        if value is not None:
            found.add(value)
    return found


def number_word(word: str) -> str | None:
    """The value of a number word, also with one proclitic («وثلاث») or و/ب + article («والثلاث»)."""
    candidates = [word]
    if word[:1] in PROCLITICS:
        candidates.append(word[1:])
    if word.startswith(("وال", "بال")):
        candidates.append(word[2:])
    for candidate in candidates:
        if candidate in _NUMBER_WORDS:
            return str(_NUMBER_WORDS[candidate])
    return None


def judge(claim: str, passage: str, idf: Idf | None = None) -> Judgement:
    """Judge whether `passage` supports `claim` (citation markers like [2] are ignored)."""
    claim = _without_markers(claim)
    claim_tokens = set(_content_tokens(claim))
    passage_tokens = set(_content_tokens(passage))
    weight = idf or (lambda _token: 1.0)
    total = sum(weight(t) for t in claim_tokens)
    found = {t for t in claim_tokens if has_token(t, passage_tokens)}
    coverage = sum(weight(t) for t in found) / total if total else 0.0
    unseen = idf("\x00unseen") if idf is not None else 0.0
    missing_rare = tuple(sorted(t for t in claim_tokens - found
                                if idf is not None and RARE_IDF <= idf(t) < unseen and not t.isdigit()))
    missing = tuple(sorted(numbers_in(claim) - numbers_in(passage)))
    closest = _closest_sentence(claim_tokens, passage)
    polarity_ok = _negated_words(claim, set(_content_tokens(closest))) == _negated_words(closest, claim_tokens)
    supported = coverage >= SUPPORT_THRESHOLD and not missing and not missing_rare and polarity_ok
    return Judgement(supported, coverage, missing, polarity_ok, missing_rare)


def covered_words(claim: str, passage: str) -> frozenset[str]:
    """The claim's content words (stemmed) that the passage has: what a passage contributes."""
    passage_tokens = set(_content_tokens(passage))
    return frozenset(t for t in _content_tokens(_without_markers(claim)) if has_token(t, passage_tokens))


def _without_markers(claim: str) -> str:
    """Citation markers like [2] are not words of the claim."""
    return re.sub(r"\[\d+\]", " ", claim)


def _closest_sentence(claim_tokens: set[str], passage: str) -> str:
    """The passage sentence sharing most words with the claim: negation is compared there."""
    sentences = [passage[s.start:s.end] for s in sentence_spans(passage)] or [passage]
    return max(sentences, key=lambda s: len(claim_tokens & set(_content_tokens(s))))


def _content_tokens(text: str) -> list[str]:
    """Stemmed content words, with number words as digits (so «ثلاث مرات» matches «3 مرات»)."""
    return [number_word(t) or t for t in tokenize(text)]


def _negated_words(text: str, other_tokens: set[str]) -> set[str]:
    """Content words of `text` governed by a negation particle, among those `other` also has.

    «ولم تصدر عن القمة قرارات» -> {تصدر}. Comparing these sets, rather than "has a negation",
    keeps a negation elsewhere in a long passage from spoiling an affirmative claim.
    """
    stop = arabic_stopwords()
    words = match_key(text).split()
    negated = set()
    for i, word in enumerate(words):
        if word in _NEGATIONS or (word[:1] in ("و", "ف") and word[1:] in _NEGATIONS):
            following = [w for w in words[i + 1:i + 4] if w not in stop and w not in _NEGATIONS]
            if following:
                negated.add(light_stem(following[0]))
    return {t for t in negated if has_token(t, other_tokens)}


def has_token(token: str, tokens: set[str] | frozenset[str]) -> bool:
    """Exact, or the same word with a clitic or inflection the light stemmer left on.

    استانف ~ استانفت (suffix), تصدر ~ صدرت (imperfect prefix): one shares the other's first
    three letters once a verb prefix is set aside.
    """
    if token in tokens:
        return True
    if token.isdigit() or len(token) < 3:
        return False
    return any(_related(token, t) for t in tokens if not t.isdigit() and len(t) >= 3)


def _related(a: str, b: str) -> bool:
    if len(a) >= 4 and len(b) >= 4 and abs(len(a) - len(b)) <= 2 and (a.startswith(b) or b.startswith(a)):
        return True
    bare_a, bare_b = _bare(a), _bare(b)
    return len(bare_a) >= 3 and len(bare_b) >= 3 and abs(len(bare_a) - len(bare_b)) <= 2 and (
        bare_a.startswith(bare_b) or bare_b.startswith(bare_a))


def _bare(word: str) -> str:
    """Without one proclitic (و ف ب ل ك) and one imperfect-verb prefix (ت ي ن ا)."""
    if len(word) >= 4 and word[0] in PROCLITICS:
        word = word[1:]
    if len(word) >= 4 and word[0] in _VERB_PREFIXES:
        word = word[1:]
    return word
