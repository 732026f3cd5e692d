"""Uploaded files, one result each, told in Arabic and without the server's paths.

The loaders say what is wrong with a file in English, naming the path they read (right for the command
line). A page must name only the file the person chose, in Arabic: `arabic_reason` maps the loaders' kinds
of failure to messages; one it does not know gets a general message and is logged in full.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from assistant import messages
from assistant.errors import ArticleError
from assistant.ingest.corpus import AddResult
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_file
from assistant.types import RawArticle

log = logging.getLogger(__name__)

_REASONS = (  # (what the loader's message says, what the page says)
    ("unsupported file type", messages.UPLOAD_UNSUPPORTED),
    ("-byte limit", messages.UPLOAD_TOO_BIG),
    ("binary file", messages.UPLOAD_BINARY),
    ("not valid UTF-8", messages.UPLOAD_NOT_UTF8),
    ("the file is empty", messages.UPLOAD_EMPTY),
    ("no articles in this file", messages.UPLOAD_EMPTY),
    ("not valid JSON", messages.UPLOAD_BAD_JSONL),
    ('non-empty "text"', messages.UPLOAD_BAD_JSONL),
    ("no article text", messages.UPLOAD_NO_TEXT),
    ("cannot read", messages.UPLOAD_UNREADABLE),
)


@dataclass(frozen=True)
class UploadStep:
    """Progress of an upload: reading file `index` of `total`, or updating the index."""

    stage: Literal["reading", "indexing"]
    index: int
    total: int
    name: str


@dataclass
class FileUpload:
    """One uploaded file: the articles read from it and what storing them did, or why it was refused."""

    name: str
    articles: list[RawArticle] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """Arabic, one per refused file or article; never a path."""

    def record(self, result: AddResult) -> None:
        self.added, self.updated, self.unchanged = result.added, result.updated, result.unchanged
        self.errors += [arabic_reason(e, self.name) for e in result.errors]


@dataclass
class UploadResult:
    files: list[FileUpload] = field(default_factory=list)
    embedded: int = 0
    """Chunks that needed new vectors (the rest were reused)."""

    @property
    def changed(self) -> bool:
        return any(f.added or f.updated for f in self.files)

    @property
    def added(self) -> list[str]:
        return [i for f in self.files for i in f.added]

    @property
    def errors(self) -> list[str]:
        return [e for f in self.files for e in f.errors]


def read_upload(path: Path, max_bytes: int) -> FileUpload:
    """The articles in one uploaded file (whose base name is the name the person gave it)."""
    upload = FileUpload(path.name)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        upload.errors.append(messages.UPLOAD_UNSUPPORTED)
        return upload
    try:
        upload.articles = load_file(path, max_bytes=max_bytes)
    except ArticleError as exc:
        upload.errors.append(arabic_reason(str(exc), path.name))
    return upload


def arabic_reason(error: str, name: str) -> str:
    """The Arabic message for a loader's or the corpus's error about file `name`."""
    for said, message in _REASONS:
        if said in error:
            return message
    log.warning("upload of %s refused: %s", name, error)
    return messages.UPLOAD_FAILED


__all__ = ["FileUpload", "UploadResult", "UploadStep", "arabic_reason", "read_upload"]
