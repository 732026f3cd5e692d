"""The corpus on disk: raw articles and their cleaned documents in one SQLite file, written in transactions.

Cleaning runs once, at ingest; start-up reads a hash, a citation reads one row. SQLite gives what a
folder of JSON records could not: a killed ingest rolls back to the last commit, two ingests take turns
(the journal is never mistaken for a record), and a folder that is read-only is still readable.

    meta(key, value)                       corpus_hash (an order-free set hash of (id, content hash)),
                                           cleaning version, bundled-files hash
    articles(id, kind, raw, raw_hash)      kind 'bundled' or 'user'; raw is the RawArticle as JSON, zlib'd
    documents(id, article_id, seq, title, source, date, appended_to, content_hash, body)   body: the Document
                                           as JSON, zlib'd; the other columns list it without reading it
    quarantine(id, reason, payload, at)    rows that could not be read back, set aside with a warning
    document_words                         FTS5 over each document's stems, for the articles tab (`fulltext`)
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time

from assistant.database import SqliteFile, set_meta
from assistant.errors import StorageError
from assistant.ingest import fulltext

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles(id TEXT PRIMARY KEY, kind TEXT NOT NULL, raw BLOB NOT NULL,
                                    raw_hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents(id TEXT PRIMARY KEY, article_id TEXT NOT NULL, seq INTEGER NOT NULL,
                                     title TEXT, source TEXT, date TEXT, appended_to TEXT,
                                     content_hash TEXT NOT NULL, body BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS documents_by_article ON documents(article_id);
CREATE TABLE IF NOT EXISTS quarantine(id TEXT, reason TEXT, payload BLOB, at TEXT);
"""
EMPTY_HASH = "0" * 32


class CorpusFile(SqliteFile):
    schema = SCHEMA + fulltext.SCHEMA
    what = "corpus database"
    memory_fallback = True


def set_hash_item(doc_id: str, content_hash: str) -> int:
    """One member of the corpus hash: XOR-ing members in and out keeps the hash current in O(1) per change."""
    return int.from_bytes(hashlib.sha256(f"{doc_id}\0{content_hash}".encode()).digest()[:16], "big")


def xor_hash(conn: sqlite3.Connection, changes: list[tuple[str, str]]) -> None:
    """Toggle (doc id, content hash) members in and out of meta.corpus_hash, in the caller's transaction."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'corpus_hash'").fetchone()
    value = int(row[0], 16) if row else 0
    for doc_id, content_hash in changes:
        value ^= set_hash_item(doc_id, content_hash)
    set_meta(conn, "corpus_hash", f"{value:032x}")


def quarantine(db: SqliteFile, doc_id: str, reason: str, payload: bytes) -> None:
    """Set an unreadable document's article aside (one warning), so the rest of the corpus still serves and
    ingesting the article again stores it afresh."""
    log.warning("stored document %s is unreadable (%s); its article is set aside in the quarantine table",
                doc_id, reason)
    if db.read_only:
        return
    try:
        with db.write() as conn:
            row = conn.execute("SELECT article_id FROM documents WHERE id = ?", (doc_id,)).fetchone()
            article_id = row[0] if row else doc_id
            conn.execute("INSERT INTO quarantine(id, reason, payload, at) VALUES (?, ?, ?, ?)",
                         (article_id, reason, payload, time.strftime("%Y-%m-%dT%H:%M:%S")))
            docs = conn.execute("SELECT id, content_hash FROM documents WHERE article_id = ?", (article_id,)).fetchall()
            xor_hash(conn, [(str(i), str(h)) for i, h in docs])
            conn.execute("DELETE FROM documents WHERE article_id = ?", (article_id,))
            conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    except StorageError as exc:
        log.warning("%s", exc)
