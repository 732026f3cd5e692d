"""SQLite files opened safely: read-write when the folder allows it, read-only otherwise, one-line errors.

The corpus (`ingest.docstore`) and the index catalog (`index.catalog`) are SQLite files: a transaction
is all-or-nothing under kill -9, concurrent writers queue on the file lock, and the rollback journal
(never a WAL, which needs a writable folder even to read) lets a read-only folder still be read.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path
from typing import Iterator

from assistant.errors import StorageError

log = logging.getLogger(__name__)


class SqliteFile:
    """One SQLite database file, opened read-write when possible and read-only otherwise."""

    schema = ""
    """Run (idempotently) when the file is opened for writing."""
    what = "database"
    memory_fallback = False
    """When the folder cannot be written and the file does not exist yet: an empty in-memory database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.read_only = False
        self._conn: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            writable = os.access(self.path.parent, os.W_OK) and (not self.path.exists()
                                                                  or os.access(self.path, os.W_OK))
        except OSError:
            writable = False
        if not writable and not self.path.exists():
            if not self.memory_fallback:
                raise StorageError(f"cannot create {self.path}: the folder is not writable")
            log.warning("%s is not writable; the %s is kept in memory for this run", self.path.parent, self.what)
            conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        elif not writable:
            self.read_only = True
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False,
                                   isolation_level=None)
        else:
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=120, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout = 120000")
            if not self.read_only:
                conn.execute("PRAGMA synchronous = FULL")
                conn.executescript(self.schema)
            conn.execute("SELECT count(*) FROM meta").fetchone()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StorageError(f"{self.path}: not a readable {self.what} ({exc}); move it away "
                               f"to start afresh") from None
        return conn

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction (taken at once, so concurrent writers queue up); a failure rolls it back."""
        if self.read_only:
            raise StorageError(f"{self.path} is read-only; nothing can be added or removed")
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            _rollback(conn)
            raise StorageError(f"cannot write {self.path} ({exc})") from None
        except BaseException:
            _rollback(conn)
            raise

    def meta(self, key: str, default: str = "") -> str:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))


def _rollback(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        conn.execute("ROLLBACK")
