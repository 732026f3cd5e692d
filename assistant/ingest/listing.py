"""Pages of the article list, so a 31k-article archive is never shown whole (the articles tab shows one page;
opening an article reads its own row).

Without a search a page is one SQL query with LIMIT/OFFSET. A search folds Arabic spelling the way questions
are matched («الاسد» finds «الأسد»); every word must match, either inside the title, publisher or date, or
as a word of the text (in the FTS5 table `fulltext` keeps at ingest, so no text is read). Matches come most
relevant first: the BM25 of each query word in the title and text (FTS5's `bm25()`), summed; a word matched
only inside the publisher, the date or part of a title word adds nothing, and ties keep the stored order
(bundled articles first). Folding in SQL costs a Python call per row and per keystroke (2.4 s on 30,676
SaudiNewsNet rows), so the folded rows are kept in memory, built once per corpus version (the stored corpus
hash, read in O(1)): a search is then one FTS5 query per word, a scan of short strings and a sort of the
matches.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

from assistant.arabic.normalize import normalize_arabic
from assistant.ingest.fulltext import ranked, words as text_words
from assistant.types import CatalogPage, ListedDocument

PER_PAGE = 50
_ROWS = ("SELECT d.id, d.title, d.source, d.date, a.kind != 'bundled', d.rowid FROM documents d "
         "JOIN articles a ON a.id = d.article_id ORDER BY a.kind, d.article_id, d.seq")
_COUNTS = ("SELECT count(*), coalesce(sum(a.kind != 'bundled'), 0), count(DISTINCT d.source) "
           "FROM documents d JOIN articles a ON a.id = d.article_id")


@dataclass(frozen=True)
class _Folded:
    version: str
    rows: list[ListedDocument]
    hays: list[str]
    rowids: list[int]
    at: dict[int, int]
    """A document's rowid -> its position in `rows`."""


class Listing:
    """The article list of one corpus file, with its folded rows cached per corpus version."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._folded: _Folded | None = None

    def page(self, conn: sqlite3.Connection, version: str, query: str = "", page: int = 0,
             per_page: int = PER_PAGE) -> CatalogPage:
        """Page `page` (0-based, clamped) of the documents matching `query`, most relevant first (without a
        query: bundled ones first); a word matches inside the title, publisher or date, or as a word of the text."""
        total, added, publishers = (int(v) for v in conn.execute(_COUNTS).fetchone())
        words = normalize_arabic(query or "").split()
        if words:
            found = _ranked(self._rows(conn, version), words, [ranked(conn, text_words(w)) for w in words])
            matched, page = len(found), _clamp(page, len(found), per_page)
            rows = found[page * per_page:(page + 1) * per_page]
        else:
            matched, page = total, _clamp(page, total, per_page)
            rows = [_row(r) for r in conn.execute(f"{_ROWS} LIMIT ? OFFSET ?", (per_page, page * per_page))]
        return CatalogPage(rows, total, matched, added, publishers, page, max(1, -(-matched // per_page)), per_page)

    def _rows(self, conn: sqlite3.Connection, version: str) -> _Folded:
        with self._lock:
            if self._folded is None or self._folded.version != version:
                listed = conn.execute(_ROWS).fetchall()
                rows = [_row(r) for r in listed]
                hays = [normalize_arabic(" ".join([r.title, r.source or "", r.date or ""])) for r in rows]
                rowids = [int(r[5]) for r in listed]
                self._folded = _Folded(version, rows, hays, rowids, {r: i for i, r in enumerate(rowids)})
            return self._folded


def _ranked(folded: _Folded, words: list[str], texts: list[dict[int, float]]) -> list[ListedDocument]:
    """The rows every word matches (inside the row's title, publisher or date, or in its text), by their
    summed text relevance, ties in the stored order. Sets of positions, not a loop over every row per word."""
    matched: set[int] = set(range(len(folded.rows)))
    for word, text in zip(words, texts):
        found = {i for i, hay in enumerate(folded.hays) if word in hay}
        found.update(folded.at[rowid] for rowid in text if rowid in folded.at)
        matched &= found
    scores = {i: sum(text.get(folded.rowids[i], 0.0) for text in texts) for i in matched}
    return [folded.rows[i] for i in sorted(matched, key=lambda i: (-scores[i], i))]


def _row(r: tuple) -> ListedDocument:
    return ListedDocument(r[0], r[1] or "", r[2], r[3], bool(r[4]))


def _clamp(page: int, matched: int, per_page: int) -> int:
    return min(max(0, page), max(1, -(-matched // per_page)) - 1)
