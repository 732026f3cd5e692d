"""Gradio chat UI: a thin adapter over `AssistantService` (see app.py for launching).

Everything shown that comes from a document or a user is HTML-escaped here; the chat also
runs Gradio's sanitiser. Fonts are local (no web-font downloads) and the layout is RTL.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, Iterator, Protocol

from assistant import messages as msg
from assistant.app.service import CitationContext, UploadResult
from assistant.errors import AssistantError
from assistant.types import Answer, Citation, Document

FONT_STACK = ["Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Tahoma", "Segoe UI", "Arial", "sans-serif"]
CSS = """
.gradio-container, .gradio-container * { font-family: 'Noto Naskh Arabic', 'Noto Sans Arabic', Tahoma, 'Segoe UI', Arial, sans-serif; }
.gradio-container { direction: rtl; }
.message, .source-card, .doc-view { unicode-bidi: plaintext; text-align: start; }
.source-card { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; margin: 8px 0; background: #fafbfc; }
.source-card h4 { margin: 0 0 4px 0; font-size: 15px; }
.source-card .meta { color: #57606a; font-size: 12px; margin-bottom: 6px; }
.source-card mark { background: #fff3b0; padding: 0 2px; }
.refusal { border-right: 4px solid #bf8700; background: #fff8e6; padding: 8px 12px; border-radius: 6px; }
.fallback-note { color: #9a6700; font-size: 13px; }
.doc-view { white-space: pre-wrap; line-height: 1.8; }
"""
_MARKER = re.compile(r"\[(\d+)\]")


class Engine(Protocol):
    """What the UI needs from the assistant (AssistantService implements it; tests use a fake)."""

    backends: tuple[str, ...]

    def describe(self, backend: str) -> str: ...
    def stream(self, question: str, backend: str, history: list[dict[str, str]], top_k: int) -> Iterator[str | Answer]: ...
    def documents(self) -> list[Document]: ...
    def document(self, doc_id: str) -> Document: ...
    def context(self, citation: Citation) -> CitationContext: ...
    def add_files(self, paths: list[Path]) -> UploadResult: ...


# ---- pure rendering (unit-tested) ------------------------------------------------------------

def answer_html(answer: Answer) -> str:
    """The chat message: escaped text, [n] as links to their cards, refusals and fallbacks marked."""
    if answer.refused:
        return f'<div class="refusal">⚠️ {html.escape(answer.answer)}</div>'
    body = _MARKER.sub(lambda m: f'<a href="#source-{m.group(1)}" class="cite">[{m.group(1)}]</a>',
                       html.escape(answer.answer))
    if answer.fallback_reason:
        body += f'<div class="fallback-note">{msg.UI_FALLBACK_NOTE.format(reason=html.escape(answer.fallback_reason))}</div>'
    return body


def sources_html(contexts: list[CitationContext]) -> str:
    """Numbered source cards: title, publisher, the passage with the cited sentence highlighted."""
    if not contexts:
        return f'<div class="no-sources">{msg.UI_NO_SOURCES}</div>'
    cards = []
    for ctx in contexts:
        c = ctx.citation
        cards.append(
            f'<div class="source-card" id="source-{c.n}" dir="rtl">'
            f"<h4>[{c.n}] {html.escape(c.title)}</h4>"
            f'<div class="meta">{html.escape(c.source or msg.NO_SOURCE_NAMED)} · {html.escape(c.doc_id)}</div>'
            f"<div>…{html.escape(ctx.before)}<mark>{html.escape(c.quote)}</mark>{html.escape(ctx.after)}…</div>"
            "</div>")
    return "\n".join(cards)


def document_html(doc: Document) -> str:
    meta = [f"<b>{html.escape(doc.title)}</b>", msg.UI_DOC_SOURCE.format(source=html.escape(doc.source or msg.NOT_GIVEN))]
    if doc.author:
        meta.append(msg.UI_DOC_AUTHOR.format(author=html.escape(doc.author)))
    if doc.appended_to:
        meta.append(msg.UI_DOC_APPENDED.format(host=html.escape(doc.appended_to)))
    return f'<div class="doc-view" dir="rtl">{"<br>".join(meta)}<hr>{html.escape(doc.text)}</div>'


def upload_message(result: UploadResult) -> str:
    lines = []
    if result.added or result.updated:
        lines.append(msg.UI_UPLOADED.format(added=len(result.added), updated=len(result.updated),
                                            embedded=result.embedded))
    if result.unchanged:
        lines.append(msg.UI_UNCHANGED.format(n=len(result.unchanged)))
    lines += [msg.UI_REJECTED.format(error=e) for e in result.errors]
    return "\n".join(lines) or msg.UI_NOTHING_UPLOADED


def history_for_engine(chat: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The conversation as plain text (the chat holds escaped HTML)."""
    out = []
    for message in chat:
        text = re.sub(r"<[^>]+>", "", str(message.get("content", "")))
        out.append({"role": message["role"], "content": html.unescape(text)})
    return out


# ---- event handlers ------------------------------------------------------------------------

def respond(engine: Engine, message: str, chat: list[dict[str, Any]], backend: str,
            top_k: int) -> Iterator[tuple[list[dict[str, Any]], str, str]]:
    """Stream an answer into the chat; the final, verified answer replaces the streamed text."""
    message = (message or "").strip()
    if not message:
        yield chat, sources_html([]), msg.UI_ASK_FIRST
        return
    history = history_for_engine(chat)
    chat = chat + [{"role": "user", "content": html.escape(message)}, {"role": "assistant", "content": "…"}]
    yield list(chat), "", msg.UI_SEARCHING
    streamed = ""
    try:
        for item in engine.stream(message, backend, history, int(top_k)):
            if isinstance(item, Answer):
                chat[-1] = {"role": "assistant", "content": answer_html(item)}
                contexts = [engine.context(c) for c in item.citations]
                status = msg.UI_SECONDS.format(backend=item.backend, seconds=item.timings_ms.get("total", 0) / 1000)
                yield list(chat), sources_html(contexts), status
                return
            streamed += item
            chat[-1] = {"role": "assistant", "content": html.escape(streamed)}
            yield list(chat), "", msg.UI_WRITING
    except AssistantError as exc:
        error = msg.UI_ERROR_BOX.format(error=html.escape(str(exc)))
        chat[-1] = {"role": "assistant", "content": f'<div class="refusal">{error}</div>'}
        yield chat, sources_html([]), msg.UI_ERROR


def document_choices(engine: Engine) -> list[tuple[str, str]]:
    return [(f"{d.title} ({d.source or msg.NO_SOURCE_NAMED})", d.id) for d in engine.documents()]


def build_app(engine: Engine, default_backend: str = "extractive", default_top_k: int = 5):
    """The Blocks app (not launched). Gradio is imported here so the CLI never pays for it."""
    import gradio as gr

    with gr.Blocks(title=msg.UI_TITLE, analytics_enabled=False) as app:
        gr.Markdown(msg.UI_HEADING, rtl=True)
        with gr.Tab(msg.UI_TAB_CHAT):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label=msg.UI_CHAT_LABEL, rtl=True, height=460, sanitize_html=True,
                                         elem_id="chat")
                    question = gr.Textbox(label=msg.UI_QUESTION_LABEL, placeholder=msg.UI_QUESTION_PLACEHOLDER,
                                          rtl=True, lines=1, elem_id="question")
                    with gr.Row():
                        send = gr.Button(msg.UI_SEND, variant="primary", elem_id="send")
                        clear = gr.Button(msg.UI_NEW_CHAT)
                    status = gr.Markdown("", elem_id="status", rtl=True)
                    gr.Examples(msg.EXAMPLE_QUESTIONS, inputs=question, label=msg.UI_EXAMPLES)
                with gr.Column(scale=2):
                    gr.Markdown(msg.UI_SOURCES_HEADING, rtl=True)
                    sources = gr.HTML(sources_html([]), elem_id="sources")
                    with gr.Accordion(msg.UI_SETTINGS, open=False):
                        backend = gr.Dropdown(list(engine.backends), value=default_backend, label=msg.UI_BACKEND)
                        backend_info = gr.Markdown(engine.describe(default_backend), rtl=True)
                        top_k = gr.Slider(1, 10, value=default_top_k, step=1, label=msg.UI_TOP_K)
        with gr.Tab(msg.UI_TAB_ARTICLES):
            choices = document_choices(engine)
            doc_picker = gr.Dropdown(choices, value=choices[0][1] if choices else None, label=msg.UI_ARTICLE)
            doc_view = gr.HTML(document_html(engine.document(choices[0][1])) if choices else "")
            upload = gr.File(label=msg.UI_UPLOAD, file_count="multiple",
                             file_types=[".txt", ".md", ".html", ".htm", ".jsonl"], elem_id="upload")
            upload_status = gr.Textbox(label=msg.UI_UPLOAD_RESULT, interactive=False, rtl=True, elem_id="upload-status")

        def on_send(message, chat, chosen_backend, k):
            for chat_now, sources_now, status_now in respond(engine, message, chat or [], chosen_backend, k):
                yield chat_now, sources_now, status_now, ""

        outputs = [chatbot, sources, status, question]
        send.click(on_send, [question, chatbot, backend, top_k], outputs, concurrency_limit=1)
        question.submit(on_send, [question, chatbot, backend, top_k], outputs, concurrency_limit=1)
        clear.click(lambda: ([], sources_html([]), ""), None, [chatbot, sources, status], queue=False)
        backend.change(engine.describe, backend, backend_info, queue=False)
        doc_picker.change(lambda doc_id: document_html(engine.document(doc_id)) if doc_id else "",
                          doc_picker, doc_view, queue=False)

        def on_upload(files):
            result = engine.add_files([Path(getattr(f, "name", f)) for f in files or []])
            new_choices = document_choices(engine)
            return upload_message(result), gr.Dropdown(choices=new_choices)

        upload.upload(on_upload, upload, [upload_status, doc_picker], concurrency_limit=1)
    return app


def theme():
    """Gradio's default look with local fonts only (the default theme fetches web fonts)."""
    import gradio as gr

    return gr.themes.Default(font=FONT_STACK, font_mono=["Courier New", "monospace"])
