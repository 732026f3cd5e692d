"""Pages of the article list, searched and counted in SQLite, so a 31k-article archive is never loaded whole
(the articles tab shows one page; opening an article reads its own row).

The search folds Arabic spelling the way questions are matched («الاسد» finds «الأسد») and looks in the
columns listed without reading any text: title, publisher and date. Every word must match.
"""

from __future__ import annotations

import sqlite3

from assistant.arabic.normalize import normalize_arabic
from assistant.types import CatalogPage, ListedDocument

PER_PAGE = 50
_FOLDED = ("(SELECT d.id, d.title, d.source, d.date, a.kind != 'bundled' AS added, a.kind, d.article_id, d.seq, "
           "fold(coalesce(d.title, '') || ' ' || coalesce(d.source, '') || ' ' || coalesce(d.date, '')) AS hay "
           "FROM documents d JOIN articles a ON a.id = d.article_id)")


def catalog_page(conn: sqlite3.Connection, query: str = "", page: int = 0, per_page: int = PER_PAGE) -> CatalogPage:
    """Page `page` (0-based, clamped) of the documents matching `query`, bundled ones first."""
    conn.create_function("fold", 1, _fold, deterministic=True)
    words = normalize_arabic(query or "").split()
    where = " AND ".join(["instr(hay, ?) > 0"] * len(words)) or "1"
    matched = int(conn.execute(f"SELECT count(*) FROM {_FOLDED} WHERE {where}", words).fetchone()[0])
    pages = max(1, -(-matched // per_page))
    page = min(max(0, page), pages - 1)
    rows = conn.execute(f"SELECT id, title, source, date, added FROM {_FOLDED} WHERE {where} "
                        "ORDER BY kind, article_id, seq LIMIT ? OFFSET ?", [*words, per_page, page * per_page])
    total, added, publishers = conn.execute(
        "SELECT count(*), coalesce(sum(a.kind != 'bundled'), 0), count(DISTINCT d.source) "
        "FROM documents d JOIN articles a ON a.id = d.article_id").fetchone()
    return CatalogPage([ListedDocument(r[0], r[1] or "", r[2], r[3], bool(r[4])) for r in rows], int(total),
                       matched, int(added), int(publishers), page, pages, per_page)


def _fold(text: str | None) -> str:
    return normalize_arabic(text or "")
