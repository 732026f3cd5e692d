"""The embedded default store: FAISS + BM25 segments on local disk, searched through llama-index.

    index/current -> v-<stamp>/     a version (`versions.py`): catalog.sqlite3 + segments/ (`segments.py`)

A write appends a segment and commits the catalog (`writer.py`); segments are merged as they accumulate
(`merge.py`). Only a changed fingerprint (embedder, tokeniser, sentence rules, chunking) writes a new
version, reusing every stored sentence vector; start-up compares two hashes and maps files, so it takes
the same time for 7 documents as for 31,000.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.arabic import sentences as sentence_rules
from assistant.arabic.morphology import tokenizer_id
from assistant.database import set_meta
from assistant.errors import IndexCorruptError, InputError, StorageError
from assistant.index import writer
from assistant.index.base import BuildStats, DocumentList, DocumentSource, Progress
from assistant.index.faiss_reader import CATALOG, FORMAT_VERSION, FaissReader
from assistant.index.catalog import Catalog, bump_generation
from assistant.index.merge import merge, plan
from assistant.index.snapshot import Snapshot
from assistant.index.vectors import sentence_vectors
from assistant.index.writer import remove_documents
from assistant.ingest.docstore import xor_hash
from assistant.ingest import chunking
from assistant.settings import Settings
from assistant.types import Document

log = logging.getLogger(__name__)
BATCH_DOCS = 64
"""Documents per segment when a store syncs or rebuilds (an ingest sends its own batches)."""
__all__ = ["FORMAT_VERSION", "FaissStore", "fingerprint"]
Previous = tuple[Catalog, Snapshot] | None
"""The version a rebuild replaces, whose sentence vectors it reuses."""


def fingerprint(settings: Settings, embedder: BaseEmbedding) -> dict[str, str]:
    """Everything that, when changed, makes a built index stale (the corpus hash is compared apart)."""
    rules = hashlib.sha256(Path(sentence_rules.__file__).read_bytes() + Path(chunking.__file__).read_bytes())
    return {"format_version": str(FORMAT_VERSION), "embedder": embedder.model_name, "lexical": tokenizer_id(),
            "sentences": rules.hexdigest()[:12],
            "chunking": f"max_words={settings.chunk_max_words},overlap={settings.chunk_overlap_sentences}"}


class FaissStore(FaissReader):
    """Owns `settings.index_dir`: reads the current version (`FaissReader`), appends to it, or writes a new one."""

    @classmethod
    def from_spec(cls, argument: str, settings: Settings, embedder: BaseEmbedding) -> "FaissStore":
        return cls(settings, embedder)

    # --- writing ---------------------------------------------------------------------------------

    def sync(self, source: DocumentSource, force: bool = False, progress: Progress | None = None) -> BuildStats | None:
        if isinstance(source, (list, tuple)):
            source = DocumentList(source)
        catalog = self._open_catalog()
        wanted = fingerprint(self.settings, self.embedder)
        if catalog is not None and not force and all(catalog.meta(k) == v for k, v in wanted.items()):
            if catalog.meta("corpus_hash") == source.corpus_hash():
                return None
            try:
                return self._apply_changes(source, progress)
            except StorageError as exc:
                log.warning("%s; answering from the index as it is", exc)
                return None
        if catalog is not None:
            log.info("the index is stale (embedder, tokeniser, sentence rules or chunking changed); rebuilding")
        return self._rebuild(source, progress)

    def upsert(self, docs: Sequence[Document], progress: Progress | None = None) -> BuildStats:
        if self._open_catalog() is None:
            return self._rebuild(DocumentList(docs), progress)
        with self._locked():
            return self._write_batches(DocumentList(docs), [d.id for d in docs], progress)

    def delete(self, doc_ids: Sequence[str]) -> int:
        if self._open_catalog() is None:
            return 0
        with self._locked():
            return self._delete(doc_ids)

    def _delete(self, doc_ids: Sequence[str]) -> int:
        catalog = self._catalog_or_fail()
        with catalog.write() as conn:
            n = int(sum(conn.execute("SELECT count(*) FROM chunks WHERE doc_id = ?", (d,)).fetchone()[0]
                        for d in doc_ids))
            xor_hash(conn, remove_documents(conn, doc_ids))
            bump_generation(conn)
        self._reset()
        self._merge_all(catalog)
        return n

    def _apply_changes(self, source: DocumentSource, progress: Progress | None) -> BuildStats:
        with self._locked():
            catalog = self._catalog_or_fail()
            indexed, wanted = catalog.doc_hashes(), source.hashes()
            gone = [d for d in indexed if d not in wanted]
            if gone:
                self._delete(gone)
            return self._write_batches(source, [d for d, h in wanted.items() if indexed.get(d) != h], progress)

    def _rebuild(self, source: DocumentSource, progress: Progress | None) -> BuildStats:
        """A new version from the source, reusing every sentence vector the current one holds."""
        if not source.hashes():
            raise InputError("the corpus is empty: add articles with `assistant ingest PATH`")
        same_model = self._catalog is not None and self._catalog.meta("embedder") == self.embedder.model_name
        previous = (self._catalog, self._snapshot()) if same_model else None  # another model's vectors never serve
        with self._locked(), self._new_version() as tmp:
            catalog = Catalog(tmp / CATALOG)
            with catalog.write() as conn:
                for key, value in fingerprint(self.settings, self.embedder).items():
                    set_meta(conn, key, value)
            self._use(catalog)
            stats = self._write_batches(source, list(source.hashes()), progress, previous)
            catalog.close()
        self._use(Catalog(self.folder.current.resolve() / CATALOG))
        return stats

    def _write_batches(self, source: DocumentSource, ids: list[str], progress: Progress | None,
                       previous: Previous = None) -> BuildStats:
        started, total = time.perf_counter(), BuildStats(0, 0, 0, 0.0)
        for at in range(0, len(ids), BATCH_DOCS):
            stats = self._write(self._catalog_or_fail(), source.documents(ids[at:at + BATCH_DOCS]), progress, previous)
            total = BuildStats(total.chunks + stats.chunks, total.embedded + stats.embedded,
                               total.reused + stats.reused, 0.0)
        self.build_stats = BuildStats(total.chunks, total.embedded, total.reused, time.perf_counter() - started)
        return self.build_stats

    def _write(self, catalog: Catalog, docs: list[Document], progress: Progress | None,
               previous: Previous = None) -> BuildStats:
        """One segment for `docs` and its commit, then any merge that became due (caller holds the lock)."""
        started = time.perf_counter()
        root = catalog.path.parent
        writer.remove_orphans(root, catalog)
        prepared = self.preparer(docs, self.settings.chunk_max_words, self.settings.chunk_overlap_sentences)
        vectors, embedded = sentence_vectors(prepared, lambda keys: self._stored(keys, previous), self.embedder,
                                             self.settings.embed_batch_size, progress)
        terms, sources = writer.Ids(catalog, "terms"), writer.Ids(catalog, "sources")
        data = writer.segment_data(prepared, vectors, writer.token_weights(prepared, self.embedder), terms, sources)
        name = writer.new_segment(root, data, self.settings.faiss_hnsw_above)
        with catalog.write() as conn:
            writer.commit_segment(conn, name, prepared, terms, sources)
        self._reset()
        self._merge_all(catalog)
        stats = BuildStats(len(prepared.chunks), embedded, len(prepared.sentences) - embedded,
                           time.perf_counter() - started)
        log.info("indexed %d documents: %d chunks, %d sentences embedded, %d reused in %.1fs", len(docs),
                 stats.chunks, stats.embedded, stats.reused, stats.seconds)
        self.build_stats = stats
        return stats

    def _merge_all(self, catalog: Catalog) -> None:
        while picks := plan(snapshot := self._snapshot()):
            merge(catalog.path.parent, catalog, snapshot, picks, self.settings.faiss_hnsw_above)
            self._reset()

    def stored_vectors(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        """Sentence vectors this index holds for these text keys, if its embedder is this one (another store
        copies them instead of embedding: `assistant index --store milvus`)."""
        catalog = self._open_catalog()
        if catalog is None or catalog.meta("embedder") != self.embedder.model_name:
            return {}
        return self._stored(keys, None)

    def _stored(self, keys: list[bytes], previous: Previous) -> dict[bytes, np.ndarray]:
        """Vectors this index (or the version being replaced) already holds for these sentence texts."""
        found: dict[bytes, np.ndarray] = {}
        sources = [(self._catalog, self._snapshot)] + ([(previous[0], lambda: previous[1])] if previous else [])
        for catalog, snapshot in sources:
            try:
                snap = snapshot()
                where = {sid: i for i, sid in enumerate(snap.ids)}
                for key, (segment, row) in catalog.sentences_by_key([k for k in keys if k not in found]).items():
                    if segment in where:
                        found[key] = np.array(snap.sentence_vector(where[segment], row))
            except (IndexCorruptError, StorageError):
                continue
        return found

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """The writer lock; a folder that cannot be written is a one-line StorageError."""
        try:
            with self.folder.lock():
                self.refresh()  # another process may have committed while this one waited for the lock
                yield
        except OSError as exc:  # a read-only folder or file system, a full disk
            raise StorageError(f"cannot write the index at {self.folder.root} ({exc.strerror or exc}); "
                               f"answers still come from the index as it is") from None

    @contextlib.contextmanager
    def _new_version(self) -> Iterator[Path]:
        with self.folder.new_version() as tmp:
            yield tmp
