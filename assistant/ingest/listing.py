"""Pages of the article list, so a 31k-article archive is never shown whole (the articles tab shows one page;
opening an article reads its own row).

Without a search a page is one SQL query with LIMIT/OFFSET. A search folds Arabic spelling the way questions
are matched («الاسد» finds «الأسد»); every word must match, either inside the title, publisher or date, or
as a word of the text (in the FTS5 table `fulltext` keeps at ingest, so no text is read). Folding
in SQL costs a Python call per row and per keystroke (2.4 s on 30,676 SaudiNewsNet rows), so the folded rows
are kept in memory, built once per corpus version (the stored corpus hash, read in O(1)): a search is then
one FTS5 query per word and a scan of short strings.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

from assistant.arabic.normalize import normalize_arabic
from assistant.ingest.fulltext import matching, words as text_words
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


class Listing:
    """The article list of one corpus file, with its folded rows cached per corpus version."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._folded: _Folded | None = None

    def page(self, conn: sqlite3.Connection, version: str, query: str = "", page: int = 0,
             per_page: int = PER_PAGE) -> CatalogPage:
        """Page `page` (0-based, clamped) of the documents matching `query`, bundled ones first; a word
        matches inside the title, publisher or date, or as a word of the text."""
        total, added, publishers = (int(v) for v in conn.execute(_COUNTS).fetchone())
        words = normalize_arabic(query or "").split()
        if words:
            folded = self._rows(conn, version)
            texts = [matching(conn, text_words(w)) for w in words]
            found = [row for row, hay, rowid in zip(folded.rows, folded.hays, folded.rowids)
                     if all(w in hay or rowid in text for w, text in zip(words, texts))]
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
                self._folded = _Folded(version, rows, hays, [int(r[5]) for r in listed])
            return self._folded


def _row(r: tuple) -> ListedDocument:
    return ListedDocument(r[0], r[1] or "", r[2], r[3], bool(r[4]))


def _clamp(page: int, matched: int, per_page: int) -> int:
    return min(max(0, page), max(1, -(-matched // per_page)) - 1)
