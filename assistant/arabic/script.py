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
