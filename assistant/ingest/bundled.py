"""Keep the stored corpus current with what ships and what older versions left, cheaply at every start.

Three checks, each a hash compare when nothing changed: the bundled articles (package files), the cleaning
rules (`cleaning_version`: stored documents are cleaned again once when they change), and article records
an older version kept as `data/user/*.json` (imported once, then moved to `imported/`; an unreadable one
goes to `quarantine/` with a one-line warning).
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from pathlib import Path

from assistant.errors import ArticleError, StorageError
from assistant.ingest.cleaning import clean_article, cleaning_version
from assistant.database import SqliteFile, set_meta
from assistant.ingest.docstore import xor_hash

log = logging.getLogger(__name__)


def refresh(db: SqliteFile, bundled_dir: Path, user_dir: Path) -> None:
    """Bring the bundled articles and the cleaning up to date, then import old-style records."""
    files = sorted(bundled_dir.glob("*.txt")) if bundled_dir.is_dir() else []
    bundled_hash = _files_hash(files)
    version = cleaning_version()
    if db.meta("bundled_hash") != bundled_hash or db.meta("cleaning") != version:
        with db.write() as conn:
            changes: list[tuple[str, str]] = []
            if _meta(conn, "cleaning") not in ("", version):
                _reclean(conn, changes)
            if _meta(conn, "bundled_hash") != bundled_hash:
                _sync_bundled(conn, files, changes)
            set_meta(conn, "cleaning", version)
            set_meta(conn, "bundled_hash", bundled_hash)
            xor_hash(conn, changes)
    legacy = sorted(p for p in user_dir.glob("*.json") if p.is_file() and not p.name.startswith(".")) \
        if user_dir.is_dir() else []  # «.tmp-*.json»: a temporary file of an older version, never a record
    if legacy:
        _import_legacy(db, legacy, user_dir)


def _sync_bundled(conn: sqlite3.Connection, files: list[Path], changes: list[tuple[str, str]]) -> None:
    from assistant.ingest.corpus import raw_digest, write_article
    from assistant.ingest.loaders import load_file

    shipped = {}
    for path in files:
        try:
            for article in load_file(path):
                shipped[article.id] = article
        except ArticleError as exc:
            log.warning("bundled article skipped: %s", exc)
    stored = {i: (k, h) for i, k, h in conn.execute("SELECT id, kind, raw_hash FROM articles")}
    for article_id, (kind, _) in stored.items():
        if kind == "bundled" and article_id not in shipped:
            _drop(conn, article_id, changes)
    for article in shipped.values():
        kind, held = stored.get(article.id, (None, None))
        raw_hash = raw_digest(article)
        if kind == "user" or held == raw_hash:
            continue  # a user article that replaced this one on purpose, or unchanged
        _drop(conn, article.id, changes)
        write_article(conn, article, "bundled", raw_hash, clean_article(article), changes)


def _reclean(conn: sqlite3.Connection, changes: list[tuple[str, str]]) -> None:
    from assistant.ingest.corpus import read_raw, write_article

    rows = conn.execute("SELECT id, kind, raw, raw_hash FROM articles").fetchall()
    log.warning("the cleaning rules changed: cleaning the %d stored articles again (once)", len(rows))
    for article_id, kind, raw, raw_hash in rows:
        try:
            article = read_raw(raw)
        except ArticleError as exc:
            log.warning("article %s: %s; left as stored", article_id, exc)
            continue
        _drop(conn, article_id, changes)
        write_article(conn, article, kind, raw_hash, clean_article(article), changes)


def _import_legacy(db: SqliteFile, paths: list[Path], user_dir: Path) -> None:
    """Records of older versions (one RawArticle per JSON file) become stored articles, replacing as they did."""
    from assistant.ingest.corpus import add_articles
    from assistant.types import RawArticle

    good, bad = [], []
    for path in paths:
        try:
            article = RawArticle.from_json(path.read_text("utf-8"))
            if not isinstance(article.text, str) or not article.text.strip() or not isinstance(article.id, str):
                raise ValueError("no text")
            good.append((path, article))
        except (OSError, ValueError, TypeError) as exc:
            bad.append((path, f"{type(exc).__name__}: {exc}"))
    try:
        if good:
            result = add_articles(db, [a for _, a in good], replace=True)
            for message in result.errors:
                log.warning("old record not imported: %s", message)
        _move(good, user_dir / "imported")
        for path, reason in bad:
            log.warning("%s: stored article is unreadable (%s); moved to %s", path, reason, user_dir / "quarantine")
        _move(bad, user_dir / "quarantine")
    except (StorageError, OSError) as exc:
        log.warning("old-style records in %s not imported (%s)", user_dir, exc)


def _move(items: list, folder: Path) -> None:
    if items:
        folder.mkdir(exist_ok=True)
    for path, _ in items:
        path.replace(folder / path.name)


def _drop(conn: sqlite3.Connection, article_id: str, changes: list[tuple[str, str]]) -> None:
    changes += [(str(i), str(h)) for i, h in
                conn.execute("SELECT id, content_hash FROM documents WHERE article_id = ?", (article_id,))]
    conn.execute("DELETE FROM documents WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))


def _meta(conn: sqlite3.Connection, key: str) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else ""


def _files_hash(files: list[Path]) -> str:
    sha = hashlib.sha256()
    for path in files:
        sha.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()[:16] + json.dumps(len(files))
