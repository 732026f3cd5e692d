"""Which script a text is written in: Arabic letters against Latin ones."""

from __future__ import annotations

import re

ARABIC_LETTER = re.compile(r"[\u0600-\u06FF]")
"""The Arabic block (letters, and the few signs that live in it)."""
LATIN_LETTER = re.compile(r"[A-Za-z]")


def arabic_share(text: str) -> float:
    """Share of letters that are Arabic script (1.0 for text without letters)."""
    arabic, latin = len(ARABIC_LETTER.findall(text)), len(LATIN_LETTER.findall(text))
    return arabic / (arabic + latin) if arabic + latin else 1.0


def latin_share(text: str) -> float:
    """Share of letters that are Latin (0.0 for text without letters)."""
    arabic, latin = len(ARABIC_LETTER.findall(text)), len(LATIN_LETTER.findall(text))
    return latin / (arabic + latin) if arabic + latin else 0.0


def arabic_char_share(text: str) -> float:
    """Share of all characters that are in the Arabic block (how a wrongly decoded file looks)."""
    return len(ARABIC_LETTER.findall(text)) / len(text) if text else 0.0


_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|https?://\S+|www\.\S+|\S+@\S+\.\w+|<[^>]{0,200}>|"
                     r"&\w+;|[*_#`|~]+")
"""Markdown images and links (a link keeps its text), URLs, e-mail addresses, HTML tags and entities, emphasis."""
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_NAME = re.compile(r"[A-Z][A-Za-z]*|[a-z]+[A-Z][A-Za-z]*")
"""A Latin word that is a name or a brand: capitalised, all capitals, or «iPhone»."""


def arabic_word_share(text: str) -> float:
    """Share of the words that are Arabic, once markup, numbers and Latin names are set aside.

    «أما اللقاء الرابع سيكون أمام (RKC WAALWIJK) الهولندي» is Arabic prose (1.0) although a quarter of
    its letters are Latin; «The summit ended on Thursday» is not (0.0). Text with no Arabic word is 0.0."""
    words = _WORD.findall(_MARKUP.sub(lambda m: f" {m.group(1) or ''} ", text))
    arabic = sum(1 for w in words if ARABIC_LETTER.match(w))
    other = sum(1 for w in words if not ARABIC_LETTER.match(w) and not _NAME.fullmatch(w))
    return arabic / (arabic + other) if arabic else 0.0


MIN_ARABIC_WORDS = 0.8
"""Arabic prose: at least this share of its words Arabic (by `arabic_word_share`)."""


def is_arabic_prose(text: str) -> bool:
    """Arabic enough to quote or to show as an answer: names, numbers and markup in Latin do not count against it."""
    return arabic_word_share(text) >= MIN_ARABIC_WORDS
