"""The document collection: the bundled articles plus those a user added, cleaned once and stored.

Ids never collide silently: an article whose id is taken by a different article (bundled, stored, or
earlier in the same batch) is stored under the first free `<id>-2`, `<id>-3`… and the result says so,
unless `replace=True` asks for the stored one to be replaced; an identical article is a no-op.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import zlib
from dataclasses import asdict, dataclass, field, replace as dc_replace
from typing import Iterable, Iterator

from assistant.errors import ArticleError, InputError, StorageError
from assistant.ingest import bundled, fulltext
from assistant.ingest.cleaning import clean_article
from assistant.database import SqliteFile
from assistant.ingest.docstore import EMPTY_HASH, CorpusFile, quarantine, xor_hash
from assistant.ingest.listing import PER_PAGE, Listing
from assistant.settings import Settings
from assistant.types import CatalogPage, Document, RawArticle

log = logging.getLogger(__name__)
CORPUS_FILE = "corpus.sqlite3"
Cleaned = dict[int, list[Document]]
"""Documents cleaned from the articles of a batch, by the article's position in it."""


@dataclass
class AddResult:
    """What `Corpus.add` did, by article id; `changed` and `removed` are document ids for the index."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    """One line per article stored under another id than its own (and why)."""
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentInfo:
    """A document without its text, for listings of a large archive."""

    id: str
    title: str
    source: str | None
    date: str | None
    appended_to: str | None


class Corpus:
    """The stored documents (see `docstore`): read by id or hash, added to in transactions."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.bundled_dir = settings.corpus_dir
        self.user_dir = settings.user_corpus_dir
        self.db: SqliteFile = CorpusFile(self.user_dir / CORPUS_FILE)
        self._checked = False
        self._listing = Listing()

    # --- reading -----------------------------------------------------------------------------------

    def corpus_hash(self) -> str:
        """Changes whenever any document changes; read, not computed (start-up stays O(1))."""
        self._ready()
        return self.db.meta("corpus_hash", EMPTY_HASH)

    def hashes(self) -> dict[str, str]:
        self._ready()
        return dict(self.db.conn.execute("SELECT id, content_hash FROM documents").fetchall())

    def documents(self, ids: Iterable[str] | None = None) -> list[Document]:
        """Documents by id (all of them, bundled first, when `ids` is None); unreadable rows are quarantined."""
        return list(self.iter_documents(ids))

    def iter_documents(self, ids: Iterable[str] | None = None) -> Iterator[Document]:
        self._ready()
        if ids is None:
            rows = self.db.conn.execute("SELECT d.id, d.body FROM documents d JOIN articles a ON a.id = d.article_id "
                                        "ORDER BY a.kind, d.article_id, d.seq").fetchall()
        else:
            rows = [row for doc_id in ids for row in
                    self.db.conn.execute("SELECT id, body FROM documents WHERE id = ?", (doc_id,)).fetchall()]
        for doc_id, body in rows:
            doc = self._decode(doc_id, body)
            if doc is not None:
                yield doc

    def get(self, doc_id: str) -> Document:
        """One document, reading only its own row (a citation never reads the corpus)."""
        found = self.documents([doc_id])
        if not found:
            raise InputError(f"no document with id {doc_id!r}; `assistant docs` lists them")
        return found[0]

    def catalog(self) -> list[DocumentInfo]:
        self._ready()
        rows = self.db.conn.execute("SELECT d.id, d.title, d.source, d.date, d.appended_to FROM documents d JOIN articles a "
                                    "ON a.id = d.article_id ORDER BY a.kind, d.article_id, d.seq").fetchall()
        return [DocumentInfo(*row) for row in rows]

    def page(self, query: str = "", page: int = 0, per_page: int = PER_PAGE) -> CatalogPage:
        """One page of the article list, searched by title, publisher, date and text (see `listing`)."""
        return self._listing.page(self.db.conn, self.corpus_hash(), query, page, per_page)

    def added_documents(self) -> dict[str, str]:
        """Document id -> article id for every article a user added (the ones that may be deleted)."""
        self._ready()
        return dict(self.db.conn.execute("SELECT d.id, d.article_id FROM documents d JOIN articles a "
                                         "ON a.id = d.article_id WHERE a.kind != 'bundled'").fetchall())

    def added_article(self, doc_id: str) -> str | None:
        """The article a user added that `doc_id` came from (None for a bundled or unknown one); one row."""
        self._ready()
        row = self.db.conn.execute("SELECT d.article_id FROM documents d JOIN articles a ON a.id = d.article_id "
                                   "WHERE d.id = ? AND a.kind != 'bundled'", (doc_id,)).fetchone()
        return None if row is None else str(row[0])

    def sources(self) -> list[str]:
        """Every publisher named by a document (for a filter)."""
        self._ready()
        return [r[0] for r in self.db.conn.execute(
            "SELECT DISTINCT source FROM documents WHERE source IS NOT NULL ORDER BY source")]

    def __len__(self) -> int:
        self._ready()
        return int(self.db.conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    # --- writing -----------------------------------------------------------------------------------

    def add(self, articles: list[RawArticle], replace: bool = False,
            cleaned: Cleaned | None = None) -> AddResult:
        """Clean and store articles in one transaction; an article that cleans to nothing is an error.
        `cleaned` (by position in `articles`): documents cleaned elsewhere (`--ray`) from an article under
        its own id, used when it keeps that id."""
        self._ready()
        return add_articles(self.db, articles, replace, cleaned)

    def stored(self, articles: list[RawArticle]) -> list[bool]:
        """Per article: is this very article already stored under its id (an ingest leaves it unchanged)?"""
        self._ready()
        rows = [self.db.conn.execute("SELECT raw_hash FROM articles WHERE id = ?", (a.id,)).fetchone()
                for a in articles]
        return [row is not None and row[0] == raw_digest(a) for row, a in zip(rows, articles)]

    def delete(self, article_ids: list[str]) -> AddResult:
        """Remove user articles (and the documents cleaned from them); bundled ones stay."""
        self._ready()
        result = AddResult()
        with self.db.write() as conn:
            changes: list[tuple[str, str]] = []
            for article_id in article_ids:
                row = conn.execute("SELECT kind FROM articles WHERE id = ?", (article_id,)).fetchone()
                if row is None:
                    result.errors.append(f"{article_id}: no such article")
                elif row[0] == "bundled":
                    result.errors.append(f"{article_id}: a bundled article; it cannot be deleted")
                else:
                    result.removed += _drop_documents(conn, article_id, changes)
                    conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
                    result.updated.append(article_id)
            xor_hash(conn, changes)
        return result

    def _decode(self, doc_id: str, body: object) -> Document | None:
        try:
            data = json.loads(zlib.decompress(body)) if isinstance(body, bytes) else None
            doc = Document(**data) if isinstance(data, dict) else None
            if doc is None or not isinstance(doc.text, str) or not doc.text.strip() or not isinstance(doc.title, str):
                raise ValueError("not a document with a text and a title")
            return doc
        except (ValueError, TypeError, zlib.error) as exc:
            quarantine(self.db, doc_id, f"{type(exc).__name__}: {exc}", body if isinstance(body, bytes) else b"")
            return None

    def _ready(self) -> None:
        """Bundled articles, cleaning rules and old-style records brought up to date (once per process)."""
        if self._checked:
            return
        self._checked = True
        try:
            bundled.refresh(self.db, self.bundled_dir, self.user_dir)
            fulltext.bring_up_to_date(self.db)
        except StorageError as exc:
            log.warning("%s; serving the corpus as stored", exc)


def add_articles(db: SqliteFile, articles: list[RawArticle], replace: bool = False,
                 cleaned: Cleaned | None = None) -> AddResult:
    """`Corpus.add` on a store that is ready (also how records of older versions are imported)."""
    result = AddResult()
    batch: dict[str, str] = {}
    with db.write() as conn:
        changes: list[tuple[str, str]] = []
        for at, article in enumerate(articles):
            _add_one(conn, article, replace, batch, result, changes, (cleaned or {}).get(at))
        xor_hash(conn, changes)
    return result


def _add_one(conn: sqlite3.Connection, article: RawArticle, replace: bool, batch: dict[str, str],
             result: AddResult, changes: list[tuple[str, str]], cleaned: list[Document] | None = None) -> None:
    raw_hash = raw_digest(article)
    target, state = _resolve(conn, article.id, raw_hash, replace, batch)
    if state == "unchanged":
        batch[target] = raw_hash
        result.unchanged.append(target)
        return
    stored = article if target == article.id else dc_replace(article, id=target)
    docs = cleaned if cleaned is not None and target == article.id else clean_article(stored)
    if not docs:
        result.errors.append(f"{article.origin or article.id}: no article text left after removing boilerplate")
        return
    if target != article.id:
        why = "another article in this batch" if article.id in batch else "another article"
        result.renamed.append(f"{article.origin or article.id}: id {article.id!r} is taken by {why}; "
                              f"stored as {target!r}" + ("" if article.id in batch else
                                                         " (--replace replaces the stored one)"))
    batch[target] = raw_hash
    result.removed += [d for d in _drop_documents(conn, target, changes) if d not in {x.id for x in docs}]
    write_article(conn, stored, "user", raw_hash, docs, changes)
    result.changed += [d.id for d in docs]
    (result.updated if state == "replace" else result.added).append(target)


def _drop_documents(conn: sqlite3.Connection, article_id: str, changes: list[tuple[str, str]]) -> list[str]:
    rows = conn.execute("SELECT id, content_hash FROM documents WHERE article_id = ?", (article_id,)).fetchall()
    changes += [(str(i), str(h)) for i, h in rows]
    conn.execute("DELETE FROM documents WHERE article_id = ?", (article_id,))
    return [str(i) for i, _ in rows]


def _resolve(conn: sqlite3.Connection, wanted: str, raw_hash: str, replace: bool,
             batch: dict[str, str]) -> tuple[str, str]:
    """(id to store under, 'new' | 'replace' | 'unchanged'): the first of id, id-2, id-3… that is free or
    holds this same article; with `replace`, the stored article of this id (not one of this batch)."""
    n = 1
    while True:
        candidate = wanted if n == 1 else f"{wanted}-{n}"
        row = conn.execute("SELECT raw_hash FROM articles WHERE id = ?", (candidate,)).fetchone()
        held = batch.get(candidate) or (row[0] if row else None)
        if held is None and not _is_derived_id(conn, candidate):
            return candidate, "new"
        if held == raw_hash:
            return candidate, "unchanged"
        if replace and candidate not in batch and row is not None:
            return candidate, "replace"
        n += 1


def _is_derived_id(conn: sqlite3.Connection, doc_id: str) -> bool:
    """An id already used by a document split out of another article («x__appended-1»)."""
    return conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None


def raw_digest(article: RawArticle) -> str:
    """What makes two articles the same article (not where they were read from)."""
    payload = json.dumps([article.text, article.title, article.source, article.url, article.date, article.author],
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def write_article(conn: sqlite3.Connection, article: RawArticle, kind: str, raw_hash: str, docs: list[Document],
                  changes: list[tuple[str, str]]) -> None:
    """Store an article and its cleaned documents (the caller removed the old ones) in `conn`'s transaction."""
    conn.execute("INSERT OR REPLACE INTO articles(id, kind, raw, raw_hash) VALUES (?, ?, ?, ?)",
                 (article.id, kind, zlib.compress(article.to_json().encode("utf-8")), raw_hash))
    for seq, doc in enumerate(docs):
        conn.execute("DELETE FROM documents WHERE id = ?", (doc.id,))  # a REPLACE would skip the delete trigger
        row = conn.execute("INSERT INTO documents(id, article_id, seq, title, source, date, appended_to, "
                           "content_hash, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (doc.id, article.id, seq, doc.title, doc.source, doc.date, doc.appended_to,
                            doc.content_hash, _body(doc)))
        fulltext.index_document(conn, int(row.lastrowid or 0), doc)
        changes.append((doc.id, doc.content_hash))


def _body(doc: Document) -> bytes:
    return zlib.compress(json.dumps(asdict(doc), ensure_ascii=False).encode("utf-8"), 1)


def read_raw(blob: bytes) -> RawArticle:
    try:
        return RawArticle.from_json(zlib.decompress(blob).decode("utf-8"))
    except (ValueError, TypeError, zlib.error) as exc:
        raise ArticleError(f"stored article is unreadable ({exc})") from None
