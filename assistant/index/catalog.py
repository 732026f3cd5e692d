"""The index catalog: which segments are live and what their rows are, in one SQLite file.

Segments are immutable files; everything that changes (a document added, replaced or deleted, segments
merged) is one transaction here, so the index a reader opens is always one that was committed whole.

    meta(key, value)             the fingerprint (embedder, tokenizer, chunking…), corpus_hash, generation
    segments(id, name, rows, sentences)   live segment folders
    docs(id, content_hash, source, day)
    chunks(chunk_id, doc_id, segment, row, start, end, title, source, date, text)   the chunk texts, once
    sentences(doc_id, start, end, segment, row, key, tokens)                 vectors live in the segment
    dead(segment, row)           chunk rows of replaced or deleted documents, until a merge drops them
    terms(term, id)              the global BM25 vocabulary;  sources(name, id): publisher ids for filters
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterable

from assistant.database import SqliteFile, set_meta
from assistant.types import Chunk

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS segments(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, rows INTEGER NOT NULL,
    sentences INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS docs(id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, source TEXT, day INTEGER);
CREATE TABLE IF NOT EXISTS chunks(chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, segment INTEGER NOT NULL,
    row INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, title TEXT NOT NULL, source TEXT,
    date TEXT, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_by_row ON chunks(segment, row);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS sentences(doc_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    segment INTEGER NOT NULL, row INTEGER NOT NULL, key BLOB NOT NULL, tokens TEXT NOT NULL,
    PRIMARY KEY(doc_id, start, "end"));
CREATE INDEX IF NOT EXISTS sentences_by_key ON sentences(key);
CREATE INDEX IF NOT EXISTS sentences_by_segment ON sentences(segment, row);
CREATE TABLE IF NOT EXISTS dead(segment INTEGER NOT NULL, row INTEGER NOT NULL, PRIMARY KEY(segment, row));
CREATE TABLE IF NOT EXISTS terms(term TEXT PRIMARY KEY, id INTEGER UNIQUE NOT NULL);
CREATE TABLE IF NOT EXISTS sources(name TEXT PRIMARY KEY, id INTEGER UNIQUE NOT NULL);
"""
CHUNK_COLUMNS = 'chunk_id, doc_id, title, source, text, start, "end", date'


class Catalog(SqliteFile):
    """The index's SQLite file (see the module docstring)."""

    schema = SCHEMA
    what = "index catalog"

    def segments(self) -> list[tuple[int, str, int, int]]:
        return self.conn.execute("SELECT id, name, rows, sentences FROM segments ORDER BY id").fetchall()

    def dead_rows(self) -> dict[int, list[int]]:
        dead: dict[int, list[int]] = {}
        for segment, row in self.conn.execute("SELECT segment, row FROM dead"):
            dead.setdefault(segment, []).append(row)
        return dead

    def chunks_at(self, places: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Chunk]:
        """Live chunks by (segment, row)."""
        found = {}
        for segment, row in places:
            hit = self.conn.execute(f"SELECT {CHUNK_COLUMNS} FROM chunks WHERE segment = ? AND row = ?",
                                    (segment, row)).fetchone()
            if hit is not None:
                found[(segment, row)] = Chunk(*hit)
        return found

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self.chunks_by_id([chunk_id]).get(chunk_id)

    def chunks_by_id(self, chunk_ids: Iterable[str]) -> dict[str, Chunk]:
        """Chunks by id in one query per 500 ids (a search names ~60; one query each cost more than the
        scoring did)."""
        wanted = list(dict.fromkeys(chunk_ids))
        found = {}
        for at in range(0, len(wanted), 500):
            part = wanted[at:at + 500]
            marks = ", ".join("?" * len(part))
            for row in self.conn.execute(f"SELECT {CHUNK_COLUMNS} FROM chunks WHERE chunk_id IN ({marks})", part):
                found[row[0]] = Chunk(*row)
        return found

    def all_chunks(self) -> list[Chunk]:
        rows = self.conn.execute(f"SELECT {CHUNK_COLUMNS} FROM chunks ORDER BY segment, row").fetchall()
        return [Chunk(*r) for r in rows]

    def place(self, chunk_id: str) -> tuple[int, int] | None:
        return self.conn.execute("SELECT segment, row FROM chunks WHERE chunk_id = ?", (chunk_id,)).fetchone()

    def sentence(self, doc_id: str, start: int, end: int) -> tuple[int, int, tuple[str, ...]] | None:
        hit = self.conn.execute('SELECT segment, row, tokens FROM sentences WHERE doc_id = ? AND start = ? '
                                'AND "end" = ?', (doc_id, start, end)).fetchone()
        return None if hit is None else (hit[0], hit[1], tuple(json.loads(hit[2])))

    def sentences_by_key(self, keys: list[bytes]) -> dict[bytes, tuple[int, int]]:
        found = {}
        for key in keys:
            hit = self.conn.execute("SELECT segment, row FROM sentences WHERE key = ? LIMIT 1", (key,)).fetchone()
            if hit is not None:
                found[key] = (hit[0], hit[1])
        return found

    def doc_hashes(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT id, content_hash FROM docs").fetchall())

    def term_ids(self, tokens: Iterable[str]) -> dict[str, int]:
        found = {}
        for token in set(tokens):
            hit = self.conn.execute("SELECT id FROM terms WHERE term = ?", (token,)).fetchone()
            if hit is not None:
                found[token] = int(hit[0])
        return found

    def terms(self) -> list[tuple[str, int]]:
        return self.conn.execute("SELECT term, id FROM terms").fetchall()

    def source_ids(self, names: Iterable[str]) -> list[int]:
        return [int(r[0]) for name in names
                for r in self.conn.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchall()]

    def sources(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM sources ORDER BY name")]


def intern(conn: sqlite3.Connection, table: str, names: Iterable[str]) -> dict[str, int]:
    """Ids for `names` in `terms` or `sources`, adding the new ones (in the caller's transaction)."""
    wanted = sorted(set(names))
    known: dict[str, int] = {}
    column = "term" if table == "terms" else "name"
    for name in wanted:
        hit = conn.execute(f"SELECT id FROM {table} WHERE {column} = ?", (name,)).fetchone()
        if hit is not None:
            known[name] = int(hit[0])
    next_id = int(conn.execute(f"SELECT coalesce(max(id), -1) + 1 FROM {table}").fetchone()[0])
    for name in wanted:
        if name not in known:
            conn.execute(f"INSERT INTO {table}({column}, id) VALUES (?, ?)", (name, next_id))
            known[name] = next_id
            next_id += 1
    return known


def bump_generation(conn: sqlite3.Connection) -> None:
    """Readers compare the generation to notice that another process changed the index."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    set_meta(conn, "generation", str(int(row[0]) + 1 if row else 1))


def folder_of(root: Path, name: str) -> Path:
    return root / "segments" / name
