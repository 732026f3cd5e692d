"""The files of one version of the FAISS store, written once and read back whole.

    manifest.json              what the index was built from (see `faiss_store.fingerprint`), each document's hash
    dense/                     llama-index storage with a FaissVectorStore
    bm25/                      bm25s index and its row -> chunk id list
    chunks.jsonl               the chunks, row-aligned with embeddings.npy
    embeddings.npy             reused by the next build: unchanged text is never embedded again
    sentences.jsonl            every sentence (doc id, start, end, text hash, stems), row-aligned with
    sentence_embeddings.npy    so answering need not embed or tokenise sentences at query time
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np
from llama_index.core import StorageContext, VectorStoreIndex, load_index_from_storage
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import TextNode
from llama_index.vector_stores.faiss import FaissVectorStore

from assistant.errors import IndexCorruptError
from assistant.index.bm25 import BM25Index
from assistant.types import Chunk

HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 32, 80, 128
_METADATA_KEYS = ["doc_id", "title", "source", "start", "end"]
Sentence = tuple[str, int, int, str, tuple[str, ...]]
"""(doc id, start, end, text hash, stems)."""


@dataclass
class Version:
    """One version folder, read into memory."""

    path: Path
    manifest: dict
    vector_index: VectorStoreIndex
    bm25: BM25Index
    chunks: dict[str, Chunk]
    embeddings: np.ndarray
    sentences: list[Sentence]
    sentence_embeddings: np.ndarray
    sentence_rows: dict[tuple[str, int, int], int]


def save_version(folder: Path, chunks: list[Chunk], vectors: np.ndarray, sentences: list[Sentence],
                 sentence_vectors: np.ndarray, manifest: dict, embedder: BaseEmbedding, hnsw_above: int) -> None:
    """Write every file of a version into `folder` (a fresh folder, swapped in by the caller)."""
    nodes = [TextNode(id_=c.chunk_id, text=c.text, embedding=vectors[i].tolist(),
                      metadata={"doc_id": c.doc_id, "title": c.title, "source": c.source or "",
                                "start": c.start, "end": c.end},
                      excluded_embed_metadata_keys=_METADATA_KEYS, excluded_llm_metadata_keys=_METADATA_KEYS)
             for i, c in enumerate(chunks)]
    vector_store = FaissVectorStore(faiss_index=make_faiss_index(vectors.shape[1], len(chunks), hnsw_above))
    index = VectorStoreIndex(nodes, storage_context=StorageContext.from_defaults(vector_store=vector_store),
                             embed_model=embedder)
    index.storage_context.persist(persist_dir=str(folder / "dense"))
    (folder / "bm25").mkdir()
    BM25Index.build([c.chunk_id for c in chunks], [c.text for c in chunks]).save(folder / "bm25")
    _write_lines(folder / "chunks.jsonl", [asdict(c) for c in chunks])
    np.save(folder / "embeddings.npy", vectors)
    _write_lines(folder / "sentences.jsonl", [list(s) for s in sentences])
    np.save(folder / "sentence_embeddings.npy", sentence_vectors)
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")


def read_manifest(path: Path) -> dict:
    try:
        return json.loads((path / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"the index at {path.resolve()} is unreadable "
                                f"({type(exc).__name__}: {exc})") from None


def load_version(current: Path, embedder: BaseEmbedding) -> Version:
    """Read a version; any unreadable part raises IndexCorruptError (never a raw traceback)."""
    path = current.resolve()
    try:
        manifest = json.loads((path / "manifest.json").read_text("utf-8"))
        chunks = [Chunk(**json.loads(line)) for line in (path / "chunks.jsonl").read_text("utf-8").splitlines()]
        embeddings = np.load(path / "embeddings.npy", allow_pickle=False)
        sentences = [(d, a, b, key, tuple(tokens)) for d, a, b, key, tokens in
                     (json.loads(line) for line in (path / "sentences.jsonl").read_text("utf-8").splitlines())]
        sentence_embeddings = np.load(path / "sentence_embeddings.npy", allow_pickle=False)
        dense_dir = str(path / "dense")
        vector_store = FaissVectorStore.from_persist_dir(dense_dir)
        storage = StorageContext.from_defaults(vector_store=vector_store, persist_dir=dense_dir)
        vector_index = load_index_from_storage(storage, embed_model=embedder)
        bm25 = BM25Index.load(path / "bm25")
    except Exception as exc:  # noqa: BLE001 - every failure here means "this index is unusable"
        raise IndexCorruptError(f"the index at {path} is unreadable ({type(exc).__name__}: {exc})") from None
    if not (embeddings.shape[0] == len(chunks) == vector_store.client.ntotal == len(bm25.ids)) or \
            sentence_embeddings.shape[0] != len(sentences):
        raise IndexCorruptError(f"the index at {path} is inconsistent (parts disagree on their counts)")
    return Version(path, manifest, vector_index, bm25, {c.chunk_id: c for c in chunks}, embeddings, sentences,
                   sentence_embeddings, {(d, a, b): i for i, (d, a, b, _, _) in enumerate(sentences)})


def make_faiss_index(dim: int, n: int, hnsw_above: int) -> faiss.Index:
    """Inner product on normalised vectors: exact for small corpora, HNSW for large ones."""
    if n <= hnsw_above:
        return faiss.IndexFlatIP(dim)
    index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    # A wider search keeps recall@10 near exact as the graph grows (0.915 at 10^6 with 128).
    index.hnsw.efSearch = HNSW_EF_SEARCH if n < 500_000 else 3 * HNSW_EF_SEARCH
    return index


def _write_lines(path: Path, rows: list) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
