"""BM25 over segments with corpus-wide statistics, scored as bm25s scores one index (its default "lucene" form).

bm25s builds one index at a time and cannot append; each segment keeps its own postings and scoring takes
the document count, frequencies and mean length over all live chunks of all segments (as Lucene does),
so a search over ten segments ranks exactly as a search over one index built from the same chunks would
(`tests/test_index_segments.py` checks the scores against bm25s itself).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

K1, B = 1.5, 0.75
"""bm25s's defaults."""


class Lexical:
    """BM25 over the live rows of a set of segments (`live[i]`: a boolean mask per segment)."""

    def __init__(self, segments: list, live: list[np.ndarray]) -> None:
        self.segments = segments
        self.live = live
        self._df: dict[int, int] = {}

    @cached_property
    def n_docs(self) -> int:
        return int(sum(int(mask.sum()) for mask in self.live))

    @cached_property
    def avgdl(self) -> float:
        total = sum(float(np.asarray(s.array("doclen"))[mask].sum()) for s, mask in zip(self.segments, self.live))
        return total / self.n_docs if self.n_docs else 1.0

    def df(self, term: int) -> int:
        """Live chunks that contain `term`."""
        if term not in self._df:
            self._df[term] = int(sum(int(mask[s.term_rows(term)[0]].sum()) for s, mask in zip(self.segments, self.live)))
        return self._df[term]

    def idf(self, term: int | None) -> float:
        df = self.df(term) if term is not None else 0
        return float(np.log(1.0 + (self.n_docs - df + 0.5) / (df + 0.5)))

    def search(self, terms: list[int], k: int, allowed: list[np.ndarray]) -> list[tuple[int, int, float]]:
        """The best `k` (segment index, row, score) with a positive score among the `allowed` rows.

        A term repeated in the query counts once per repetition, as in bm25s."""
        if not terms or not self.n_docs:
            return []
        found: list[tuple[int, int, float]] = []
        for i, (segment, mask) in enumerate(zip(self.segments, allowed)):
            rows_parts, score_parts = [], []
            doclen = segment.array("doclen")
            for term in terms:
                rows, tf = segment.term_rows(term)
                if not len(rows):
                    continue
                norm = K1 * (1 - B + B * np.asarray(doclen[rows], dtype=np.float32) / self.avgdl)
                rows_parts.append(rows)
                score_parts.append(self.idf(term) * tf / (tf + norm))
            if not rows_parts:
                continue
            rows = np.concatenate(rows_parts)
            scores = np.bincount(rows, weights=np.concatenate(score_parts), minlength=segment.rows)
            scores[~mask] = 0.0
            candidates = np.flatnonzero(scores > 0)
            if len(candidates) > k:
                candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
            found += [(i, int(r), float(scores[r])) for r in candidates]
        found.sort(key=lambda hit: -hit[2])
        return found[:k]

    def vocabulary_ids(self) -> np.ndarray:
        """Term ids used by at least one live chunk."""
        used = []
        for segment, mask in zip(self.segments, self.live):
            terms, rows = segment.row_terms()
            used.append(np.unique(terms[mask[rows]]))
        return np.unique(np.concatenate(used)) if used else np.zeros(0, np.int64)
