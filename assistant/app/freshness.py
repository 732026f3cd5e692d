"""Has another process changed the index or the added articles? A few `stat` calls, cheap enough for every
request.

`assistant ingest` writes article records (a rename into the user folder, which changes the folder's mtime)
and then a new index version (a rename of the `current` link). A running page compares this fingerprint
before each request and reloads when it differs, instead of quoting stale text until restarted.
"""

from __future__ import annotations

import os
from pathlib import Path

from assistant.settings import Settings


def fingerprint(settings: Settings) -> tuple:
    """What changes whenever the index version or the set of added articles does."""
    return (_link(settings.index_dir / "current"), _mtime(settings.index_dir), _mtime(settings.user_corpus_dir))


def _link(path: Path) -> str | None:
    try:
        return os.readlink(path)
    except OSError:
        return None


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None
