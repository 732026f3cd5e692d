"""The Milvus store: the same `Store` over Milvus, embedded (milvus-lite, a `*.db` file) or a server/cluster by URI.

For archives that outgrow one machine (docs/scaling.md). Documents are prepared, embedded and stemmed in
Python exactly as `FaissStore` does (each text embedded once; a chunk's vector is its sentences' weighted
mean), so the two stores rank alike; Milvus holds the rows, searches them (dense ANN, BM25 over our stems,
RRF on the server for `hybrid_search`) and filters by publisher and day. A document's rows are replaced in
the order docs row out, chunks and sentences replaced, docs row in: the docs row is the commit mark, so a
write cut off half-way is redone by the next sync, never served half. Calls are retried (`retried`).
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.errors import InputError, StorageError
from assistant.index import milvus_schema as schema
from assistant.index import milvus_search as search
from assistant.index.base import BuildStats, DocumentList, DocumentSource, Progress, Ranked, Store, StoredSentence
from assistant.index.faiss_store import FaissStore, fingerprint as faiss_fingerprint
from assistant.index.vectors import mean_vectors, sentence_vectors
from assistant.index.versions import VersionedFolder
from assistant.index.writer import token_weights
from assistant.ingest.docstore import EMPTY_HASH, set_hash_item
from assistant.ingest.records import date_key
from assistant.settings import Settings
from assistant.types import Chunk, Document, SearchFilters

log = logging.getLogger(__name__)
FORMAT_VERSION = "milvus-1"
BATCH_DOCS = 64
CHUNK_FIELDS = ["chunk_id", "doc_id", "title", "source", "date", "start", "end", "text"]
Vectors = Callable[[list[bytes]], dict[bytes, np.ndarray]]
"""Stored sentence vectors by text key (another index's, when migrating)."""


class MilvusStore(Store):
    """Chunks, sentences and documents in four Milvus collections named `<settings.milvus_collection>_*`."""

    @classmethod
    def from_spec(cls, argument: str, settings: Settings, embedder: BaseEmbedding) -> "MilvusStore":
        return cls(settings, embedder)

    def __init__(self, settings: Settings, embedder: BaseEmbedding, donor: Vectors | None = None) -> None:
        self.settings, self.embedder, self.donor = settings, embedder, donor
        self.uri = settings.milvus_uri or str(settings.index_dir / "milvus.db")
        if self.uri.endswith(".db"):
            try:
                Path(self.uri).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"cannot create {Path(self.uri).parent} ({exc.strerror or exc})") from None
        self.client = schema.connect(self.uri, settings.milvus_token.get_secret_value(), settings.milvus_db,
                                     settings.milvus_timeout_s)
        self.db = schema.Collections(self.client, settings.milvus_collection, self.uri)
        self.names = self.db.names
        self._caches: dict[str, Any] = {}
        self._generation: str | None = self._meta().get("generation")
        self.build_stats: BuildStats | None = None

    # --- writing ---------------------------------------------------------------------------------

    def fingerprint(self) -> dict[str, str]:
        return {**faiss_fingerprint(self.settings, self.embedder), "format_version": FORMAT_VERSION,
                "dense_index": self.settings.milvus_index}

    def sync(self, source: DocumentSource, force: bool = False, progress: Progress | None = None) -> BuildStats | None:
        if isinstance(source, (list, tuple)):
            source = DocumentList(source)
        meta, wanted = self._meta(), self.fingerprint()
        fresh = not force and all(meta.get(k) == v for k, v in wanted.items())
        if fresh and meta.get("corpus_hash") == source.corpus_hash():
            return None
        kept = not fresh and meta.get("embedder") == self.embedder.model_name
        if not fresh:
            if not source.hashes():
                raise InputError("the corpus is empty: add articles with `assistant ingest PATH`")
            self._reset(keep_vectors=kept)
        started = time.perf_counter()
        indexed, hashes = self._doc_hashes(), source.hashes()
        gone = [d for d in indexed if d not in hashes]
        if gone:
            self.delete(gone)
        stats = self._write_batches(source, [d for d, h in hashes.items() if indexed.get(d) != h], progress)
        if kept:  # the kept sentences of documents no longer in the corpus: served their reuse, now removed
            self.db.remove(sorted({r["doc_id"] for r in self.db.scan("sentences", ["doc_id"])} - set(hashes)))
        self._set_meta(corpus_hash=source.corpus_hash())
        self.build_stats = BuildStats(stats.chunks, stats.embedded, stats.reused, time.perf_counter() - started)
        return self.build_stats

    def upsert(self, docs: Sequence[Document], progress: Progress | None = None) -> BuildStats:
        meta = self._meta()
        if any(meta.get(k) != v for k, v in self.fingerprint().items()):
            self._reset(keep_vectors=meta.get("embedder") == self.embedder.model_name)
        return self._write_batches(DocumentList(docs), [d.id for d in docs], progress)

    def delete(self, doc_ids: Sequence[str]) -> int:
        if not self.client.has_collection(self.names["docs"]):
            return 0
        old = self._doc_hashes(doc_ids)
        n = sum(self.db.count("chunks", f"doc_id in {schema.quoted(batch)}") for batch in _batches(list(old), 256))
        self.db.remove(list(old))
        self._commit(old.items())
        return n

    def _reset(self, keep_vectors: bool) -> None:
        """Empty collections for this fingerprint (keeping the sentence vectors of the same embedder)."""
        log.info("the Milvus store is new or stale; writing it afresh at %s", self.uri)
        for key, name in self.names.items():
            if self.client.has_collection(name) and not (key == "sentences" and keep_vectors):
                self.client.drop_collection(name)
        dim = len(self.embedder.get_query_embedding("dimension"))
        schema.retried("create collections", lambda: schema.create_collections(
            self.client, self.settings.milvus_collection, dim, self.settings.milvus_index), self.uri)
        self._set_meta(**self.fingerprint(), corpus_hash=EMPTY_HASH)
        self._caches = {}

    def _write_batches(self, source: DocumentSource, ids: list[str], progress: Progress | None) -> BuildStats:
        started, chunks, embedded, reused = time.perf_counter(), 0, 0, 0
        for batch in _batches(ids, BATCH_DOCS):
            stats = self._write(source.documents(batch), progress)
            chunks, embedded, reused = chunks + stats.chunks, embedded + stats.embedded, reused + stats.reused
        if ids:
            self.db.flush()
        self.build_stats = BuildStats(chunks, embedded, reused, time.perf_counter() - started)
        return self.build_stats

    def _write(self, docs: list[Document], progress: Progress | None) -> BuildStats:
        started = time.perf_counter()
        s = self.settings
        prepared = self.preparer(docs, s.chunk_max_words, s.chunk_overlap_sentences)
        vectors, embedded = sentence_vectors(prepared, self._stored, self.embedder, s.embed_batch_size, progress)
        chunk_vectors = mean_vectors(prepared.members, vectors, token_weights(prepared, self.embedder))
        days = {d.id: date_key(d.date) for d in docs}
        chunk_rows = [schema.chunk_row(c, days[c.doc_id], prepared.chunk_tokens(i), chunk_vectors[i])
                      for i, c in enumerate(prepared.chunks)]
        owners: list[list[str]] = [[] for _ in prepared.sentences]
        for chunk, members in zip(prepared.chunks, prepared.members):
            for row in members:
                owners[row].append(chunk.chunk_id)
        source = {d.id: d.source or "" for d in docs}
        sentence_rows = [{"sentence_id": f"{r.doc_id}|{r.start}|{r.end}", "doc_id": r.doc_id, "start": r.start,
                          "end": r.end, "source": source[r.doc_id], "day": _day(days[r.doc_id]), "key": r.key.hex(),
                          "tokens": json.dumps(r.tokens, ensure_ascii=False), "chunk_ids": json.dumps(ids),
                          "vector": [float(x) for x in v]} for r, v, ids in zip(prepared.sentences, vectors, owners)]
        old = self._doc_hashes([d.id for d in docs])
        self.db.remove([d.id for d in docs])
        for key, rows in (("sentences", sentence_rows), ("chunks", chunk_rows)):
            self.db.upsert(key, rows)
        self.db.upsert("docs", [{"doc_id": d.id, "content_hash": d.content_hash, "source": d.source or "",
                               "placeholder": schema.PLACEHOLDER} for d in docs])
        self._commit([*old.items(), *((d.id, d.content_hash) for d in docs)])
        stats = BuildStats(len(prepared.chunks), embedded, len(prepared.sentences) - embedded,
                           time.perf_counter() - started)
        log.info("indexed %d documents in Milvus: %d chunks, %d sentences embedded, %d reused in %.1fs",
                 len(docs), stats.chunks, stats.embedded, stats.reused, stats.seconds)
        return stats

    def _commit(self, changes: Iterable[tuple[str, str]]) -> None:
        """Toggle the documents in and out of the corpus hash and move the generation on."""
        meta = self._meta()
        value = int(meta.get("corpus_hash", EMPTY_HASH), 16)
        for doc_id, content_hash in changes:
            value ^= set_hash_item(doc_id, content_hash)
        self._set_meta(corpus_hash=f"{value:032x}")

    def _stored(self, keys: list[bytes]) -> dict[bytes, np.ndarray]:
        found: dict[bytes, np.ndarray] = {}
        for batch in _batches([k.hex() for k in keys], 256):
            for row in self.db.query("sentences", f"key in {schema.quoted(batch)}", ["key", "vector"]):
                found[bytes.fromhex(row["key"])] = np.asarray(row["vector"], dtype=np.float32)
        missing = [k for k in keys if k not in found]
        if missing and self.donor is None and VersionedFolder(self.settings.index_dir).exists():
            self.donor = FaissStore(self.settings, self.embedder).stored_vectors  # migrate, never re-embed
        if missing and self.donor is not None:
            found.update(self.donor(missing))
        return found

    # --- meta and queries ------------------------------------------------------------------------

    def _meta(self) -> dict[str, str]:
        if not self.client.has_collection(self.names["meta"]):
            return {}
        return {r["key"]: r["value"] for r in self.db.query("meta", 'key != ""', ["key", "value"])}

    def _set_meta(self, **values: str) -> None:
        generation = str(int(self._meta().get("generation", "0")) + 1)
        rows = [{"key": k, "value": v, "placeholder": schema.PLACEHOLDER}
                for k, v in {**values, "generation": generation}.items()]
        schema.retried("writing meta", lambda: self.client.upsert(self.names["meta"], rows), self.uri)
        self._caches, self._generation = {}, generation

    def _doc_hashes(self, ids: Sequence[str] | None = None) -> dict[str, str]:
        if not self.client.has_collection(self.names["docs"]):
            return {}
        rows = (self.db.scan("docs", ["content_hash"]) if ids is None else
                [r for b in _batches(list(ids), 256)
                 for r in self.db.query("docs", f"doc_id in {schema.quoted(b)}", ["content_hash"])])
        return {r["doc_id"]: r["content_hash"] for r in rows}

    def cached(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self._caches:
            self._caches[name] = make()
        return self._caches[name]

    # --- reading ---------------------------------------------------------------------------------

    def dense_search(self, vector: Sequence[float], k: int, filters: SearchFilters | None = None) -> Ranked:
        return search.dense(self, vector, k, filters) if self.count() else []

    def lexical_search(self, tokens: Sequence[str], k: int, filters: SearchFilters | None = None) -> Ranked:
        return search.lexical(self, tokens, k, filters) if tokens and self.count() else []

    def hybrid_search(self, vector: Sequence[float], tokens: Sequence[str], k: int,
                      filters: SearchFilters | None = None) -> Ranked:
        """Dense (chunk vectors) and BM25 fused by reciprocal rank on the server (`settings.rrf_k`)."""
        return search.hybrid(self, vector, tokens, k, filters) if self.count() else []

    def chunk(self, chunk_id: str) -> Chunk | None:
        cache = self.cached("chunks", dict)
        if chunk_id not in cache:
            rows = schema.retried("get", lambda: self.client.get(self.names["chunks"], ids=[chunk_id],
                                                                  output_fields=CHUNK_FIELDS), self.uri)
            cache[chunk_id] = _chunk(rows[0]) if rows else None
        return cache[chunk_id]

    def chunks(self) -> list[Chunk]:
        return sorted((_chunk(r) for r in self.db.scan("chunks", CHUNK_FIELDS)), key=lambda c: (c.doc_id, c.start))

    def sentence(self, doc_id: str, start: int, end: int) -> StoredSentence | None:
        """Read per document (one query for all its sentences), kept until the index changes."""
        for row in search.doc_sentences(self, [doc_id])[doc_id]:
            if (row.start, row.end) == (start, end):
                return StoredSentence(row.vector, row.tokens)
        return None

    def idf(self, token: str) -> float:
        """BM25's idf as `lexical.Lexical` computes it, from the server's count of chunks holding the stem."""
        cache = self.cached("idf", dict)
        if token not in cache:
            n = self.count()
            df = self.db.count("chunks", f"TEXT_MATCH(stems, '{schema.encode([token])}')") if n else 0
            cache[token] = float(np.log(1.0 + (n - df + 0.5) / (df + 0.5)))
        return cache[token]

    def vocabulary(self) -> frozenset[str]:
        """Every stem (reads every chunk's stems once per index generation)."""
        return self.cached("vocabulary", lambda: frozenset(
            t for r in self.db.scan("chunks", ["stems"]) for t in schema.decode(r["stems"])))

    def count(self) -> int:
        if not self.client.has_collection(self.names["chunks"]):
            return 0
        return self.cached("count", lambda: self.db.count("chunks"))

    def sources(self) -> list[str]:
        return self.cached("sources", lambda: sorted({r["source"] for r in self.db.scan("docs", ["source"],
                                                                                        'source != ""')}))

    def refresh(self) -> bool:
        generation = self._meta().get("generation")
        changed = generation != self._generation
        if changed:
            self._caches, self._generation = {}, generation
        return changed

    def describe(self) -> dict[str, Any]:
        meta = self._meta()
        return {"path": self.uri, "store": "milvus", "collections": f"{self.settings.milvus_collection}_*", **meta,
                "n_docs": self.db.count("docs") if meta else 0, "n_chunks": self.count()}


def _chunk(row: dict) -> Chunk:
    return Chunk(chunk_id=row["chunk_id"], doc_id=row["doc_id"], title=row["title"], source=row["source"] or None,
                 text=row["text"], start=int(row["start"]), end=int(row["end"]), date=row["date"] or None)


def _day(day: int | None) -> int:
    return -1 if day is None else day


def _batches(items: list, size: int) -> Iterable[list]:
    for at in range(0, len(items), size):
        yield items[at:at + size]


__all__ = ["FORMAT_VERSION", "MilvusStore"]
