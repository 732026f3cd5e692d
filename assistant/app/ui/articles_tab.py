"""The articles tab's components and events: the list, a page at a time with previous/next, follows every
search, upload, delete and outside ingest (each page is read from the corpus when it is shown)."""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from assistant import messages as msg
from assistant.app.ui import articles
from assistant.app.ui.engine import Engine
from assistant.ingest.listing import PER_PAGE

log = logging.getLogger(__name__)


def _note(text: str) -> str:
    return f'<p class="corpus-note" role="status">{html.escape(text)}</p>'


def wire_articles(engine: Engine, tab: Any) -> None:
    """Build the tab's components (inside the current Gradio context) and connect their events."""
    import gradio as gr

    counts = gr.HTML(elem_id="corpus-counts")
    search = gr.Textbox(label=msg.UI_CORPUS_SEARCH, rtl=True, elem_id="corpus-search")
    table = gr.HTML(elem_id="corpus-table")
    page = gr.State(0)
    with gr.Row(elem_id="corpus-pager"):
        previous = gr.Button(msg.UI_PAGE_PREV, interactive=False, size="sm", elem_id="corpus-prev")
        following = gr.Button(msg.UI_PAGE_NEXT, interactive=False, size="sm", elem_id="corpus-next")
    picker = gr.Dropdown([], value=None, label=msg.UI_ARTICLE, filterable=True, allow_custom_value=True,
                         elem_id="article-picker")
    delete = gr.Button(msg.UI_DELETE, variant="stop", visible=False, elem_id="delete")
    with gr.Group(visible=False, elem_id="delete-confirm") as confirm:
        question = gr.HTML()
        with gr.Row():
            yes = gr.Button(msg.UI_DELETE_YES, variant="stop", elem_id="delete-yes")
            no = gr.Button(msg.UI_DELETE_NO, elem_id="delete-no")
    view = gr.HTML(elem_id="doc-view")
    gr.HTML(f'<p class="upload-types" dir="rtl">{html.escape(msg.UI_UPLOAD_TYPES)}</p>')
    upload = gr.File(label=msg.UI_UPLOAD, file_count="multiple", elem_id="upload")
    report = gr.HTML(elem_id="upload-status")

    def listing(query: str | None, number: int = 0, **picked: Any) -> tuple:
        """Counts, table, picker, page number and the pager's buttons for page `number` of the search."""
        try:
            shown = engine.listing(query or "", number, PER_PAGE)
        except Exception:  # noqa: BLE001 - an Arabic line on the page, the details in the log
            log.exception("the article list could not be read")
            return _note(msg.UI_ERROR), "", gr.Dropdown(**picked), number, gr.skip(), gr.skip()
        return (articles.counts_html(shown, query or ""), articles.table_html(shown.rows),
                gr.Dropdown(choices=articles.choices(shown.rows), **picked), shown.page,
                gr.Button(interactive=shown.page > 0), gr.Button(interactive=shown.page + 1 < shown.pages))

    def show(doc_id: str | None) -> tuple:
        try:
            doc = engine.document(doc_id) if doc_id else None
        except Exception:  # noqa: BLE001 - e.g. deleted meanwhile: the list is refreshed below
            log.info("article %r is no longer there", doc_id)
            doc = None
        visible = doc is not None and engine.added_article(doc.id) is not None
        return (articles.document_html(doc) if doc else "", gr.Button(visible=visible), gr.Group(visible=False))

    def ask_delete(doc_id: str | None) -> tuple:
        try:
            title = engine.document(doc_id).title if doc_id and engine.added_article(doc_id) else None
        except Exception:  # noqa: BLE001 - e.g. deleted meanwhile
            log.info("article %r is no longer there", doc_id)
            title = None
        if title is None:
            return gr.Group(visible=False), _note(msg.UI_NOT_DELETABLE)
        return gr.Group(visible=True), _note(msg.UI_DELETE_CONFIRM.format(title=title))

    def do_delete(doc_id: str | None, query: str, number: int) -> tuple:
        try:
            article = engine.added_article(doc_id) if doc_id else None
            title = engine.document(doc_id).title if article and doc_id else ""
            report = engine.delete([article]) if article else None
            if report is None or report.errors:
                log.warning("delete of %r refused: %s", doc_id, report.errors if report else "not an added article")
            done = _note(msg.UI_DELETED.format(title=title) if report and not report.errors else msg.UI_NOT_DELETABLE)
        except Exception:  # noqa: BLE001 - an Arabic message, the details in the log
            log.exception("delete of %r failed", doc_id)
            done = _note(msg.UI_NOT_DELETABLE)
        return (done, gr.Button(visible=False), gr.Group(visible=False), *listing(query, number, value=None))

    def on_upload(files: list | None, query: str, number: int):
        paths = [Path(getattr(f, "name", f)) for f in files or []]
        try:
            for text in articles.upload_progress(engine.upload(paths)):
                yield text, gr.skip(), *(gr.skip(),) * len(listed)
        except Exception:  # noqa: BLE001 - the page says it failed; the log has why
            log.exception("upload failed")
            yield articles.upload_html([], msg.UI_ERROR), gr.skip(), *(gr.skip(),) * len(listed)
        yield gr.skip(), gr.File(value=None), *listing(query, number)

    listed = [counts, table, picker, page, previous, following]
    tab.select(listing, [search, page], listed, show_progress="hidden")
    search.change(listing, search, listed, trigger_mode="always_last", show_progress="hidden")  # from page 1
    previous.click(lambda query, number: listing(query, number - 1), [search, page], listed, show_progress="hidden")
    following.click(lambda query, number: listing(query, number + 1), [search, page], listed, show_progress="hidden")
    picker.input(show, picker, [view, delete, confirm], show_progress="hidden")
    delete.click(ask_delete, picker, [confirm, question], concurrency_limit=None, show_progress="hidden")
    no.click(lambda: gr.Group(visible=False), None, confirm, concurrency_limit=None, show_progress="hidden")
    yes.click(do_delete, [picker, search, page], [view, delete, confirm, *listed], show_progress="hidden")
    upload.upload(on_upload, [upload, search, page], [report, upload, *listed], show_progress="hidden",
                  concurrency_limit=1)


__all__ = ["wire_articles"]
