"""Uploaded files, one result each, told in Arabic and without the server's paths.

Each file goes through the same importer as `assistant ingest` (so a .zip or .json news dump works, an ingest
is resumable, and progress is counted per article). The loaders say what is wrong in English, naming the path
they read (right for the command line); a page must name only the file the person chose, in Arabic:
`arabic_reason` maps the kinds of failure to messages; one it does not know gets a general message and is
logged in full.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal

from assistant import messages
from assistant.app import importer
from assistant.ingest.loaders import SUPPORTED_SUFFIXES

if TYPE_CHECKING:  # the page imports this before the pipeline is open (app.py)
    from assistant.app.wiring import Pipeline

log = logging.getLogger(__name__)

_REASONS = (  # (what the loader's message says, what the page says); the first that matches wins
    ("unsupported file type", messages.UPLOAD_UNSUPPORTED),
    ("-byte limit", messages.UPLOAD_TOO_BIG),
    ("binary file", messages.UPLOAD_BINARY),
    ("not valid UTF-8", messages.UPLOAD_NOT_UTF8),
    ("the file is empty", messages.UPLOAD_EMPTY),
    ("files in this zip", messages.UPLOAD_EMPTY),
    ("not a readable zip", messages.UPLOAD_BAD_ZIP),
    ("cannot unpack", messages.UPLOAD_BAD_ZIP),
    ("not valid JSON", messages.UPLOAD_BAD_JSONL),
    ("expected a JSON object", messages.UPLOAD_BAD_JSONL),
    ("no article text (tried fields", messages.UPLOAD_BAD_JSONL),
    ("no article text", messages.UPLOAD_NO_TEXT),
    ("cannot read", messages.UPLOAD_UNREADABLE),
)


@dataclass(frozen=True)
class UploadStep:
    """Progress of an upload: reading file `index` of `total`, or storing its articles (`done` of `articles`)."""

    stage: Literal["reading", "indexing"]
    index: int
    total: int
    name: str
    done: int = 0
    articles: int = 0


@dataclass
class FileUpload:
    """One uploaded file: what storing its articles did, or why it (or some of its records) was refused."""

    name: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """Arabic, each reason once (a dump with many bad records says it once); never a path."""
    embedded: int = 0


@dataclass
class UploadResult:
    files: list[FileUpload] = field(default_factory=list)

    @property
    def embedded(self) -> int:
        """Sentences that needed new vectors (the rest were reused)."""
        return sum(f.embedded for f in self.files)

    @property
    def changed(self) -> bool:
        return any(f.added or f.updated for f in self.files)

    @property
    def added(self) -> list[str]:
        return [i for f in self.files for i in f.added]

    @property
    def errors(self) -> list[str]:
        return [e for f in self.files for e in f.errors]


def ingest_file(pipeline: Pipeline, path: Path, max_bytes: int,
                progress: Callable[[importer.IngestReport], None] | None = None) -> FileUpload:
    """Store the articles of one uploaded file (whose base name is the name the person gave it)."""
    upload = FileUpload(path.name)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        upload.errors.append(messages.UPLOAD_UNSUPPORTED)
        return upload
    report = importer.ingest(pipeline, [path], max_bytes=max_bytes, progress=progress)
    upload.added, upload.updated, upload.unchanged = report.added, report.updated, report.unchanged
    upload.embedded = report.embedded
    upload.errors = list(dict.fromkeys(arabic_reason(e, path.name) for e in report.errors))
    if not (report.errors or report.added or report.updated or report.unchanged):
        upload.errors.append(messages.UPLOAD_EMPTY)
    return upload


def arabic_reason(error: str, name: str) -> str:
    """The Arabic message for a loader's or the corpus's error about file `name`."""
    for said, message in _REASONS:
        if said in error:
            return message
    log.warning("upload of %s refused: %s", name, error)
    return messages.UPLOAD_FAILED


__all__ = ["FileUpload", "UploadResult", "UploadStep", "arabic_reason", "ingest_file"]
