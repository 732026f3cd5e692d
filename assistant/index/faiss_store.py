"""The embedded default store: FAISS through llama-index for dense search, bm25s for BM25, on local disk.

Each write builds a complete new version (files: `faiss_files.py`) and swaps it in atomically
(`versions.py`), reusing every vector already computed (`vectors.py`).
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.retrievers import VectorIndexRetriever
from llama_index.core.schema import QueryBundle

from assistant.arabic.morphology import tokenize, tokenizer_id
from assistant.arabic.sentences import sentence_spans
from assistant.errors import IndexCorruptError, InputError
from assistant.index.base import MIN_SENTENCE_WORDS, BuildStats, Ranked, Store, StoredSentence
from assistant.index.faiss_files import Version, load_version, make_faiss_index, read_manifest, save_version
from assistant.index.vectors import VectorCache, embed_key
from assistant.index.versions import VersionedFolder
from assistant.ingest.chunking import chunk_documents
from assistant.settings import Settings
from assistant.types import Chunk, Document

log = logging.getLogger(__name__)

FORMAT_VERSION = 3
__all__ = ["FORMAT_VERSION", "FaissStore", "fingerprint", "make_faiss_index"]


def fingerprint(settings: Settings, embedder: BaseEmbedding, doc_hashes: dict[str, str]) -> dict:
    """Everything that, when changed, makes a built index stale."""
    corpus = hashlib.sha256("\n".join(sorted(doc_hashes.values())).encode()).hexdigest()
    return {
        "format_version": FORMAT_VERSION,
        "embedder": embedder.model_name,
        "lexical": tokenizer_id(),
        "chunking": {"max_words": settings.chunk_max_words,
                     "overlap_sentences": settings.chunk_overlap_sentences},
        "faiss": f"flat<={settings.faiss_hnsw_above}<hnsw",
        "corpus_hash": corpus[:32],
    }


class FaissStore(Store):
    """Owns `settings.index_dir`: loads the current version, and writes new ones atomically."""

    def __init__(self, settings: Settings, embedder: BaseEmbedding) -> None:
        self.settings = settings
        self.embedder = embedder
        self.folder = VersionedFolder(settings.index_dir)
        self._loaded: Version | None = None
        self._retriever: VectorIndexRetriever | None = None
        self.build_stats: BuildStats | None = None
        """What the last write in this process did (None: the index was loaded as it was)."""

    @classmethod
    def from_spec(cls, argument: str, settings: Settings, embedder: BaseEmbedding) -> "FaissStore":
        return cls(settings, embedder)

    # --- writing ---------------------------------------------------------------------------------

    def sync(self, docs: Sequence[Document], force: bool = False) -> BuildStats | None:
        hashes = {d.id: d.content_hash for d in docs}
        wanted = fingerprint(self.settings, self.embedder, hashes)
        previous = self._previous()
        if previous is not None and not force and all(previous.manifest.get(k) == v for k, v in wanted.items()):
            self._use(previous)
            return None
        if previous is not None:
            log.info("index is stale (corpus, embedder or chunking changed); rebuilding")
        return self._write(list(docs), hashes, previous, keep=lambda _chunk: False)

    def upsert(self, docs: Sequence[Document]) -> BuildStats:
        previous = self._previous()
        replaced = {d.id for d in docs}
        hashes = {**(previous.manifest.get("documents", {}) if previous else {}), **{d.id: d.content_hash for d in docs}}
        return self._write(list(docs), hashes, previous, keep=lambda chunk: chunk.doc_id not in replaced)

    def delete(self, doc_ids: Sequence[str]) -> int:
        previous = self._previous()
        if previous is None:
            return 0
        gone = set(doc_ids)
        removed = sum(c.doc_id in gone for c in previous.chunks.values())
        if removed:
            hashes = {k: v for k, v in previous.manifest.get("documents", {}).items() if k not in gone}
            self._write([], hashes, previous, keep=lambda chunk: chunk.doc_id not in gone)
        return removed

    def _previous(self) -> Version | None:
        """The version on disk, if it is readable and of this format (else it is rebuilt)."""
        if self._loaded is not None:
            return self._loaded
        if not self.folder.exists():
            return None
        try:
            if read_manifest(self.folder.current).get("format_version") != FORMAT_VERSION:
                log.info("index format changed; rebuilding")
                return None
            return self._load_version(self.folder.current)
        except IndexCorruptError as exc:
            log.warning("%s; rebuilding it", exc)
            return None

    def _write(self, docs: list[Document], hashes: dict[str, str], previous: Version | None,
               keep: Callable[[Chunk], bool]) -> BuildStats:
        """Chunk and embed `docs` (reusing stored vectors), add the kept chunks of `previous`, swap in."""
        started = time.perf_counter()
        kept = [c for c in previous.chunks.values() if keep(c)] if previous else []
        kept_docs = {c.doc_id for c in kept}
        chunks = kept + chunk_documents(docs, self.settings.chunk_max_words, self.settings.chunk_overlap_sentences)
        if not chunks:
            raise InputError("the corpus is empty: add articles with `assistant ingest PATH`")
        texts = {d.id: d.text for d in docs}
        spans = [(d.id, sp.start, sp.end) for d in docs for sp in sentence_spans(d.text)
                 if not sp.is_heading and sp.words >= MIN_SENTENCE_WORDS]
        with self.folder.lock():
            cache = self._vector_cache(previous)
            vectors, reused = cache.embed([c.text for c in chunks], "chunks")
            sentence_texts = [texts[d][a:b] for d, a, b in spans]
            new_vectors, _ = cache.embed(sentence_texts, "sentences")
            old_rows = [i for i, s in enumerate(previous.sentences) if s[0] in kept_docs] if previous else []
            sentences = [previous.sentences[i] for i in old_rows] + [
                (d, a, b, embed_key(t), tuple(tokenize(t))) for (d, a, b), t in zip(spans, sentence_texts)]
            sentence_vectors = np.vstack([previous.sentence_embeddings[old_rows] if old_rows else
                                          np.zeros((0, new_vectors.shape[1]), np.float32), new_vectors])
            manifest = fingerprint(self.settings, self.embedder, hashes) | {
                "n_docs": len(hashes), "n_chunks": len(chunks), "documents": hashes,
                "created": time.strftime("%Y-%m-%dT%H:%M:%S")}
            with self.folder.new_version() as tmp:
                save_version(tmp, chunks, vectors, sentences, sentence_vectors, manifest, self.embedder,
                             self.settings.faiss_hnsw_above)
        stats = BuildStats(len(chunks), len(chunks) - reused, reused, time.perf_counter() - started)
        log.info("indexed %d chunks (%d embedded, %d reused) in %.1fs", stats.chunks, stats.embedded,
                 stats.reused, stats.seconds)
        self._use(self._load_version(self.folder.current))
        self.build_stats = stats
        return stats

    def _vector_cache(self, previous: Version | None) -> VectorCache:
        """Vectors already computed by this same model, by text hash."""
        cache = VectorCache(self.embedder, self.settings.embed_batch_size)
        if previous is not None and previous.manifest.get("embedder") == self.embedder.model_name:
            for row, chunk in enumerate(previous.chunks.values()):
                cache.put(embed_key(chunk.text), previous.embeddings[row])
            for row, sentence in enumerate(previous.sentences):
                cache.put(sentence[3], previous.sentence_embeddings[row])
        return cache

    # --- reading ---------------------------------------------------------------------------------

    def _load_version(self, current: Path) -> Version:
        return load_version(current, self.embedder)

    def _use(self, loaded: Version) -> None:
        self._loaded = loaded
        self._retriever = VectorIndexRetriever(index=loaded.vector_index, similarity_top_k=self.settings.dense_k,
                                               embed_model=self.embedder)

    @property
    def loaded(self) -> Version:
        if self._loaded is None:
            previous = self._previous()
            if previous is None:
                raise IndexCorruptError(f"no usable index at {self.folder.current}; run `assistant index`")
            self._use(previous)
        assert self._loaded is not None
        return self._loaded

    # --- the Store interface ---------------------------------------------------------------------

    def dense_search(self, vector: Sequence[float], k: int) -> Ranked:
        self.loaded  # noqa: B018 - loads the retriever
        assert self._retriever is not None
        self._retriever.similarity_top_k = k
        found = self._retriever.retrieve(QueryBundle(query_str="", embedding=list(vector)))
        return [(n.node.node_id, float(n.score or 0.0)) for n in found]

    def lexical_search(self, tokens: Sequence[str], k: int) -> Ranked:
        return self.loaded.bm25.search(tokens, k)

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self.loaded.chunks.get(chunk_id)

    def chunks(self) -> list[Chunk]:
        return list(self.loaded.chunks.values())

    def sentence(self, doc_id: str, start: int, end: int) -> StoredSentence | None:
        loaded = self.loaded
        row = loaded.sentence_rows.get((doc_id, start, end))
        return None if row is None else StoredSentence(loaded.sentence_embeddings[row], loaded.sentences[row][4])

    def idf(self, token: str) -> float:
        return self.loaded.bm25.idf(token)

    def vocabulary(self) -> frozenset[str]:
        return self.loaded.bm25.vocabulary

    def count(self) -> int:
        return len(self.loaded.chunks)

    def describe(self) -> dict[str, Any]:
        loaded = self.loaded
        return {"path": str(loaded.path), **{k: v for k, v in loaded.manifest.items() if k != "documents"}}

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Chunk and sentence vectors (for benchmarks that scale the real corpus up)."""
        return self.loaded.embeddings, self.loaded.sentence_embeddings

