"""Full-text search of the stored articles (the articles tab): SQLite FTS5 over each document's words.

A document goes in as `answer_tokens` gives its words (spelling folded by `normalize_arabic`, so «مكه» and
«مكة» are one word; then the article and one-letter proclitics stripped, so «بمكة» is found too), and a
query word is folded the same way, so FTS5 matches whole words and never re-reads a text. Not the Light10
stems BM25 uses: they also strip suffixes, and «مكة» and «مكان» both become «مك» (a search for the city
listed an article about a place). The table is in the corpus file, its rowid the document's rowid, written
in the document's own transaction; a trigger drops a document's row whatever deletes the document (replace,
delete, quarantine, a cleaning upgrade). A corpus written before this table, or with other word forms or
table options, is indexed once when it is opened for writing.

Matches come ranked by FTS5's `bm25()` (term frequency, rarity, document length), so the articles tab lists
the most relevant first. `detail = full` keeps token positions: `bm25` needs each match's instance count, and
with `detail = none` FTS5 re-tokenizes every matching document to get it (the same scores 20-50x slower;
positions make the table 18% larger; docs/experiments.md).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import zlib
from typing import Iterable

from assistant.arabic.morphology import answer_tokens
from assistant.database import SqliteFile, set_meta
from assistant.types import Document

log = logging.getLogger(__name__)

_TABLE = """
CREATE VIRTUAL TABLE IF NOT EXISTS document_words USING fts5(words, tokenize = 'unicode61 remove_diacritics 0',
                                                              detail = full);
"""
SCHEMA = _TABLE + """
CREATE TRIGGER IF NOT EXISTS document_words_gone AFTER DELETE ON documents BEGIN
    DELETE FROM document_words WHERE rowid = old.rowid;
END;
"""
_VERSION_KEY = "fulltext_tokens"
_VERSION = "answer_tokens-v1 detail=full"
"""Changed whenever `words` or the table's options would change, so that a stored corpus is indexed again."""


def index_document(conn: sqlite3.Connection, rowid: int, doc: Document) -> None:
    """The words of a document's title and text, in the caller's transaction."""
    conn.execute("INSERT INTO document_words(rowid, words) VALUES (?, ?)",
                 (rowid, " ".join(words(doc.title + "\n" + doc.text))))


def words(text: str) -> list[str]:
    """`text`'s words as the table holds them (a query word goes through this too)."""
    return answer_tokens(text)


def ranked(conn: sqlite3.Connection, wanted: Iterable[str]) -> dict[int, float]:
    """Rowid -> relevance (BM25, higher is better) of the documents whose title or text holds every word of
    `wanted` (from `words`); none when nothing is asked or the table is missing."""
    query = " AND ".join('"' + w.replace('"', '""') + '"' for w in wanted)
    if not query:
        return {}
    try:
        return {rowid: -score for rowid, score in conn.execute(
            "SELECT rowid, bm25(document_words) FROM document_words WHERE document_words MATCH ?", (query,))}
    except sqlite3.OperationalError as exc:  # a read-only corpus written before the table: titles only
        log.info("the article texts cannot be searched (%s)", exc)
        return {}


def bring_up_to_date(db: SqliteFile) -> None:
    """Index every stored document when the table was never filled or holds other word forms or options
    (once per corpus): the table is made again, since FTS5 options are fixed when it is created."""
    if db.read_only or db.meta(_VERSION_KEY, "") == _VERSION:
        return
    log.info("indexing the article texts for search (once; ~70 s for 30k articles)")
    with db.write() as conn:
        conn.execute("DROP TABLE IF EXISTS document_words")
        conn.execute(_TABLE)
        rows = conn.execute("SELECT rowid, body FROM documents").fetchall()
        for rowid, body in rows:
            try:
                index_document(conn, rowid, Document(**json.loads(zlib.decompress(body))))
            except (ValueError, TypeError, zlib.error):  # read back (and quarantined) by `Corpus` when asked
                log.info("document row %d not searchable: unreadable", rowid)
        set_meta(conn, _VERSION_KEY, _VERSION)
    log.info("article texts indexed for search: %d documents", len(rows))
