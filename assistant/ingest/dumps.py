"""News dumps: JSON Lines, JSON arrays and zips of them (or of .txt files), read record by record.

A dump is read one part at a time (a file, or a zip member), so a 31,000-article archive never sits in
memory whole; a bad record is reported with where it is (`day.zip:day.json[17]`) and the rest go in.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

from assistant.errors import ArticleError
from assistant.ingest.records import FieldMap, safe_id
from assistant.types import RawArticle

DUMP_SUFFIXES = (".jsonl", ".json", ".zip")
ZIP_MEMBER_SUFFIXES = (".json", ".jsonl", ".txt", ".md", ".markdown")
Item = RawArticle | ArticleError
"""What reading yields: an article, or the one-line error of a record (or part) that could not be read."""


@dataclass(frozen=True)
class Part:
    """One readable unit of a dump: a file, or a member of a zip; `read()` gives its decoded text."""

    origin: str
    suffix: str
    stem: str
    read: Callable[[], str]


def dump_parts(path: Path, decode: Callable[[bytes, str], str], max_bytes: int) -> list[Part]:
    """The parts of a .json/.jsonl file or a .zip; raises ArticleError when the file itself is unusable."""
    if path.suffix.lower() != ".zip":
        return [Part(str(path), path.suffix.lower(), path.stem, lambda: decode(_read_bytes(path, max_bytes), str(path)))]
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ArticleError(f"{path}: not a readable zip file ({exc})") from None
    parts = []
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        name = PurePosixPath(info.filename)
        if info.is_dir() or name.name.startswith(".") or name.suffix.lower() not in ZIP_MEMBER_SUFFIXES:
            continue
        origin = f"{path}:{info.filename}"
        parts.append(Part(origin, name.suffix.lower(), name.stem, _member_reader(archive, info, origin, decode, max_bytes)))
    if not parts:
        raise ArticleError(f"{path}: no {', '.join(ZIP_MEMBER_SUFFIXES)} files in this zip")
    return parts


def part_records(part: Part, fields: FieldMap) -> Iterator[Item]:
    """The articles of one part, an error for each record that has none."""
    try:
        text = part.read()
    except ArticleError as exc:
        yield exc
        return
    if part.suffix == ".jsonl":
        yield from _records(_jsonl_values(text, part.origin), part, fields)
    elif part.suffix == ".json":
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield ArticleError(f"{part.origin}: not valid JSON ({exc.msg} at line {exc.lineno})")
            return
        values = value if isinstance(value, list) else [value]
        yield from _records(((f"{part.origin}[{n}]", v) for n, v in enumerate(values, start=1)), part, fields)
    elif not text.strip():
        yield ArticleError(f"{part.origin}: the file is empty")
    else:
        yield RawArticle(id=safe_id(part.stem), text=text, origin=part.origin)


def count_records(part: Part) -> int:
    """How many records a part holds (for a progress bar with an ETA); 0 when it cannot be read."""
    try:
        text = part.read()
    except ArticleError:
        return 0
    if part.suffix == ".jsonl":
        return sum(1 for line in text.splitlines() if line.strip())
    if part.suffix == ".json":
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            return 0
        return len(value) if isinstance(value, list) else 1
    return 1


def _records(values: Iterator[tuple[str, object] | ArticleError], part: Part, fields: FieldMap) -> Iterator[Item]:
    for n, item in enumerate(values, start=1):
        if isinstance(item, ArticleError):
            yield item
            continue
        where, value = item
        try:
            yield fields.article(value, default_id=safe_id(f"{part.stem}-{n}"), origin=where)
        except ArticleError as exc:
            yield exc


def _jsonl_values(text: str, origin: str) -> Iterator[tuple[str, object] | ArticleError]:
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield f"{origin}:{n}", json.loads(line)
        except json.JSONDecodeError as exc:
            yield ArticleError(f"{origin}:{n}: not valid JSON ({exc.msg})")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleError(f"{path}: file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        return path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _member_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo, origin: str,
                   decode: Callable[[bytes, str], str], max_bytes: int) -> Callable[[], str]:
    def read() -> str:
        if info.file_size > max_bytes:  # checked before inflating: a zip bomb is refused, not unpacked
            raise ArticleError(f"{origin}: {info.file_size:,} bytes unpacked, over the {max_bytes:,}-byte limit")
        try:
            return decode(archive.read(info), origin)
        except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
            raise ArticleError(f"{origin}: cannot unpack ({exc})") from None
    return read


__all__ = ["DUMP_SUFFIXES", "Item", "Part", "count_records", "dump_parts", "part_records"]
