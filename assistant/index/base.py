"""The store interface: what retrieval and answering need from an index, whatever engine holds it.

After txtai's `ann/base.py`: one small abstract class; FAISS + BM25 segments (`faiss_store.FaissStore`) is
the embedded default, and others plug in through `assistant.factory` by a spec string (`ASSISTANT_STORE`:
`milvus_store.MilvusStore` for a Milvus server or cluster). Documents go in by id (chunked, embedded and tokenised by the store: upsert
replaces a document whole, delete removes it); chunk ids with scores come out of the two searches, each
restricted by `SearchFilters` (publisher, date); per-sentence vectors and stems come back for answering,
so nothing is embedded twice.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Callable, Iterable, Protocol, Sequence

import numpy as np

from assistant.errors import InputError
from assistant.index.prepare import Preparer, prepare
from assistant.types import Chunk, Document, SearchFilters

MIN_SENTENCE_WORDS = 4
"""Sentences shorter than this are never evidence on their own."""
Ranked = list[tuple[str, float]]
"""(chunk id, score) pairs, best first."""
Progress = Callable[[int], None]
"""Called with the number of texts just embedded (for a progress bar)."""


@dataclass(frozen=True)
class BuildStats:
    """What a write did: chunks written, texts embedded, texts whose vectors were already stored."""

    chunks: int
    embedded: int
    reused: int
    seconds: float


@dataclass(frozen=True)
class StoredSentence:
    """A sentence of an indexed document: its vector and its stems, computed once at index time."""

    vector: np.ndarray
    tokens: tuple[str, ...]


class DocumentSource(Protocol):
    """Where a store reads documents from when it syncs (`ingest.corpus.Corpus`, or `DocumentList`)."""

    def corpus_hash(self) -> str: ...
    def hashes(self) -> dict[str, str]: ...
    def documents(self, ids: Iterable[str] | None = None) -> list[Document]: ...


class DocumentList:
    """Documents held in memory, as a `DocumentSource` (tests, benchmarks)."""

    def __init__(self, docs: Sequence[Document]) -> None:
        self.docs = {d.id: d for d in docs}

    def corpus_hash(self) -> str:
        from assistant.ingest.docstore import set_hash_item

        value = 0
        for doc in self.docs.values():
            value ^= set_hash_item(doc.id, doc.content_hash)
        return f"{value:032x}"

    def hashes(self) -> dict[str, str]:
        return {d.id: d.content_hash for d in self.docs.values()}

    def documents(self, ids: Iterable[str] | None = None) -> list[Document]:
        return list(self.docs.values()) if ids is None else [self.docs[i] for i in ids if i in self.docs]


class Store(ABC):
    """An index of chunks (dense vectors and BM25 over Arabic stems) plus the sentences they contain."""

    preparer: Preparer = staticmethod(prepare)
    """Documents -> chunks, sentences and stems; `ingest --ray` sets rows computed on the cluster."""

    @abstractmethod
    def sync(self, source: DocumentSource, force: bool = False, progress: Progress | None = None) -> BuildStats | None:
        """Make the index hold exactly the source's documents, embedding only text it has not embedded
        before; None when it already did (and `force` is off). O(1) when nothing changed."""

    @abstractmethod
    def upsert(self, docs: Sequence[Document], progress: Progress | None = None) -> BuildStats:
        """Add documents, or replace those whose id is already indexed (appended, never a rebuild)."""

    @abstractmethod
    def delete(self, doc_ids: Sequence[str]) -> int:
        """Remove documents by id; the number of chunks removed."""

    @abstractmethod
    def dense_search(self, vector: Sequence[float], k: int, filters: SearchFilters | None = None) -> Ranked:
        """Nearest chunks to a query vector (inner product on normalised vectors)."""

    @abstractmethod
    def lexical_search(self, tokens: Sequence[str], k: int, filters: SearchFilters | None = None) -> Ranked:
        """BM25 over the chunks' stems; only chunks with a positive score."""

    @abstractmethod
    def chunk(self, chunk_id: str) -> Chunk | None:
        """A chunk by id."""

    def chunks_by_id(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        """The chunks of `chunk_ids` that exist, by id (a store with a cheaper batch lookup overrides it)."""
        found = {cid: self.chunk(cid) for cid in dict.fromkeys(chunk_ids)}
        return {cid: chunk for cid, chunk in found.items() if chunk is not None}

    @abstractmethod
    def chunks(self) -> list[Chunk]:
        """Every chunk (reads them all: for benchmarks and small corpora)."""

    @abstractmethod
    def sentence(self, doc_id: str, start: int, end: int) -> StoredSentence | None:
        """The stored vector and stems of `document[start:end]`, if it was indexed as a sentence."""

    @abstractmethod
    def idf(self, token: str) -> float:
        """BM25's idf of a stem; a stem the index never saw gets the highest value."""

    @abstractmethod
    def vocabulary(self) -> frozenset[str]:
        """Every stem in the index (does the corpus mention X at all?)."""

    @abstractmethod
    def count(self) -> int:
        """Number of chunks."""

    @abstractmethod
    def sources(self) -> list[str]:
        """The publishers a `SearchFilters.sources` may name."""

    @abstractmethod
    def refresh(self) -> bool:
        """Pick up what another process committed since this one opened the index; True if anything changed."""

    @abstractmethod
    def describe(self) -> dict:
        """What the index was built from and where it lives (for `assistant index` and reports)."""


def day_range(filters: SearchFilters | None) -> tuple[int | None, int | None]:
    """The filter's dates as days since 1970 (inclusive); a date that does not parse is an InputError."""
    from assistant.ingest.records import date_key

    if not filters:
        return None, None
    out = []
    for name, value in (("since", filters.since), ("until", filters.until)):
        day = date_key(value) if value else None
        if value and day is None:
            raise InputError(f"--{name} {value!r}: give a date as YYYY-MM-DD")
        out.append(day)
    return out[0], out[1]
