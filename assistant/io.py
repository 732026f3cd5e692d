"""Reading and writing files safely: JSON Lines with line numbers, and writes that never leave half a file."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError, InputError


def jsonl_rows(text: str, origin: str | Path, error: type[AssistantError] = InputError) -> list[tuple[int, Any]]:
    """(line number, value) for each non-blank line of JSON Lines `text`; bad JSON raises `error` naming
    `origin:line`."""
    rows = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((n, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise error(f"{origin}:{n}: not valid JSON ({exc.msg})") from None
    return rows


def read_utf8(path: Path) -> str:
    """The text of a UTF-8 file; an unreadable one is a one-line InputError."""
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({getattr(exc, 'strerror', None) or exc})") from None


def read_jsonl(path: Path) -> list[tuple[int, Any]]:
    """`jsonl_rows` of a file; an unreadable file is a one-line InputError."""
    return jsonl_rows(read_utf8(path), path)


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write to a hidden temporary file beside `path` (a suffix no reader globs for), flush it to disk, then
    rename it into place: a reader sees the old file or the new one, never a part."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        binary = isinstance(text, bytes)
        with os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else "utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
