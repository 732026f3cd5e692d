"""The store interface: what retrieval and answering need from an index, whatever engine holds it.

After txtai's `ann/base.py`: one small abstract class; FAISS + bm25s (`faiss_store.FaissStore`) is the
embedded default, and others plug in through `assistant.factory` by a spec string (`ASSISTANT_STORE`).
Documents go in (chunked, embedded, tokenised by the store); chunk ids with scores come out of the two
searches, and per-sentence vectors and stems come back for answering, so nothing is embedded twice.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from assistant.types import Chunk, Document

MIN_SENTENCE_WORDS = 4
"""Sentences shorter than this are never evidence on their own, so stores keep no vector for them."""
Ranked = list[tuple[str, float]]
"""(chunk id, score) pairs, best first."""


@dataclass(frozen=True)
class BuildStats:
    """What the last write did: how much was embedded and how much came from vectors already stored."""

    chunks: int
    embedded: int
    reused: int
    seconds: float


@dataclass(frozen=True)
class StoredSentence:
    """A sentence of an indexed document: its vector and its stems, computed once at index time."""

    vector: np.ndarray
    tokens: tuple[str, ...]


class Store(ABC):
    """An index of chunks (dense vectors and BM25 over Arabic stems) plus the sentences they contain."""

    @abstractmethod
    def sync(self, docs: Sequence[Document], force: bool = False) -> BuildStats | None:
        """Make the index hold exactly `docs`, embedding only text it has not embedded before; None when it
        already did (and `force` is off)."""

    @abstractmethod
    def upsert(self, docs: Sequence[Document]) -> BuildStats:
        """Add documents, or replace those whose id is already indexed."""

    @abstractmethod
    def delete(self, doc_ids: Sequence[str]) -> int:
        """Remove documents by id; the number of chunks removed."""

    @abstractmethod
    def dense_search(self, vector: Sequence[float], k: int) -> Ranked:
        """Nearest chunks to a query vector (inner product on normalised vectors)."""

    @abstractmethod
    def lexical_search(self, tokens: Sequence[str], k: int) -> Ranked:
        """BM25 over the chunks' stems; only chunks with a positive score."""

    @abstractmethod
    def chunk(self, chunk_id: str) -> Chunk | None:
        """A chunk by id."""

    @abstractmethod
    def chunks(self) -> list[Chunk]:
        """Every chunk, in index order."""

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
    def describe(self) -> dict:
        """What the index was built from and where it lives (for `assistant index` and reports)."""
