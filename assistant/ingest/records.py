"""One structured record (a JSON object from a news dump) -> a RawArticle, by a field mapping.

News dumps name their fields differently (`content`, `text`, `body`; `date`, `date_extracted`,
`published`…). The defaults cover the usual names; `--map text=body_ar` picks another. Dates are kept as
metadata, normalised to ISO 8601 when they parse, so filters by date compare like with like.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass, field

from assistant.errors import ArticleError, InputError
from assistant.types import RawArticle

DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "guid", "doc_id"),
    "text": ("content", "text", "body", "article", "article_body"),
    "title": ("title", "headline"),
    "source": ("source", "publisher", "site", "site_name", "sitename"),
    "url": ("url", "link", "href"),
    "date": ("date", "date_extracted", "published", "published_at", "date_published", "datePublished",
             "pubDate"),
    "author": ("author", "byline", "authors"),
}
_ID_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class FieldMap:
    """Which record fields hold each article field, tried in order."""

    fields: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_FIELDS))

    @classmethod
    def parse(cls, overrides: list[str] | None) -> "FieldMap":
        """`["text=body_ar", "date=day"]`: the named record field is tried first for that article field."""
        fields = dict(DEFAULT_FIELDS)
        for item in overrides or []:
            target, sep, name = item.partition("=")
            if not sep or target.strip() not in fields or not name.strip():
                raise InputError(f"--map {item!r}: use FIELD=NAME with FIELD one of {', '.join(fields)}")
            fields[target.strip()] = (name.strip(), *fields[target.strip()])
        return cls(fields)

    def article(self, record: object, default_id: str, origin: str) -> RawArticle:
        """The article a record holds; a record without text is an ArticleError naming `origin`."""
        if not isinstance(record, dict):
            raise ArticleError(f"{origin}: expected a JSON object, found {type(record).__name__}")
        text = self._first(record, "text")
        if text is None or not text.strip():
            raise ArticleError(f"{origin}: no article text (tried fields {', '.join(self.fields['text'])})")
        given_id = self._first(record, "id")
        return RawArticle(id=safe_id(given_id) if given_id else default_id, text=text,
                          title=self._first(record, "title"), source=self._first(record, "source"),
                          url=self._first(record, "url"), date=normalise_date(self._first(record, "date")),
                          author=self._first(record, "author"), origin=origin)

    def _first(self, record: dict, what: str) -> str | None:
        for name in self.fields[what]:
            value = record.get(name)
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value if v)
            if value is not None and not isinstance(value, (dict, bool)) and str(value).strip():
                return str(value).strip()
        return None


def normalise_date(value: str | None) -> str | None:
    """ISO 8601 («2015-08-11T13:44:43», «2019-04-25») when the value parses; else the value as given."""
    if value is None:
        return None
    text = value.strip()
    parsed = _parse(text)
    if parsed is None:
        return text or None
    if isinstance(parsed, dt.datetime):
        return parsed.replace(tzinfo=None).isoformat(timespec="seconds")
    return parsed.isoformat()


def date_key(value: str | None) -> int | None:
    """Days since 1970-01-01 of an ISO date, for filtering by date; None when unknown."""
    parsed = _parse(value.strip()) if value else None
    if parsed is None:
        return None
    day = parsed.date() if isinstance(parsed, dt.datetime) else parsed
    return (day - dt.date(1970, 1, 1)).days


def _parse(text: str) -> dt.date | dt.datetime | None:
    candidates = (text, text.replace("/", "-"), text.replace("Z", "+00:00"))
    for candidate in candidates:
        try:
            return dt.datetime.fromisoformat(candidate) if ("T" in candidate or ":" in candidate) \
                else dt.date.fromisoformat(candidate)
        except ValueError:
            continue
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def safe_id(raw: str) -> str:
    """A document id usable as a file name: letters (any script), digits, '.', '-', '_'."""
    cleaned = _ID_UNSAFE.sub("-", raw.strip()).strip("-.")
    if not cleaned:
        raise ArticleError(f"{raw!r}: cannot make a document id from this name")
    return cleaned[:120]
