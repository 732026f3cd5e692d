"""Reading the FAISS store: the current version's catalog and a snapshot of its segments, searched.

`FaissStore` (faiss_store.py) adds writing. Every read goes through a `Snapshot`, a committed state of the
catalog: another process's commit is picked up by `refresh`, and a merge that deletes a segment folder
cannot pull mapped files from under a reader.
"""

from __future__ import annotations

import logging
from typing import Any, Sequence

import numpy as np
from llama_index.core import VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.retrievers import VectorIndexRetriever
from llama_index.core.schema import QueryBundle

from assistant.errors import IndexCorruptError, StorageError
from assistant.index.base import BuildStats, Ranked, Store, StoredSentence, day_range
from assistant.index.catalog import Catalog
from assistant.index.snapshot import Snapshot
from assistant.index.vector_store import DayFilters, SegmentVectorStore
from assistant.index.versions import VersionedFolder
from assistant.settings import Settings
from assistant.types import Chunk, SearchFilters

log = logging.getLogger(__name__)
FORMAT_VERSION = 4
CATALOG = "catalog.sqlite3"


class FaissReader(Store):
    """The read side of the store (the write side is `FaissStore`)."""

    def __init__(self, settings: Settings, embedder: BaseEmbedding) -> None:
        self.settings = settings
        self.embedder = embedder
        self.folder = VersionedFolder(settings.index_dir)
        self._catalog: Catalog | None = None
        self._snap: Snapshot | None = None
        self._caches: dict[str, Any] = {}
        self.build_stats: BuildStats | None = None
        """What the last write in this process did (None: the index was used as it was)."""
        self._index = VectorStoreIndex.from_vector_store(SegmentVectorStore(self._dense, self.delete),
                                                         embed_model=embedder)
        """llama-index's view of the dense index: `dense_search` runs through its retriever."""

    def _open_catalog(self) -> Catalog | None:
        """The current version's catalog; None when there is none or it is unreadable (then rebuilt)."""
        if self._catalog is not None:
            return self._catalog
        if not self.folder.exists():
            return None
        try:
            catalog = Catalog(self.folder.current.resolve() / CATALOG)
            if catalog.meta("format_version") != str(FORMAT_VERSION):
                log.info("index format changed; rebuilding")
                return None
            self._use(catalog)
            self._snapshot()
            return catalog
        except (IndexCorruptError, StorageError) as exc:
            log.warning("the index at %s is unreadable (%s); rebuilding it", self.folder.current, exc)
            self._catalog = None
            return None

    def _catalog_or_fail(self) -> Catalog:
        if self._catalog is None and self._open_catalog() is None:
            raise IndexCorruptError(f"no usable index at {self.folder.current}; run `assistant index`")
        assert self._catalog is not None
        return self._catalog

    def _use(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._reset()

    def _reset(self) -> None:
        self._snap = None
        self._caches = {}

    def _snapshot(self) -> Snapshot:
        if self._snap is None:
            snap = Snapshot(self._catalog_or_fail().path.parent, self._catalog_or_fail())
            snap.check()
            self._snap = snap
        return self._snap

    def refresh(self) -> bool:
        if self._catalog is None:
            return self._open_catalog() is not None
        moved = self.folder.exists() and self.folder.current.resolve() != self._catalog.path.parent
        if moved:
            self._use(Catalog(self.folder.current.resolve() / CATALOG))
            return True
        if self._snap is not None and self._catalog.meta("generation", "0") != self._snap.generation:
            self._reset()
            return True
        return False

    # --- the Store interface ---------------------------------------------------------------------

    def dense_search(self, vector: Sequence[float], k: int, filters: SearchFilters | None = None) -> Ranked:
        retriever = VectorIndexRetriever(index=self._index, similarity_top_k=k,
                                         filters=self._day_filters(filters).to_metadata())
        found = retriever.retrieve(QueryBundle(query_str="", embedding=list(vector)))
        return [(n.node.node_id, float(n.score or 0.0)) for n in found]

    def _dense(self, vector: Sequence[float], k: int, filters: DayFilters) -> list[tuple[Chunk, float]]:
        snap = self._snapshot()
        allowed = snap.allowed(filters, self._catalog_or_fail().source_ids(filters.sources))
        hits = snap.dense(np.asarray(vector, dtype=np.float32), k, allowed)
        return self._named(snap, hits)

    def lexical_search(self, tokens: Sequence[str], k: int, filters: SearchFilters | None = None) -> Ranked:
        snap, catalog = self._snapshot(), self._catalog_or_fail()
        ids = catalog.term_ids(tokens)
        day = self._day_filters(filters)
        hits = snap.lexical.search([ids[t] for t in tokens if t in ids], k,
                                   snap.allowed(day, catalog.source_ids(day.sources)))
        # Ids only: whoever shows a hit reads its chunk (and skips one another process deleted since).
        return [(snap.segments[segment].chunk_ids[row], score) for segment, row, score in hits]

    def _named(self, snap: Snapshot, hits: list[tuple[int, int, float]]) -> list[tuple[Chunk, float]]:
        ids = [snap.segments[segment].chunk_ids[row] for segment, row, _ in hits]
        chunks = self._catalog_or_fail().chunks_by_id(ids)
        return [(chunks[cid], score) for cid, (_, _, score) in zip(ids, hits) if cid in chunks]

    def _day_filters(self, filters: SearchFilters | None) -> DayFilters:
        since, until = day_range(filters)
        return DayFilters(tuple(filters.sources) if filters else (), since, until)

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self._catalog_or_fail().chunk(chunk_id)

    def chunks_by_id(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        return self._catalog_or_fail().chunks_by_id(chunk_ids)

    def chunks(self) -> list[Chunk]:
        return self._catalog_or_fail().all_chunks()

    def sentence(self, doc_id: str, start: int, end: int) -> StoredSentence | None:
        found = self._catalog_or_fail().sentence(doc_id, start, end)
        if found is None:
            return None
        segment, row, tokens = found
        snap = self._snapshot()
        if segment not in snap.ids:  # merged since this snapshot: read the current one
            self._reset()
            snap = self._snapshot()
        return StoredSentence(snap.sentence_vector(snap.ids.index(segment), row), tokens)

    def idf(self, token: str) -> float:
        cache = self._caches.setdefault("idf", {})
        if token not in cache:
            ids = self._catalog_or_fail().term_ids([token])
            cache[token] = self._snapshot().lexical.idf(ids.get(token))
        return cache[token]

    def vocabulary(self) -> frozenset[str]:
        if "vocabulary" not in self._caches:
            used = set(self._snapshot().lexical.vocabulary_ids().tolist())
            self._caches["vocabulary"] = frozenset(t for t, i in self._catalog_or_fail().terms() if i in used)
        return self._caches["vocabulary"]

    def count(self) -> int:
        return self._snapshot().count

    def sources(self) -> list[str]:
        rows = self._catalog_or_fail().conn.execute("SELECT DISTINCT source FROM docs WHERE source IS NOT NULL "
                                                    "ORDER BY source")
        return [r[0] for r in rows]

    def describe(self) -> dict[str, Any]:
        catalog, snap = self._catalog_or_fail(), self._snapshot()
        meta = dict(catalog.conn.execute("SELECT key, value FROM meta").fetchall())
        n_docs = int(catalog.conn.execute("SELECT count(*) FROM docs").fetchone()[0])
        return {"path": str(catalog.path.parent), **meta, "n_docs": n_docs, "n_chunks": snap.count,
                "segments": len(snap.segments)}

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Live chunk and sentence vectors (for benchmarks that scale the real corpus up)."""
        snap = self._snapshot()
        chunks = [np.asarray(s.chunk_vectors)[m] for s, m in zip(snap.segments, snap.live)]
        sentences = [np.asarray(s.sentence_vectors)[m[np.asarray(s.array("sent_chunk"))]]
                     for s, m in zip(snap.segments, snap.live)]
        return np.vstack(chunks), np.vstack(sentences)


