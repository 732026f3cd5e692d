"""The articles tab: a searchable list with counts, one article shown as plain text, delete with a
confirmation, and uploads reported file by file as they are read.

Search folds Arabic spelling (hamza, ta marbuta, diacritics) the way questions are matched, so «الأسد»
finds «الاسد». Every text is escaped; a file's name is the name the person chose, never the server's path.
"""

from __future__ import annotations

import html
import logging
from typing import Iterable, Iterator

from assistant import messages as msg
from assistant.app.service import UploadResult, UploadStep
from assistant.app.uploads import FileUpload
from assistant.arabic.normalize import normalize_arabic
from assistant.types import Document

log = logging.getLogger(__name__)
LIST_LIMIT = 200
"""Rows shown at once; the search narrows the rest."""
_e = html.escape


def matching(docs: Iterable[Document], query: str) -> list[Document]:
    """The documents whose title, source, date or text contain every word of `query` (spelling folded)."""
    words = normalize_arabic(query or "").split()
    if not words:
        return list(docs)
    out = []
    for doc in docs:
        haystack = normalize_arabic(" ".join([doc.title, doc.source or "", doc.date or "", doc.text]))
        if all(w in haystack for w in words):
            out.append(doc)
    return out


def counts_html(docs: list[Document], added: int, shown: int | None = None) -> str:
    """How many articles, from how many publishers, how many added; with a search, how many match."""
    publishers = len({d.source for d in docs if d.source})
    lines = [msg.UI_CORPUS_COUNTS.format(articles=msg.count(len(docs), msg.ARTICLE))]
    if publishers:
        lines.append(msg.UI_CORPUS_PUBLISHERS.format(publishers=msg.count(publishers, msg.PUBLISHER)))
    if added:
        lines.append(msg.UI_CORPUS_ADDED.format(added=msg.count(added, msg.ARTICLE)))
    if shown is not None:
        lines.append(msg.UI_CORPUS_SHOWN.format(shown=msg.count(shown, msg.ARTICLE)))
    if shown is not None and shown > LIST_LIMIT or shown is None and len(docs) > LIST_LIMIT:
        lines.append(msg.UI_CORPUS_FIRST.format(limit=LIST_LIMIT))
    return f'<p class="corpus-counts" role="status">{_e(" ".join(lines))}</p>'


def table_html(docs: list[Document], added: set[str]) -> str:
    if not docs:
        return f'<p class="corpus-none">{_e(msg.UI_CORPUS_NONE)}</p>'
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in
                   (msg.UI_COL_TITLE, msg.UI_COL_SOURCE, msg.UI_COL_DATE, msg.UI_COL_ORIGIN))
    rows = "".join(
        f"<tr><td dir=\"auto\">{_e(d.title)}</td><td><bdi>{_e(d.source or msg.NO_SOURCE_NAMED)}</bdi></td>"
        f"<td><bdi>{_e(d.date or msg.UI_NO_DATE)}</bdi></td>"
        f"<td>{_e(msg.UI_ORIGIN_ADDED if d.id in added else msg.UI_ORIGIN_BUNDLED)}</td></tr>"
        for d in docs[:LIST_LIMIT])
    return f'<table class="corpus-table" dir="rtl"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def choices(docs: list[Document]) -> list[tuple[str, str]]:
    return [(f"{d.title} — {d.source or msg.NO_SOURCE_NAMED}", d.id) for d in docs[:LIST_LIMIT]]


def document_html(doc: Document) -> str:
    """An article as plain text: nothing in it is rendered as HTML or markdown."""
    meta = [f"<b>{_e(doc.title)}</b>", _e(msg.UI_DOC_SOURCE.format(source=doc.source or msg.NOT_GIVEN)),
            _e(msg.UI_DOC_DATE.format(date=doc.date or msg.NOT_GIVEN))]
    if doc.author:
        meta.append(_e(msg.UI_DOC_AUTHOR.format(author=doc.author)))
    if doc.appended_to:
        meta.append(_e(msg.UI_DOC_APPENDED.format(host=doc.appended_to)))
    return f'<div class="doc-view" dir="rtl">{"<br>".join(meta)}<hr><div dir="auto">{_e(doc.text)}</div></div>'


def file_line(upload: FileUpload) -> str:
    """One file's result: what was added, updated or unchanged, or why it was refused."""
    parts = [template.format(articles=msg.count(len(ids), msg.ARTICLE)) for template, ids in (
        (msg.UI_UPLOAD_FILE_ADDED, upload.added), (msg.UI_UPLOAD_FILE_UPDATED, upload.updated),
        (msg.UI_UPLOAD_FILE_UNCHANGED, upload.unchanged)) if ids]
    parts += upload.errors
    ok = not upload.errors
    return (f'<li class="{"file-ok" if ok else "file-refused"}"><bdi class="file-name">{_e(upload.name)}</bdi>: '
            f"{_e('، '.join(parts))}</li>")


def upload_html(items: list[str], note: str = "") -> str:
    note_html = f'<p class="upload-note">{_e(note)}</p>' if note else ""
    return f'<div class="upload-report" role="status"><ul>{"".join(items)}</ul>{note_html}</div>'


def upload_progress(steps: Iterator[UploadStep | UploadResult]) -> Iterator[str]:
    """The upload report as it grows: a line per file read, then each file's result."""
    for step in steps:
        if isinstance(step, UploadStep):
            text = (msg.UI_UPLOAD_READING.format(index=step.index, total=step.total, name=step.name)
                    if step.stage == "reading" else
                    msg.UI_UPLOAD_COUNTING.format(name=step.name, done=step.done, total=step.articles)
                    if step.articles > 1 else msg.UI_UPLOAD_INDEXING)
            if step.stage == "reading" and not step.index:
                continue  # nothing read yet
            yield upload_html([], text)
            continue
        if not step.files:
            yield upload_html([], msg.UI_NOTHING_UPLOADED)
            return
        note = (msg.UI_UPLOAD_EMBEDDED.format(sentences=msg.count(step.embedded, msg.SENTENCE))
                if step.changed and step.embedded else "")
        yield upload_html([file_line(f) for f in step.files], note)


__all__ = ["choices", "counts_html", "document_html", "matching", "table_html", "upload_progress"]
