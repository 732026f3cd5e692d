"""The articles tab's HTML: a page of the list with counts, one article shown as plain text, and uploads
reported file by file as they are read.

The list comes a page at a time from the corpus (`ingest.listing`: searched in SQLite with Arabic spelling
folded), so a 31k-article archive never fills one table or one dropdown. Every text is escaped; a file's
name is the name the person chose, never the server's path.
"""

from __future__ import annotations

import html
import logging
from typing import Iterator

from assistant import messages as msg
from assistant.app.uploads import FileUpload, UploadResult, UploadStep
from assistant.types import CatalogPage, Document, ListedDocument

log = logging.getLogger(__name__)
_e = html.escape


def counts_html(page: CatalogPage, query: str = "") -> str:
    """How many articles, from how many publishers, how many added; with a search, how many match; which
    page of how many is shown."""
    lines = [msg.UI_CORPUS_COUNTS.format(articles=msg.count(page.total, msg.ARTICLE))]
    if page.publishers:
        lines.append(msg.UI_CORPUS_PUBLISHERS.format(publishers=msg.count(page.publishers, msg.PUBLISHER)))
    if page.added:
        lines.append(msg.UI_CORPUS_ADDED.format(added=msg.count(page.added, msg.ARTICLE)))
    if query.strip():
        lines.append(msg.UI_CORPUS_SHOWN.format(shown=msg.count(page.matched, msg.ARTICLE)))
    if page.rows and page.pages > 1:
        first = page.page * page.per_page + 1
        lines.append(msg.UI_CORPUS_PAGE.format(page=page.page + 1, pages=page.pages, first=first,
                                               last=first + len(page.rows) - 1))
    return f'<p class="corpus-counts" role="status">{_e(" ".join(lines))}</p>'


def table_html(rows: list[ListedDocument]) -> str:
    if not rows:
        return f'<p class="corpus-none">{_e(msg.UI_CORPUS_NONE)}</p>'
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in
                   (msg.UI_COL_TITLE, msg.UI_COL_SOURCE, msg.UI_COL_DATE, msg.UI_COL_ORIGIN))
    body = "".join(
        f"<tr><td dir=\"auto\">{_e(d.title)}</td><td><bdi>{_e(d.source or msg.NO_SOURCE_NAMED)}</bdi></td>"
        f"<td><bdi>{_e(d.date or msg.UI_NO_DATE)}</bdi></td>"
        f"<td>{_e(msg.UI_ORIGIN_ADDED if d.added else msg.UI_ORIGIN_BUNDLED)}</td></tr>"
        for d in rows)
    return f'<table class="corpus-table" dir="rtl"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def choices(rows: list[ListedDocument]) -> list[tuple[str, str]]:
    """The picker offers the page shown, never the whole archive."""
    return [(f"{d.title} — {d.source or msg.NO_SOURCE_NAMED}", d.id) for d in rows]


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


__all__ = ["choices", "counts_html", "document_html", "table_html", "upload_progress"]
