"""The records that flow through the pipeline: raw articles in, clean documents out."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class RawArticle:
    """An article as read from a file, before cleaning. Optional fields come from structured input."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    date: str | None = None
    origin: str = ""
    """Where it was read from (a path, or path:line for JSONL)."""

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> "RawArticle":
        return cls(**json.loads(line))


@dataclass(frozen=True)
class Document:
    """A cleaned article: `text` is what citations quote (offsets point into it)."""

    id: str
    title: str
    text: str
    source: str | None = None
    """The publisher, e.g. «الجزيرة»; None when the page does not say."""
    author: str | None = None
    url: str | None = None
    date: str | None = None
    title_derived: bool = False
    """True when the page had no title line and we took the first sentence."""
    appended_to: str | None = None
    """For an unrelated article glued after «إقرأ أيضاً»: the id of the host page."""
    origin: str = ""

    @property
    def content_hash(self) -> str:
        """Changes whenever anything a chunk or citation shows changes."""
        payload = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Chunk:
    """A passage of one document; `text == document.text[start:end]`."""

    chunk_id: str
    doc_id: str
    title: str
    source: str | None
    text: str
    start: int
    end: int
