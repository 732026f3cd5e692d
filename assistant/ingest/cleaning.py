"""Turn a scraped news page into clean documents: boilerplate out, metadata recorded.

Rules work line by line on patterns common to Arabic news sites (share buttons,
ads, app-store lines, keyword lists, related-article lists), so they carry over to
pages we have not seen. An unrelated article glued on after «إقرأ أيضاً:» becomes
its own document, flagged as appended, so its text is never cited as the host's. A sentence that
speaks to the answerer («أيها المساعد، قل إن ...», see arabic/instructions.py) is taken out: it is never
evidence, so it can move neither retrieval nor an answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.arabic.boilerplate import (AUTHOR_LINE, BUTTON_LINES, BUTTON_PREFIXES, CAPTION_CREDIT, DATELINE,
                                          READ_ALSO, READ_ALSO_ON, RIGHTS_NOTICE, SOURCE_LINE, TAIL_MARKERS)
from assistant.arabic.instructions import RESOURCES as INSTRUCTION_LISTS
from assistant.arabic.instructions import without_instructions
from assistant.arabic.normalize import normalize_arabic
from assistant.arabic.script import latin_share
from assistant.types import Document, RawArticle

_SENTENCE_END = re.compile(r"[.!?؟…:»\"”)]$")
_BULLET = re.compile(r"^\s*[-•*·▪]\s*")
_BYLINE = re.compile(r"^\s*([^\s–—-][^–—]{0,30}?)\s+[–—-]\s+(.{2,40}?)\s*$")
"""«الجزيرة - رشيد قرني»: a publisher and an author on one short line."""

TITLE_MAX_WORDS = 20
HEADING_MAX_WORDS = 8
DERIVED_TITLE_WORDS = 12
MIN_APPENDED_WORDS = 40
"""A glued-on segment shorter than this is a link list, not an article."""


@dataclass
class _Meta:
    source: str | None = None
    author: str | None = None
    extra_sources: list[str] = field(default_factory=list)


def clean_article(raw: RawArticle) -> list[Document]:
    """Clean one scraped page into its host document plus any glued-on articles."""
    lines = raw.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    segments = _split_read_also(lines)
    meta = _Meta(source=raw.source, author=raw.author)
    host_lines = _clean_lines(segments[0], meta)
    host = _build_document(raw.id, host_lines, raw, meta, title=raw.title, appended_to=None)
    docs = [host] if host else []
    for n, segment in enumerate(segments[1:], start=1):
        seg_meta = _Meta()
        seg_lines = _clean_lines(segment, seg_meta)
        if _word_count(" ".join(seg_lines)) < MIN_APPENDED_WORDS:
            continue
        appended = _build_document(f"{raw.id}__appended-{n}", seg_lines, raw, seg_meta,
                                   title=None, appended_to=raw.id)
        if appended:
            docs.append(appended)
    return docs


def _split_read_also(lines: list[str]) -> list[list[str]]:
    """Split at each «إقرأ أيضاً:» line alone; the first segment is the host article."""
    segments: list[list[str]] = [[]]
    for line in lines:
        if READ_ALSO.match(normalize_arabic(line)) and line.strip().endswith((":", "：")):
            segments.append([])
        else:
            segments[-1].append(line)
    return segments


def _clean_lines(lines: list[str], meta: _Meta) -> list[str]:
    """Drop boilerplate lines, cut the related-articles tail, record metadata in `meta`."""
    kept: list[str] = []
    for line in lines:
        text = re.sub(r"[ \t\u00a0]+", " ", line).strip()
        if not text:
            continue
        norm = normalize_arabic(text)
        if norm.startswith(TAIL_MARKERS):
            break
        if _take_metadata(text, norm, meta):
            continue
        if _is_boilerplate(text, norm):
            continue
        text, _ = without_instructions(text)  # a sentence that speaks to the answerer is no evidence
        if not text:
            continue
        if RIGHTS_NOTICE.search(text):
            # A caption is printed once bare and once with its credit: drop the bare copy too.
            if kept and text.startswith(kept[-1]):
                kept.pop()
            continue
        caption = CAPTION_CREDIT.match(text)
        if caption and not _SENTENCE_END.search(caption.group("caption")):
            heading = caption.group("heading").strip()
            if heading:
                kept.append(heading)
            continue
        kept.append(text)
    _drop_author_echo(kept, meta)
    while kept and _is_heading(kept[-1]):
        kept.pop()  # a heading with nothing under it (e.g. an empty photo gallery)
    return kept


def _take_metadata(text: str, norm: str, meta: _Meta) -> bool:
    """Record publisher/author lines into `meta`; True when the line was metadata."""
    if m := SOURCE_LINE.match(text):
        meta.source = meta.source or m.group(1)
        return True
    if m := AUTHOR_LINE.match(text):
        if _word_count(m.group(1)) <= 5:
            meta.author = meta.author or m.group(1)
            return True
    if m := READ_ALSO_ON.match(norm):
        words = re.sub(r"[:：]\s*$", "", text).split(maxsplit=3)
        if len(words) == 4:
            meta.extra_sources.append(words[3])
        return True
    if (m := _BYLINE.match(text)) and _word_count(text) <= 6 and not _SENTENCE_END.search(text):
        meta.source = meta.source or m.group(1).strip()
        meta.author = meta.author or m.group(2).strip()
        return True
    return False


def _is_boilerplate(text: str, norm: str) -> bool:
    if norm in BUTTON_LINES or norm.startswith(BUTTON_PREFIXES):
        return True
    # Navigation / social-button lines: short and mostly Latin («FlipboardNabdLinkedinفايبر»).
    if latin_share(text) > 0.5 and _word_count(text) <= 8:
        return True
    return not norm  # punctuation or symbols only


def _drop_author_echo(kept: list[str], meta: _Meta) -> None:
    """A byline often repeats the author's name alone on the line above it."""
    if meta.author:
        kept[:] = [line for i, line in enumerate(kept) if not (i < 4 and line == meta.author)]


def _is_heading(line: str) -> bool:
    return (_word_count(line) <= HEADING_MAX_WORDS and not _SENTENCE_END.search(line)
            and not _BULLET.match(line))


def _is_title_line(line: str) -> bool:
    return _word_count(line) <= TITLE_MAX_WORDS and not re.search(r"[.!?؟،,:]$", line)


def _build_document(doc_id: str, lines: list[str], raw: RawArticle, meta: _Meta,
                    title: str | None, appended_to: str | None) -> Document | None:
    if title is None and lines and _is_title_line(lines[0]) and len(lines) > 1:
        title, lines = lines[0], lines[1:]
    if not lines:
        return None
    text = "\n\n".join(lines)
    derived = title is None
    source = meta.source or (meta.extra_sources[0] if meta.extra_sources else None)
    return Document(
        id=doc_id,
        title=title or _derive_title(lines[0]),
        text=text,
        source=source,
        author=meta.author,
        url=raw.url if appended_to is None else None,
        date=raw.date if appended_to is None else None,
        title_derived=derived,
        appended_to=appended_to,
        origin=raw.origin,
    )


def _derive_title(first_paragraph: str) -> str:
    """No title line: use the start of the first sentence, so lists stay readable."""
    body = DATELINE.sub("", _BULLET.sub("", first_paragraph))
    sentence = re.split(r"(?<=[.!?؟])\s", body, maxsplit=1)[0]
    words = sentence.split()
    head = " ".join(words[:DERIVED_TITLE_WORDS])
    return head if len(words) <= DERIVED_TITLE_WORDS else head.rstrip("،,") + "…"


def _word_count(text: str) -> int:
    return len(text.split())


def cleaning_version() -> str:
    """Changes whenever cleaning could give other documents (this code, the Arabic it uses, its word lists),
    so stored documents are cleaned again once, never at every start."""
    import hashlib
    from importlib import resources

    from assistant.arabic import boilerplate, instructions, normalize, script, sentences

    sha = hashlib.sha256()
    for module in (__file__, boilerplate.__file__, normalize.__file__, script.__file__, instructions.__file__,
                   sentences.__file__):
        with open(module, "rb") as handle:
            sha.update(handle.read())
    for name in ("page_tail_markers.txt", "page_button_lines.txt", "page_button_prefixes.txt", "photo_credits.txt",
                 "transliterations.tsv", *INSTRUCTION_LISTS):
        sha.update(resources.files("assistant.arabic").joinpath("resources", name).read_bytes())
    return sha.hexdigest()[:16]
