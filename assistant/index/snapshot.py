"""A committed state of the index, opened for reading: its segments, their live rows, and searches over them.

Dense score of a chunk = its best sentence's similarity to the query. Candidates come from the chunk
vectors (the token-weighted mean of each chunk's sentences, nothing embedded twice) and from the sentence
vectors. Adding the chunk vector's similarity to the best sentence's (the first version) measured worse
here: dev recall@1 0.800 vs 0.875 and refusal recall 0.7 vs 0.8, holdout MRR 0.903 vs 0.916 (only the
retrieval dev set's hybrid recall@5 was higher, 0.975 vs 0.950): docs/experiments.md.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from assistant.index.catalog import Catalog, folder_of
from assistant.index.lexical import Lexical
from assistant.index.segments import HNSW_EF_SEARCH, Segment
from assistant.index.vector_store import DayFilters
from assistant.index.vectors import rank_key, similarities

EXACT_BELOW = 4096
"""A filtered search over fewer allowed rows than this is exact (numpy over the mapped vectors)."""
Found = list[tuple[int, int, float]]
"""(segment index, chunk row, score), best first."""


class Snapshot:
    """What the catalog said at one generation; a writer's commit makes a new one."""

    def __init__(self, root: Path, catalog: Catalog) -> None:
        self.generation = catalog.meta("generation", "0")
        rows = catalog.segments()
        self.ids = [r[0] for r in rows]
        self.segments = [Segment(folder_of(root, name), n, ns) for _, name, n, ns in rows]
        dead = catalog.dead_rows()
        self.live = []
        for sid, segment in zip(self.ids, self.segments):
            mask = np.ones(segment.rows, dtype=bool)
            mask[dead.get(sid, [])] = False
            self.live.append(mask)
        self.lexical = Lexical(self.segments, self.live)

    def check(self) -> None:
        for segment in self.segments:
            segment.check()

    @property
    def count(self) -> int:
        return int(sum(int(m.sum()) for m in self.live))

    def allowed(self, filters: DayFilters, source_ids: list[int]) -> list[np.ndarray]:
        """Live rows that pass the filters, per segment."""
        if not filters:
            return self.live
        out = []
        for segment, live in zip(self.segments, self.live):
            mask = live.copy()
            if filters.sources:
                mask &= np.isin(np.asarray(segment.array("source")), source_ids)
            day = np.asarray(segment.array("day"))
            if filters.since is not None:
                mask &= day >= filters.since
            if filters.until is not None:
                mask &= (day <= filters.until) & (day >= 0)
            out.append(mask)
        return out

    def dense(self, query: np.ndarray, k: int, allowed: list[np.ndarray]) -> Found:
        found = []
        for i, (segment, mask) in enumerate(zip(self.segments, allowed)):
            found += [(key, i, row, score) for key, row, score in _segment_dense(segment, query, k, mask)]
        found.sort()
        return [(i, row, score) for _, i, row, score in found[:k]]

    def sentence_vector(self, segment: int, row: int) -> np.ndarray:
        return np.asarray(self.segments[segment].sentence_vectors[row])


def _segment_dense(segment: Segment, query: np.ndarray, k: int, mask: np.ndarray) -> list[tuple[tuple, int, float]]:
    """Candidates from the chunk vectors and from the sentence vectors, rescored exactly: (rank key, row, score)."""
    if not mask.any():
        return []
    full = bool(mask.all())
    sent_chunk = np.asarray(segment.array("sent_chunk"))
    chunk_sent = np.asarray(segment.array("chunk_sent"))
    candidates = set(_search(segment.chunk_index, segment.chunk_vectors, query, k, None if full else mask))
    for s in _search(segment.sentence_index, segment.sentence_vectors, query, 2 * k,
                     None if full else mask[sent_chunk]):
        first = int(sent_chunk[s])
        candidates.add(first)
        if first + 1 < segment.rows and chunk_sent[first + 1][0] <= s:
            candidates.add(first + 1)  # the sentence is also the overlap that opens the next chunk
    return _best_sentences(segment, sorted(candidates), query, k)


def _best_sentences(segment: Segment, rows: list[int], query: np.ndarray, k: int) -> list[tuple[tuple, int, float]]:
    """The `k` best of `rows` by their best sentence's similarity, as (`rank_key`, row, score): each distinct
    sentence scored once, in one product (a product per chunk cost a third of a search over seven segments)."""
    bounds = np.asarray(segment.array("chunk_sent"))[rows]
    sizes = np.maximum(bounds[:, 1] - bounds[:, 0], 0)
    firsts = np.cumsum(sizes) - sizes  # where each chunk's sentences start in `members`
    best = np.zeros(len(rows), np.float32)
    if sizes.any():
        members = np.repeat(bounds[:, 0] - firsts, sizes) + np.arange(int(sizes.sum()))
        distinct, at = np.unique(members, return_inverse=True)
        scores = similarities(segment.sentence_vectors[distinct], query)[at]
        filled = sizes > 0
        best[filled] = np.maximum.reduceat(scores, firsts[filled])
    ranked = sorted((rank_key(segment.chunk_ids[row], float(score)), row, float(score))
                    for row, score in zip(rows, best))
    return ranked[:k]


def _search(index: faiss.Index, vectors: np.ndarray, query: np.ndarray, k: int, mask: np.ndarray | None) -> list[int]:
    """Row ids of the nearest vectors among the allowed rows (all rows when `mask` is None)."""
    q = query.reshape(1, -1)
    if mask is None:
        _, ids = index.search(q, min(k, index.ntotal))
        return [int(i) for i in ids[0] if i >= 0]
    rows = np.flatnonzero(mask)
    if len(rows) <= EXACT_BELOW:
        scores = np.asarray(vectors[rows]) @ query
        top = np.argsort(-scores)[:k]
        return [int(rows[i]) for i in top]
    bitmap = np.packbits(mask, bitorder="little")
    selector = faiss.IDSelectorBitmap(len(mask), faiss.swig_ptr(bitmap))
    if isinstance(index, faiss.IndexHNSW):
        share = len(rows) / len(mask)
        params = faiss.SearchParametersHNSW(sel=selector, efSearch=int(min(1024, max(HNSW_EF_SEARCH, k / share))))
    else:
        params = faiss.SearchParameters(sel=selector)
    _, ids = index.search(q, k, params=params)
    return [int(i) for i in ids[0] if i >= 0]
