"""Sentence-aware chunking with exact character offsets into the cleaned document."""

from __future__ import annotations

from assistant.arabic.sentences import Span, sentence_spans
from assistant.types import Chunk, Document


def chunk_document(doc: Document, max_words: int, overlap_sentences: int,
                   spans: list[Span] | None = None) -> list[Chunk]:
    """Group consecutive sentences into chunks of at most `max_words` (a longer sentence stands alone).

    Consecutive chunks share `overlap_sentences` sentences so an answer that straddles a
    boundary is whole in one of them. A heading is never the last unit of a chunk.
    """
    spans = sentence_spans(doc.text) if spans is None else spans
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
            date=doc.date,
        )
        for n, g in enumerate(groups)
    ]


def chunk_documents(docs: list[Document], max_words: int, overlap_sentences: int) -> list[Chunk]:
    return [c for doc in docs for c in chunk_document(doc, max_words, overlap_sentences)]
