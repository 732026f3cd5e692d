"""Spoken-Arabic contractions in questions, written out the standard way so they match the articles.

«مين اللي يكونون ورا هالتفجيرات؟»: Gulf and Levantine speakers join «هذا/هذه» to the noun as «هال-»
(«هالموسم», «هالعبارة»); the articles write «هذا الموسم», and neither the stemmer nor BM25 sees «الموسم» in
«هالموسم». Only questions are rewritten; the articles are standard Arabic.
"""

from __future__ import annotations

import re

_DEMONSTRATIVE = re.compile(r"(?<![\w])([وف]?)ه(?=ال\w{3,})")
"""«هال» + a noun of three letters or more after «ال»: «هالة» (a name) and «هالك» (perishing) stay."""


def standard_spelling(question: str) -> str:
    """`question` with «هال» + noun contractions written «ال» + noun («هالتفجيرات» -> «التفجيرات»)."""
    return _DEMONSTRATIVE.sub(r"\1", question)


__all__ = ["standard_spelling"]
