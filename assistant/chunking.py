"""Sentence-aware chunking with exact character offsets into the cleaned document."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.documents import Chunk, Document

# A sentence ends at . ! ? ؟ ؛ … (possibly followed by closing quotes) before whitespace.
# A double dot «..» is a headline separator in Arabic news, not an end.
_SENTENCE_END = re.compile(r"(?:[!?؟؛…]+|\.{3,}|(?<!\.)\.(?!\.))[\"”»’)\]]*(?=\s)")
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True)
class Span:
    """A sentence (or heading) of a document, by offsets."""

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
    heading = single and words <= 8 and not re.search(r"[.!?؟؛:]$", piece)
    return Span(start, end, words, heading)


def chunk_document(doc: Document, max_words: int, overlap_sentences: int) -> list[Chunk]:
    """Group consecutive sentences into chunks of at most `max_words` (a longer sentence stands alone).

    Consecutive chunks share `overlap_sentences` sentences so an answer that straddles a
    boundary is whole in one of them. A heading is never the last unit of a chunk.
    """
    spans = sentence_spans(doc.text)
    groups: list[list[Span]] = []
    i = 0
    while i < len(spans):
        group = [spans[i]]
        words = spans[i].words
        j = i + 1
        while j < len(spans) and words + spans[j].words <= max_words:
            group.append(spans[j])
            words += spans[j].words
            j += 1
        while len(group) > 1 and group[-1].is_heading:
            group.pop()
            j -= 1
        groups.append(group)
        if j >= len(spans):
            break
        i = max(j - overlap_sentences, i + 1)
    return [
        Chunk(
            chunk_id=f"{doc.id}#{n}",
            doc_id=doc.id,
            title=doc.title,
            source=doc.source,
            text=doc.text[g[0].start:g[-1].end],
            start=g[0].start,
            end=g[-1].end,
        )
        for n, g in enumerate(groups)
    ]


def chunk_documents(docs: list[Document], max_words: int, overlap_sentences: int) -> list[Chunk]:
    return [c for doc in docs for c in chunk_document(doc, max_words, overlap_sentences)]
