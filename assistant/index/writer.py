"""Writing the index: documents -> one new segment + one catalog transaction; deletes mark rows dead.

Everything runs under the index's writer lock, so term and publisher ids can be given out before the
segment is written and inserted when the catalog commits; a writer killed in between leaves an orphan
segment folder, which the next writer removes.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.index.catalog import Catalog, bump_generation, folder_of
from assistant.index.prepare import Prepared
from assistant.index.segments import SegmentData, postings, write_segment
from assistant.index.vectors import mean_vectors
from assistant.ingest.docstore import xor_hash
from assistant.ingest.records import date_key


class Ids:
    """Term or publisher ids: those the catalog knows, and new ones handed out (inserted at commit)."""

    def __init__(self, catalog: Catalog, table: str) -> None:
        self.table = table
        self.column = "term" if table == "terms" else "name"
        self.catalog = catalog
        self.known: dict[str, int] = {}
        self.new: dict[str, int] = {}
        row = catalog.conn.execute(f"SELECT coalesce(max(id), -1) + 1 FROM {table}").fetchone()
        self.next = int(row[0])

    def of(self, names: Sequence[str]) -> list[int]:
        missing = [n for n in set(names) if n not in self.known and n not in self.new]
        if missing:
            self.known.update(self.catalog.term_ids(missing) if self.table == "terms" else
                              {n: i for n in missing for i in self.catalog.source_ids([n])})
        out = []
        for name in names:
            if name not in self.known and name not in self.new:
                self.new[name] = self.next
                self.next += 1
            out.append(self.known[name] if name in self.known else self.new[name])
        return out

    def insert(self, conn: sqlite3.Connection) -> None:
        conn.executemany(f"INSERT INTO {self.table}({self.column}, id) VALUES (?, ?)", list(self.new.items()))


def segment_data(prepared: Prepared, sentence_vectors: np.ndarray, weights: np.ndarray,
                 terms: Ids, sources: Ids) -> SegmentData:
    """The arrays of a segment for `prepared` (its rows in the order of `prepared.chunks`)."""
    tokens = [terms.of(prepared.chunk_tokens(row)) for row in range(len(prepared.chunks))]
    days = {d.id: date_key(d.date) for d in prepared.docs}
    source_of = {d.id: d.source for d in prepared.docs}
    named = [source_of[c.doc_id] for c in prepared.chunks]
    source_ids = sources.of([s for s in named if s])
    it = iter(source_ids)
    return SegmentData(
        chunk_ids=[c.chunk_id for c in prepared.chunks],
        chunk_vectors=mean_vectors(prepared.members, sentence_vectors, weights),
        sentence_vectors=sentence_vectors,
        chunk_sent=np.array([[m[0], m[-1] + 1] if m else [0, 0] for m in prepared.members], np.int32).reshape(-1, 2),
        postings=postings(tokens),
        doclen=np.array([len(t) for t in tokens], np.int32),
        source=np.array([next(it) if s else -1 for s in named], np.int32),
        day=np.array([days[c.doc_id] if days[c.doc_id] is not None else -1 for c in prepared.chunks], np.int32),
    )


def commit_segment(conn: sqlite3.Connection, name: str, prepared: Prepared, terms: Ids, sources: Ids) -> None:
    """Catalog rows of a written segment; the documents' older rows are marked dead (one transaction)."""
    changes = remove_documents(conn, [d.id for d in prepared.docs])
    conn.execute("INSERT INTO segments(name, rows, sentences) VALUES (?, ?, ?)",
                 (name, len(prepared.chunks), len(prepared.sentences)))
    segment = int(conn.execute("SELECT id FROM segments WHERE name = ?", (name,)).fetchone()[0])
    terms.insert(conn)
    sources.insert(conn)
    conn.executemany("INSERT INTO docs(id, content_hash, source, day) VALUES (?, ?, ?, ?)",
                     [(d.id, d.content_hash, d.source, date_key(d.date)) for d in prepared.docs])
    changes += [(d.id, d.content_hash) for d in prepared.docs]
    conn.executemany('INSERT INTO chunks(chunk_id, doc_id, segment, row, start, "end", title, source, date, text) '
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [(c.chunk_id, c.doc_id, segment, row, c.start, c.end, c.title, c.source, c.date, c.text)
                      for row, c in enumerate(prepared.chunks)])
    conn.executemany('INSERT OR REPLACE INTO sentences(doc_id, start, "end", segment, row, key, tokens) '
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [(s.doc_id, s.start, s.end, segment, row, s.key, json.dumps(s.tokens, ensure_ascii=False))
                      for row, s in enumerate(prepared.sentences)])
    xor_hash(conn, changes)
    bump_generation(conn)


def remove_documents(conn: sqlite3.Connection, doc_ids: Sequence[str]) -> list[tuple[str, str]]:
    """Mark the documents' chunk rows dead and drop their catalog rows; the (id, hash) pairs removed."""
    removed = []
    for doc_id in doc_ids:
        row = conn.execute("SELECT content_hash FROM docs WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            continue
        removed.append((doc_id, str(row[0])))
        conn.execute("INSERT OR IGNORE INTO dead(segment, row) SELECT segment, row FROM chunks WHERE doc_id = ?",
                     (doc_id,))
        for table in ("chunks", "sentences"):
            conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
        conn.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
    return removed


def token_weights(prepared: Prepared, embedder: BaseEmbedding) -> np.ndarray:
    """Each sentence's weight in its chunk's vector: its token count (the model's, else its words)."""
    count: Callable[[str], int] | None = getattr(embedder, "token_count", None)
    texts = [s.text for s in prepared.sentences]
    return np.array([count(t) if count else len(t.split()) + 2 for t in texts], dtype=np.float32)


def remove_orphans(root: Path, catalog: Catalog) -> None:
    """Segment folders no committed row names (left by a killed writer or an interrupted merge)."""
    folder = root / "segments"
    if not folder.is_dir():
        return
    live = {name for _, name, _, _ in catalog.segments()}
    for path in folder.iterdir():
        if path.name not in live:
            shutil.rmtree(path, ignore_errors=True)


def new_segment(root: Path, data: SegmentData, hnsw_above: int) -> str:
    return write_segment(root / "segments", data, hnsw_above)


__all__ = ["Ids", "commit_segment", "folder_of", "new_segment", "remove_documents", "remove_orphans",
           "segment_data", "token_weights"]
