"""One segment of the index: immutable files written once, then memory-mapped (after Lucene's segments).

    sentences.faiss  the sentence vectors, the only text the model embeds (each sentence once): a FAISS
                     IndexFlatIP (HNSW for a large merged segment), read with IO_FLAG_MMAP_IFC, so the
                     vectors stay on disk until a search or an answer touches them
    chunks.faiss     each chunk's vector, the token-weighted mean of its sentences' (nothing embedded)
    chunk_sent.npy   per chunk row, its sentence rows [lo, hi);  sent_chunk.npy: a sentence's first chunk
    chunk_ids.json   per chunk row, its chunk id (a hit is named without asking the catalog)
    post_*.npy       BM25 postings by global term id: terms (sorted), ptr, rows, tf
    doclen.npy       tokens per chunk;  source.npy, day.npy: each chunk's source id and date (days since
                     1970; -1 unknown), for filters

A segment folder is written under a temporary name, fsynced, and renamed into place; the catalog then
commits the rows that refer to it, so a kill at any moment leaves either no segment or a complete one.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import faiss
import numpy as np

from assistant.errors import IndexCorruptError

HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 32, 80, 128


@dataclass
class SegmentData:
    """What a segment holds, in memory, before it is written."""

    chunk_ids: list[str]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    chunk_sent: np.ndarray
    """[rows, 2]: each chunk's sentence rows [lo, hi)."""
    postings: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    doclen: np.ndarray
    source: np.ndarray
    day: np.ndarray

    @property
    def rows(self) -> int:
        return int(self.chunk_vectors.shape[0])


def write_segment(root: Path, data: SegmentData, hnsw_above: int) -> str:
    """Write `data` as a new segment folder under `root`; its name once complete."""
    name = f"s-{uuid.uuid4().hex[:12]}"
    tmp = root / f".tmp-{name}"
    tmp.mkdir(parents=True)
    try:
        faiss.write_index(make_faiss_index(data.chunk_vectors, hnsw_above), str(tmp / "chunks.faiss"))
        faiss.write_index(make_faiss_index(data.sentence_vectors, hnsw_above), str(tmp / "sentences.faiss"))
        terms, ptr, rows, tf = data.postings
        sent_chunk = np.zeros(len(data.sentence_vectors), np.int32)
        for row, (lo, hi) in reversed(list(enumerate(data.chunk_sent))):
            sent_chunk[lo:hi] = row
        arrays = {"chunk_sent": data.chunk_sent.astype(np.int32), "sent_chunk": sent_chunk, "post_terms": terms,
                  "post_ptr": ptr, "post_rows": rows, "post_tf": tf, "doclen": data.doclen.astype(np.int32),
                  "source": data.source.astype(np.int32), "day": data.day.astype(np.int32)}
        for key, value in arrays.items():
            np.save(tmp / f"{key}.npy", value)
        (tmp / "chunk_ids.json").write_text(json.dumps(data.chunk_ids, ensure_ascii=False), "utf-8")
        _fsync_folder(tmp)
        os.rename(tmp, root / name)
        _fsync_dir(root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return name


def postings(tokens: list[list[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Term-major postings (sorted term ids, their row ranges, rows, term frequencies) of per-row term ids."""
    lengths = [len(t) for t in tokens]
    terms = np.fromiter(itertools.chain.from_iterable(tokens), dtype=np.int64, count=sum(lengths))
    rows = np.repeat(np.arange(len(tokens), dtype=np.int64), lengths)
    return postings_of(terms, rows, len(tokens))


def postings_of(terms: np.ndarray, rows: np.ndarray, n_rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                             np.ndarray]:
    """`postings` from parallel (term id, row) arrays, one entry per occurrence."""
    keys, counts = np.unique(terms.astype(np.int64) * (n_rows + 1) + rows, return_counts=True)
    term_of, row_of = np.divmod(keys, n_rows + 1)
    unique_terms, starts = np.unique(term_of, return_index=True)
    ptr = np.append(starts, len(keys)).astype(np.int64)
    return unique_terms.astype(np.int32), ptr, row_of.astype(np.int32), counts.astype(np.float32)


def postings_from(terms: np.ndarray, rows: np.ndarray, tf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                                np.ndarray]:
    """`postings` from (term id, row, frequency) triples with no (term, row) repeated (a merge)."""
    order = np.lexsort((rows, terms))
    terms, rows, tf = terms[order], rows[order], tf[order]
    unique_terms, starts = np.unique(terms, return_index=True)
    ptr = np.append(starts, len(terms)).astype(np.int64)
    return unique_terms.astype(np.int32), ptr, rows.astype(np.int32), tf.astype(np.float32)


def make_faiss_index(vectors: np.ndarray, hnsw_above: int) -> faiss.Index:
    """Inner product on normalised vectors: exact for small segments, HNSW for large ones."""
    dim = vectors.shape[1]
    if len(vectors) <= hnsw_above:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        # A wider search keeps recall@10 near exact as the graph grows (0.915 at 10^6 with 128).
        index.hnsw.efSearch = HNSW_EF_SEARCH if len(vectors) < 500_000 else 3 * HNSW_EF_SEARCH
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


class Segment:
    """A written segment, opened lazily: nothing is read until a search or a lookup needs it."""

    def __init__(self, folder: Path, rows: int, sentences: int) -> None:
        self.folder = folder
        self.rows = rows
        self.n_sentences = sentences

    @cached_property
    def chunk_index(self) -> faiss.Index:
        return self._read("chunks.faiss", self.rows)

    @cached_property
    def sentence_index(self) -> faiss.Index:
        return self._read("sentences.faiss", self.n_sentences)

    @cached_property
    def chunk_vectors(self) -> np.ndarray:
        return _view(self.chunk_index)

    @cached_property
    def sentence_vectors(self) -> np.ndarray:
        """A zero-copy view of the FAISS storage (mapped from disk)."""
        return _view(self.sentence_index)

    def _read(self, name: str, rows: int) -> faiss.Index:
        try:
            index = faiss.read_index(str(self.folder / name), faiss.IO_FLAG_MMAP_IFC)
        except RuntimeError as exc:
            raise IndexCorruptError(f"the index segment {self.folder} is unreadable "
                                    f"({name}: {str(exc).splitlines()[0]})") from None
        if index.ntotal != rows:
            raise IndexCorruptError(f"the index segment {self.folder} holds {index.ntotal} vectors in {name}, "
                                    f"not {rows}")
        return index

    def array(self, name: str) -> np.ndarray:
        """One of the .npy files, memory-mapped."""
        cached = self.__dict__.setdefault("_arrays", {})
        if name not in cached:
            try:
                cached[name] = np.load(self.folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            except (OSError, ValueError) as exc:
                raise IndexCorruptError(f"the index segment {self.folder} is unreadable ({name}: {exc})") from None
        return cached[name]

    @cached_property
    def chunk_ids(self) -> list[str]:
        try:
            ids = json.loads((self.folder / "chunk_ids.json").read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexCorruptError(f"the index segment {self.folder} is unreadable (chunk ids: {exc})") from None
        if not isinstance(ids, list) or len(ids) != self.rows:
            raise IndexCorruptError(f"the index segment {self.folder} is inconsistent (chunk ids)")
        return ids

    def check(self) -> None:
        """Every file present, of the right length, and mapped, so a merge that deletes the folder later
        cannot pull it from under a reader (run once when a segment is opened)."""
        for name in ("post_terms", "post_rows", "post_tf"):
            self.array(name)
        for name in ("doclen", "source", "day", "chunk_sent"):
            if len(self.array(name)) != self.rows:
                raise IndexCorruptError(f"the index segment {self.folder} is inconsistent ({name})")
        if len(self.array("sent_chunk")) != self.n_sentences or \
                len(self.array("post_ptr")) != len(self.array("post_terms")) + 1:
            raise IndexCorruptError(f"the index segment {self.folder} is inconsistent (postings)")
        self.chunk_index, self.sentence_index, self.chunk_ids  # noqa: B018 - reads and checks them

    def term_rows(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, term frequencies) of the chunks that contain `term`."""
        terms = self.array("post_terms")
        at = int(np.searchsorted(terms, term))
        if at >= len(terms) or terms[at] != term:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        ptr = self.array("post_ptr")
        lo, hi = int(ptr[at]), int(ptr[at + 1])
        return np.asarray(self.array("post_rows")[lo:hi]), np.asarray(self.array("post_tf")[lo:hi])

    def row_terms(self) -> tuple[np.ndarray, np.ndarray]:
        """(term id, row) of every posting: what a merge or a document-frequency count walks."""
        ptr = np.asarray(self.array("post_ptr"))
        terms = np.repeat(np.asarray(self.array("post_terms")), np.diff(ptr))
        return terms, np.asarray(self.array("post_rows"))

    def triples(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        terms, rows = self.row_terms()
        return terms, rows, np.asarray(self.array("post_tf"))


def _view(index: faiss.Index) -> np.ndarray:
    flat = faiss.downcast_index(index.storage) if isinstance(index, faiss.IndexHNSW) else index
    return faiss.rev_swig_ptr(flat.get_xb(), index.ntotal * index.d).reshape(index.ntotal, index.d)


def _fsync_folder(folder: Path) -> None:
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
