"""Read article files (.txt, .md, .html) and news dumps (.jsonl, .json, .zip) into RawArticles.

One clear error per bad file or record; the others still load. `plan` lists the readable parts first,
so an ingest can count its records and show an ETA before the slow work starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from assistant.arabic.script import arabic_char_share
from assistant.errors import ArticleError
from assistant.ingest.dumps import DUMP_SUFFIXES, Item, Part, count_records, dump_parts, part_records
from assistant.ingest.records import FieldMap, safe_id
from assistant.types import RawArticle

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
SUPPORTED_SUFFIXES = ARTICLE_SUFFIXES + DUMP_SUFFIXES
DEFAULT_MAX_DUMP_BYTES = 1 << 30
"""A dump part (a .json array, a zip member) is parsed whole: past this size it is refused, not loaded."""
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?)|(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)|`", re.MULTILINE)


@dataclass
class LoadReport:
    """What a batch of paths yielded: the articles read and one message per failure."""

    articles: list[RawArticle] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class Plan:
    """The readable parts under some paths (files, zip members), and the paths that could not be used."""

    parts: list[Part] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def count(self) -> int:
        return sum(count_records(p) if p.suffix in (".json", ".jsonl") else 1 for p in self.parts)


def plan(paths: Iterable[Path], max_bytes: int | None = None,
         max_dump_bytes: int = DEFAULT_MAX_DUMP_BYTES) -> Plan:
    """Every supported file under `paths`, zips opened into their members."""
    result = Plan()
    for path in paths:
        for file in _expand(path, result.errors):
            suffix = file.suffix.lower()
            try:
                if suffix not in SUPPORTED_SUFFIXES:
                    raise ArticleError(f"{file}: unsupported file type {suffix or '(none)'}; "
                                       f"use one of {', '.join(SUPPORTED_SUFFIXES)}")
                if suffix in DUMP_SUFFIXES:
                    result.parts.extend(dump_parts(file, decode, max_dump_bytes))
                else:
                    result.parts.append(Part(str(file), suffix, file.stem, _file_reader(file, max_bytes)))
            except ArticleError as exc:
                result.errors.append(str(exc))
    return result


def articles(parts: list[Part], max_bytes: int | None = None, fields: FieldMap | None = None) -> Iterator[Item]:
    """The articles of the parts in order, and an ArticleError for each record or part that fails."""
    fields = fields or FieldMap()
    for part in parts:
        if part.suffix in (".html", ".htm"):
            yield _guarded(lambda p=part: _from_html(p))
            continue
        for item in part_records(part, fields):
            if isinstance(item, RawArticle) and part.suffix in (".md", ".markdown"):
                item = RawArticle(id=item.id, text=_MD_MARKUP.sub("", _MD_LINK.sub(r"\1", item.text)), origin=item.origin)
            if isinstance(item, RawArticle) and max_bytes is not None and len(item.text.encode()) > max_bytes:
                item = ArticleError(f"{item.origin}: article is {len(item.text.encode()):,} bytes, "
                                    f"over the {max_bytes:,}-byte limit")
            if isinstance(item, RawArticle) and not item.text.strip():
                item = ArticleError(f"{item.origin}: the file is empty")
            yield item


def load_paths(paths: Iterable[Path], max_bytes: int | None = None, fields: FieldMap | None = None) -> LoadReport:
    """Read every supported file under `paths`; a bad file or record is reported, the others still load."""
    found = plan(paths, max_bytes)
    report = LoadReport(errors=list(found.errors))
    for item in articles(found.parts, max_bytes, fields):
        if isinstance(item, ArticleError):
            report.errors.append(str(item))
        else:
            report.articles.append(item)
    return report


def load_file(path: Path, max_bytes: int | None = None) -> list[RawArticle]:
    """One file to its articles (a dump may hold many); the first problem raises ArticleError."""
    found = plan([path], max_bytes)
    if found.errors:
        raise ArticleError(found.errors[0])
    loaded = list(articles(found.parts, max_bytes))
    for item in loaded:
        if isinstance(item, ArticleError):
            raise item
    if not loaded:
        raise ArticleError(f"{path}: no articles in this file")
    return [a for a in loaded if isinstance(a, RawArticle)]


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """Read UTF-8 text, refusing binary files and other encodings with a message that says why."""
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise ArticleError(f"{path}: file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode(data, str(path))


def decode(data: bytes, origin: str) -> str:
    """UTF-8 (with or without BOM); binary data and other encodings are refused with the reason."""
    if b"\x00" in data[:8192]:
        raise ArticleError(f"{origin}: binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        hint = " (it looks like Windows-1256 Arabic)" if _looks_cp1256(data) else ""
        raise ArticleError(f"{origin}: not valid UTF-8{hint}; convert it first, "
                           f"e.g. iconv -f cp1256 -t utf-8") from None


def _expand(path: Path, errors: list[str]) -> list[Path]:
    if not path.exists():
        errors.append(f"{path}: no such file or folder")
        return []
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
        if not files:
            errors.append(f"{path}: no {', '.join(SUPPORTED_SUFFIXES)} files in this folder")
        return files
    return [path]


def _file_reader(path: Path, max_bytes: int | None):
    return lambda: read_text(path, max_bytes)


def _looks_cp1256(data: bytes) -> bool:
    try:
        decoded = data.decode("cp1256")
    except UnicodeDecodeError:
        return False
    return arabic_char_share(decoded) > 0.3


def _guarded(make) -> Item:
    try:
        return make()
    except ArticleError as exc:
        return exc


def _from_html(part: Part) -> RawArticle:
    """Extract the article body and its metadata with trafilatura (made for news pages)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(part.read(), include_comments=False, include_tables=False,
                                            with_metadata=True, favor_precision=True)
    body = getattr(extracted, "text", None) if extracted is not None else None
    if not body or not body.strip():
        raise ArticleError(f"{part.origin}: no article text found in this HTML page")
    return FieldMap().article({"text": body, **{k: getattr(extracted, k, None) for k in ("title", "url", "date", "author")},
                               "source": getattr(extracted, "sitename", None)},
                              default_id=safe_id(part.stem), origin=part.origin)


__all__ = ["ARTICLE_SUFFIXES", "LoadReport", "Plan", "SUPPORTED_SUFFIXES", "articles", "decode", "load_file",
           "load_paths", "plan", "read_text", "safe_id"]
