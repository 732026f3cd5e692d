"""Documents -> what a segment needs: chunks, every sentence once (text, key, stems), chunk stems.

Each sentence is tokenised once and embedded once; a chunk's stems are its sentences' stems (a chunk is
whole sentences), so no text is stemmed or embedded twice however chunks overlap.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Sequence

from assistant.arabic.morphology import tokenize
from assistant.arabic.sentences import sentence_spans
from assistant.ingest.chunking import chunk_document
from assistant.types import Chunk, Document


@dataclass(frozen=True)
class SentenceRow:
    doc_id: str
    start: int
    end: int
    text: str
    key: bytes
    """sha256 of the text (16 bytes): a vector computed for this text is reused wherever it appears."""
    tokens: tuple[str, ...]


@dataclass
class Prepared:
    """A batch of documents, ready to embed and write."""

    docs: list[Document] = field(default_factory=list)
    chunks: list[Chunk] = field(default_factory=list)
    sentences: list[SentenceRow] = field(default_factory=list)
    members: list[list[int]] = field(default_factory=list)
    """Per chunk: the rows of its sentences."""

    def chunk_tokens(self, row: int) -> list[str]:
        return [t for i in self.members[row] for t in self.sentences[i].tokens]


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


def prepare(docs: Sequence[Document], max_words: int, overlap_sentences: int) -> Prepared:
    return concat(docs, [prepare_one(doc, max_words, overlap_sentences) for doc in docs])


def prepare_one(doc: Document, max_words: int, overlap_sentences: int) -> Prepared:
    """One document's rows (what `--ray` computes in a Ray task, see `ray_prepare`)."""
    out = Prepared(docs=[doc])
    spans = sentence_spans(doc.text)
    for span in spans:
        text = doc.text[span.start:span.end]
        out.sentences.append(SentenceRow(doc.id, span.start, span.end, text, text_key(text), tuple(tokenize(text))))
    for chunk in chunk_document(doc, max_words, overlap_sentences, spans):
        out.chunks.append(chunk)
        out.members.append([i for i, sp in enumerate(spans) if sp.start >= chunk.start and sp.end <= chunk.end])
    return out


def concat(docs: Sequence[Document], parts: Sequence[Prepared]) -> Prepared:
    """The rows of `docs` from their documents' own rows (`parts`, in the same order), renumbered."""
    out = Prepared(docs=list(docs))
    for part in parts:
        first = len(out.sentences)
        out.sentences += part.sentences
        out.chunks += part.chunks
        out.members += [[first + i for i in rows] for rows in part.members]
    return out


Preparer = Callable[[Sequence[Document], int, int], Prepared]
"""How a store turns documents into rows: `prepare`, or `--ray`'s rows computed on the cluster."""
