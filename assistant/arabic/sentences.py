"""Sentence spans with exact character offsets: the unit of evidence, citation and chunking."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? ؟ ؛ … (possibly followed by closing quotes) before whitespace.
# A double dot «..» is a headline separator in Arabic news, not an end.
_SENTENCE_END = re.compile(r"(?:[!?؟؛…]+|\.{3,}|(?<!\.)\.(?!\.))[\"”»’)\]]*(?=\s)")
_PARAGRAPH = re.compile(r"[^\n]+")
_CLOSED = re.compile(r"[.!?؟؛:]$")
HEADING_MAX_WORDS = 8


@dataclass(frozen=True)
class Span:
    """A sentence (or heading) of a text, by offsets."""

    start: int
    end: int
    words: int
    is_heading: bool


def sentence_spans(text: str) -> list[Span]:
    """Split into sentences at Arabic/Latin end punctuation and at paragraph breaks."""
    spans: list[Span] = []
    for para in _PARAGRAPH.finditer(text):
        start = para.start()
        cuts = [m.end() for m in _SENTENCE_END.finditer(para.group())]
        pieces = [para.start() + c for c in cuts] + [para.end()]
        for end in pieces:
            span_text = text[start:end].strip()
            if span_text:
                lead = len(text[start:end]) - len(text[start:end].lstrip())
                spans.append(_span(text, start + lead, end, single=len(cuts) == 0))
            start = end
    return spans


def _span(text: str, start: int, end: int, single: bool) -> Span:
    while end > start and text[end - 1].isspace():
        end -= 1
    piece = text[start:end]
    words = len(piece.split())
    heading = single and words <= HEADING_MAX_WORDS and not _CLOSED.search(piece)
    return Span(start, end, words, heading)
