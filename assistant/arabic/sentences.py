"""Sentence spans with exact character offsets: the unit of evidence, citation and chunking."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? ؟ ؛ … (possibly followed by closing quotes) before whitespace.
# A double dot «..» is a headline separator in Arabic news, not an end.
_SENTENCE_END = re.compile(r"(?:[!?؟؛…]+|\.{3,}|(?<!\.)\.(?!\.))[\"”»’)\]]*(?=\s)")
_PARAGRAPH = re.compile(r"[^\n]+")
_CLOSED = re.compile(r"[.!?؟؛:]$")
_WORD = re.compile(r"\S+")
_PAUSE = re.compile(r"[،,:;؛]$")
HEADING_MAX_WORDS = 8
MAX_SENTENCE_WORDS = 100
"""A longer run without an end mark (a scraped list, a transcript) is cut into pieces of at most this many
words, preferring a cut after a comma: the unit of embedding (e5 reads 512 tokens, ~250 Arabic words),
chunking and quoting stays bounded whatever the input."""
MAX_SENTENCE_CHARS = 1000
"""…and of at most this many characters (a run without spaces is cut anywhere)."""


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
                for a, b in _bounded(text, start + lead, end):
                    spans.append(_span(text, a, b, single=len(cuts) == 0))
            start = end
    return spans


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """`text[start:end]` as pieces of at most MAX_SENTENCE_WORDS words, of near-equal length."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]  # offsets in `text`
    if len(words) <= MAX_SENTENCE_WORDS and end - start <= MAX_SENTENCE_CHARS:
        return [(start, end)]
    pieces, first = [], 0
    while len(words) - first > MAX_SENTENCE_WORDS:
        parts = -(-(len(words) - first) // MAX_SENTENCE_WORDS)
        target = first + -(-(len(words) - first) // parts)
        window = range(max(first + 1, target - 15), target + 1)
        cut = next((i for i in reversed(window) if _PAUSE.search(words[i - 1][2])), target)
        pieces.append((words[first][0], words[cut - 1][1]))
        first = cut
    pieces.append((words[first][0], end))
    return [(a + at, min(b, a + at + MAX_SENTENCE_CHARS)) for a, b in pieces
            for at in range(0, b - a, MAX_SENTENCE_CHARS)]


def _span(text: str, start: int, end: int, single: bool) -> Span:
    while end > start and text[end - 1].isspace():
        end -= 1
    piece = text[start:end]
    words = len(piece.split())
    heading = single and words <= HEADING_MAX_WORDS and not _CLOSED.search(piece)
    return Span(start, end, words, heading)
