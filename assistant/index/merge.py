"""Merging segments, as Lucene's tiered policy does: small segments into bigger ones, dead rows dropped.

Every write appends a segment; without merging, a search would visit one segment per ingest batch. A tier
holds segments of similar size (a factor of MERGE_FACTOR apart); when a tier fills up, its segments become
one. A segment whose rows are mostly dead (replaced or deleted documents) is rewritten without them.
Nothing is embedded again: vectors, postings and metadata are copied, and a merged segment above
`faiss_hnsw_above` rows gets an HNSW graph. The catalog swaps the segments in one transaction.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np

from assistant.index.catalog import Catalog, bump_generation, folder_of
from assistant.index.segments import Segment, SegmentData, postings_from, write_segment
from assistant.index.snapshot import Snapshot

MERGE_FACTOR = 4
MAX_DEAD_SHARE = 0.3


def plan(snapshot: Snapshot) -> list[int]:
    """Segment positions to merge next (the smallest full tier first), or [] when none need it."""
    tiers: dict[int, list[int]] = {}
    for i, (segment, live) in enumerate(zip(snapshot.segments, snapshot.live)):
        n = int(live.sum())
        if segment.rows and (segment.rows - n) / segment.rows > MAX_DEAD_SHARE:
            return [i]
        tiers.setdefault(int(math.log(max(n, 1), MERGE_FACTOR)), []).append(i)
    for tier in sorted(tiers):
        if len(tiers[tier]) >= MERGE_FACTOR:
            return tiers[tier]
    return []


def merge(root: Path, catalog: Catalog, snapshot: Snapshot, picks: list[int], hnsw_above: int) -> None:
    """Write the live rows of the picked segments as one segment and swap it in (caller holds the lock)."""
    parts = [_live_part(snapshot.segments[i], snapshot.live[i]) for i in picks]
    data = SegmentData(
        chunk_ids=[cid for p in parts for cid in p["chunk_ids"]],
        chunk_vectors=np.vstack([p["chunk_vectors"] for p in parts]),
        sentence_vectors=np.vstack([p["sentence_vectors"] for p in parts]),
        chunk_sent=np.vstack([p["chunk_sent"] + p["sent_offset"] for p in _offsets(parts)]),
        postings=postings_from(*[np.concatenate(x) for x in zip(*[(p["terms"], p["rows"] + p["row_offset"], p["tf"])
                                                                   for p in _offsets(parts)])]),
        doclen=np.concatenate([p["doclen"] for p in parts]),
        source=np.concatenate([p["source"] for p in parts]),
        day=np.concatenate([p["day"] for p in parts]),
    )
    name = write_segment(root / "segments", data, hnsw_above)
    old = [snapshot.ids[i] for i in picks]
    with catalog.write() as conn:
        conn.execute("INSERT INTO segments(name, rows, sentences) VALUES (?, ?, ?)",
                     (name, data.rows, len(data.sentence_vectors)))
        new_id = int(conn.execute("SELECT id FROM segments WHERE name = ?", (name,)).fetchone()[0])
        for segment_id, part in zip(old, _offsets(parts)):
            conn.executemany("UPDATE chunks SET segment = ?, row = ? WHERE segment = ? AND row = ?",
                             [(new_id, int(new), segment_id, int(was)) for was, new in
                              zip(part["chunk_rows"], part["row_offset"] + np.arange(len(part["chunk_rows"])))])
            conn.executemany("UPDATE sentences SET segment = ?, row = ? WHERE segment = ? AND row = ?",
                             [(new_id, int(new), segment_id, int(was)) for was, new in
                              zip(part["sent_rows"], part["sent_offset"] + np.arange(len(part["sent_rows"])))])
            conn.execute("DELETE FROM dead WHERE segment = ?", (segment_id,))
            conn.execute("DELETE FROM segments WHERE id = ?", (segment_id,))
        bump_generation(conn)
    for i in picks:
        shutil.rmtree(snapshot.segments[i].folder, ignore_errors=True)


def _live_part(segment: Segment, live: np.ndarray) -> dict:
    """A segment's live rows, renumbered from 0 (sentences follow their chunks)."""
    chunk_rows = np.flatnonzero(live)
    sent_live = live[np.asarray(segment.array("sent_chunk"))]
    sent_rows = np.flatnonzero(sent_live)
    sent_new = np.cumsum(sent_live) - 1
    row_new = np.cumsum(live) - 1
    chunk_sent = np.asarray(segment.array("chunk_sent"))[chunk_rows]
    lo = np.where(chunk_sent[:, 1] > chunk_sent[:, 0], sent_new[np.minimum(chunk_sent[:, 0], len(sent_new) - 1)], 0)
    terms, rows, tf = segment.triples()
    keep = live[rows]
    ids = segment.chunk_ids
    return {"chunk_rows": chunk_rows, "sent_rows": sent_rows, "chunk_ids": [ids[r] for r in chunk_rows],
            "chunk_vectors": np.asarray(segment.chunk_vectors[chunk_rows]),
            "sentence_vectors": np.asarray(segment.sentence_vectors[sent_rows]),
            "chunk_sent": np.stack([lo, lo + (chunk_sent[:, 1] - chunk_sent[:, 0])], axis=1).astype(np.int64),
            "terms": terms[keep], "rows": row_new[rows[keep]], "tf": tf[keep],
            "doclen": np.asarray(segment.array("doclen"))[chunk_rows],
            "source": np.asarray(segment.array("source"))[chunk_rows],
            "day": np.asarray(segment.array("day"))[chunk_rows]}


def _offsets(parts: list[dict]) -> list[dict]:
    rows = sentences = 0
    out = []
    for part in parts:
        out.append({**part, "row_offset": rows, "sent_offset": sentences})
        rows += len(part["chunk_rows"])
        sentences += len(part["sent_rows"])
    return out


__all__ = ["MERGE_FACTOR", "folder_of", "merge", "plan"]
