"""Arabic normalisation for matching: one function used by search, cleaning, the judge and the eval.

The cleaned text shown to users is never normalised; only match keys are.
"""

from __future__ import annotations

import re
import unicodedata

from assistant.arabic.data import entries

_DIACRITICS = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED]")
_TATWEEL = "\u0640"
_CHAR_MAP = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
        "ى": "ي", "ی": "ي", "ې": "ي", "ئ": "ي",
        "ة": "ه", "ۃ": "ه",
        "ک": "ك", "ڪ": "ك",
        "ؤ": "و",
        "ء": "",
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
    }
)
_NON_WORD = re.compile(r"[^\w]+|_")
_FINAL_NJ = re.compile(r"(?<=\w)نج\b")
_SPACES = re.compile(r"\s+")


def normalize_arabic(text: str) -> str:
    """Fold spelling differences that Arabic writers and typists make.

    Diacritics and tatweel go; hamza forms of alef become bare alef; ى→ي, ة→ه;
    Persian letters (ک ی) and digits become Arabic/ASCII ones; punctuation becomes
    space; Latin is lower-cased.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_CHAR_MAP).lower()
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _variant_rules() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {}
    for line in entries("transliterations.tsv"):
        variant, canonical = line.split("\t")
        table[normalize_arabic(variant)] = normalize_arabic(canonical)
    alternatives = "|".join(re.escape(v) for v in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), table


_VARIANTS, _CANONICAL = _variant_rules()


def fold_names(normalized: str) -> str:
    """Map transliteration variants of foreign names to one spelling (input: normalised text)."""
    text = _FINAL_NJ.sub("نغ", normalized)
    return _VARIANTS.sub(lambda m: _CANONICAL[m.group(0)], text) if _CANONICAL else text


def match_key(text: str) -> str:
    """The form two texts are compared in: normalised, with name variants folded."""
    return fold_names(normalize_arabic(text))


STOPWORDS: frozenset[str] = frozenset(normalize_arabic(" ".join(entries("stopwords.txt"))).split())
"""Function words that carry no evidence for BM25 (question words among them)."""
