"""Read article files (.txt, .md, .html, .jsonl) into RawArticles, one clear error per bad file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from assistant.arabic.script import arabic_char_share
from assistant.errors import ArticleError
from assistant.io import jsonl_rows
from assistant.types import RawArticle

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
_ID_UNSAFE = re.compile(r"[^\w.-]+")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?)|(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)|`", re.MULTILINE)


@dataclass
class LoadReport:
    """What a batch of paths yielded: the articles read and one message per failure."""

    articles: list[RawArticle] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def load_paths(paths: Iterable[Path], max_bytes: int | None = None) -> LoadReport:
    """Read every supported file under `paths`; a bad file is reported, the others still load."""
    report = LoadReport()
    for path in paths:
        for file in _expand(path, report):
            try:
                report.articles.extend(load_file(file, max_bytes=max_bytes))
            except ArticleError as exc:
                report.errors.append(str(exc))
    return report


def _expand(path: Path, report: LoadReport) -> list[Path]:
    if not path.exists():
        report.errors.append(f"{path}: no such file or folder")
        return []
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
        if not files:
            report.errors.append(f"{path}: no {', '.join(SUPPORTED_SUFFIXES)} files in this folder")
        return files
    return [path]


def load_file(path: Path, max_bytes: int | None = None) -> list[RawArticle]:
    """One file to its articles (a .jsonl file may hold many)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ArticleError(f"{path}: unsupported file type {suffix or '(none)'}; "
                           f"use one of {', '.join(SUPPORTED_SUFFIXES)}")
    text = read_text(path, max_bytes=max_bytes)
    if suffix == ".jsonl":
        return _from_jsonl(path, text)
    if suffix in (".html", ".htm"):
        return [_from_html(path, text)]
    if suffix in (".md", ".markdown"):
        text = _MD_MARKUP.sub("", _MD_LINK.sub(r"\1", text))
    if not text.strip():
        raise ArticleError(f"{path}: the file is empty")
    return [RawArticle(id=safe_id(path.stem), text=text, origin=str(path))]


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """Read UTF-8 text, refusing binary files and other encodings with a message that says why."""
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise ArticleError(f"{path}: file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if b"\x00" in data[:8192]:
        raise ArticleError(f"{path}: binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        hint = " (it looks like Windows-1256 Arabic)" if _looks_cp1256(data) else ""
        raise ArticleError(f"{path}: not valid UTF-8{hint}; convert it first, "
                           f"e.g. iconv -f cp1256 -t utf-8") from None


def _looks_cp1256(data: bytes) -> bool:
    try:
        decoded = data.decode("cp1256")
    except UnicodeDecodeError:
        return False
    return arabic_char_share(decoded) > 0.3


def _from_jsonl(path: Path, text: str) -> list[RawArticle]:
    articles = []
    for n, record in jsonl_rows(text, path, ArticleError):
        where = f"{path}:{n}"
        if not isinstance(record, dict) or not str(record.get("text") or "").strip():
            raise ArticleError(f'{where}: each line needs an object with a non-empty "text"')
        articles.append(RawArticle(
            id=safe_id(str(record.get("id") or f"{path.stem}-{n}")),
            text=str(record["text"]),
            title=_opt(record.get("title")),
            source=_opt(record.get("source")),
            url=_opt(record.get("url")),
            date=_opt(record.get("date")),
            origin=where,
        ))
    if not articles:
        raise ArticleError(f"{path}: no articles in this file")
    return articles


def _from_html(path: Path, html: str) -> RawArticle:
    """Extract the article body and its metadata with trafilatura (made for news pages)."""
    import trafilatura

    extracted = trafilatura.bare_extraction(html, include_comments=False, include_tables=False,
                                            with_metadata=True, favor_precision=True)
    body = getattr(extracted, "text", None) if extracted is not None else None
    if not body or not body.strip():
        raise ArticleError(f"{path}: no article text found in this HTML page")
    return RawArticle(
        id=safe_id(path.stem),
        text=body,
        title=_opt(getattr(extracted, "title", None)),
        source=_opt(getattr(extracted, "sitename", None)),
        url=_opt(getattr(extracted, "url", None)),
        date=_opt(getattr(extracted, "date", None)),
        origin=str(path),
    )


def safe_id(raw: str) -> str:
    """A document id usable as a file name: letters (any script), digits, '.', '-', '_'."""
    cleaned = _ID_UNSAFE.sub("-", raw.strip()).strip("-.")
    if not cleaned:
        raise ArticleError(f"{raw!r}: cannot make a document id from this name")
    return cleaned


def _opt(value: object) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None
