"""Gradio chat UI: a thin adapter over `AssistantService` (see app.py for launching).

Everything shown that comes from a document or a user is HTML-escaped here; the chat also
runs Gradio's sanitiser. Fonts are local (no web-font downloads) and the layout is RTL.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, Iterator, Protocol

from assistant.answers import Answer, Citation
from assistant.documents import Document
from assistant.errors import AssistantError
from assistant.service import CitationContext, UploadResult

EXAMPLES = [
    "متى التقى كيم جونغ أون بوتين لأول مرة؟",
    "كم عاملا كوريا شماليا ناقش المسؤولون الروس توظيفهم؟",
    "ما الكنيسة التي سيزورها بوتين في كوريا الشمالية؟",
    "What did Russia begin exporting to North Korea?",
]
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
        body += ('<div class="fallback-note">تعذّر استخدام النموذج اللغوي، فجاءت الإجابة من المصادر مباشرة '
                 f'({html.escape(answer.fallback_reason)}).</div>')
    return body


def sources_html(contexts: list[CitationContext]) -> str:
    """Numbered source cards: title, publisher, the passage with the cited sentence highlighted."""
    if not contexts:
        return '<div class="no-sources">لا توجد مصادر لهذه الإجابة.</div>'
    cards = []
    for ctx in contexts:
        c = ctx.citation
        cards.append(
            f'<div class="source-card" id="source-{c.n}" dir="rtl">'
            f"<h4>[{c.n}] {html.escape(c.title)}</h4>"
            f'<div class="meta">{html.escape(c.source or "مصدر غير مذكور")} · {html.escape(c.doc_id)}</div>'
            f"<div>…{html.escape(ctx.before)}<mark>{html.escape(c.quote)}</mark>{html.escape(ctx.after)}…</div>"
            "</div>")
    return "\n".join(cards)


def document_html(doc: Document) -> str:
    meta = [f"<b>{html.escape(doc.title)}</b>", f"المصدر: {html.escape(doc.source or 'غير مذكور')}"]
    if doc.author:
        meta.append(f"الكاتب: {html.escape(doc.author)}")
    if doc.appended_to:
        meta.append(f"مقال منفصل أُلحق بصفحة {html.escape(doc.appended_to)}")
    return f'<div class="doc-view" dir="rtl">{"<br>".join(meta)}<hr>{html.escape(doc.text)}</div>'


def upload_message(result: UploadResult) -> str:
    lines = []
    if result.added or result.updated:
        lines.append(f"أُضيفت {len(result.added)} وحُدّثت {len(result.updated)} مقالات "
                     f"(حُسبت متجهات {result.embedded} مقطعاً جديداً فقط).")
    if result.unchanged:
        lines.append(f"{len(result.unchanged)} مقالات دون تغيير.")
    lines += [f"رُفض: {e}" for e in result.errors]
    return "\n".join(lines) or "لم يُرفع أي ملف."


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
        yield chat, sources_html([]), "اكتب سؤالاً أولاً."
        return
    history = history_for_engine(chat)
    chat = chat + [{"role": "user", "content": html.escape(message)}, {"role": "assistant", "content": "…"}]
    yield list(chat), "", "جارٍ البحث في المقالات…"
    streamed = ""
    try:
        for item in engine.stream(message, backend, history, int(top_k)):
            if isinstance(item, Answer):
                chat[-1] = {"role": "assistant", "content": answer_html(item)}
                contexts = [engine.context(c) for c in item.citations]
                status = f"{item.backend} · {item.timings_ms.get('total', 0) / 1000:.1f} ث"
                yield list(chat), sources_html(contexts), status
                return
            streamed += item
            chat[-1] = {"role": "assistant", "content": html.escape(streamed)}
            yield list(chat), "", "جارٍ كتابة الإجابة…"
    except AssistantError as exc:
        chat[-1] = {"role": "assistant", "content": f'<div class="refusal">خطأ: {html.escape(str(exc))}</div>'}
        yield chat, sources_html([]), "خطأ"


def document_choices(engine: Engine) -> list[tuple[str, str]]:
    return [(f"{d.title} ({d.source or 'مصدر غير مذكور'})", d.id) for d in engine.documents()]


def build_app(engine: Engine, default_backend: str = "extractive", default_top_k: int = 5):
    """The Blocks app (not launched). Gradio is imported here so the CLI never pays for it."""
    import gradio as gr

    with gr.Blocks(title="مساعد الأخبار", analytics_enabled=False) as app:
        gr.Markdown("## مساعد الأخبار: أسئلة وأجوبة موثّقة من المقالات", rtl=True)
        with gr.Tab("المحادثة"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="المحادثة", rtl=True, height=460, sanitize_html=True,
                                         elem_id="chat")
                    question = gr.Textbox(label="سؤالك", placeholder="اكتب سؤالك بالعربية أو بالإنجليزية…",
                                          rtl=True, lines=1, elem_id="question")
                    with gr.Row():
                        send = gr.Button("اسأل", variant="primary", elem_id="send")
                        clear = gr.Button("محادثة جديدة")
                    status = gr.Markdown("", elem_id="status", rtl=True)
                    gr.Examples(EXAMPLES, inputs=question, label="أمثلة")
                with gr.Column(scale=2):
                    gr.Markdown("### المصادر", rtl=True)
                    sources = gr.HTML(sources_html([]), elem_id="sources")
                    with gr.Accordion("الإعدادات", open=False):
                        backend = gr.Dropdown(list(engine.backends), value=default_backend, label="طريقة الإجابة")
                        backend_info = gr.Markdown(engine.describe(default_backend), rtl=True)
                        top_k = gr.Slider(1, 10, value=default_top_k, step=1, label="عدد المقاطع المسترجعة")
        with gr.Tab("المقالات"):
            choices = document_choices(engine)
            doc_picker = gr.Dropdown(choices, value=choices[0][1] if choices else None, label="المقال")
            doc_view = gr.HTML(document_html(engine.document(choices[0][1])) if choices else "")
            upload = gr.File(label="أضف مقالات (.txt .md .html .jsonl)", file_count="multiple",
                             file_types=[".txt", ".md", ".html", ".htm", ".jsonl"], elem_id="upload")
            upload_status = gr.Textbox(label="نتيجة الرفع", interactive=False, rtl=True, elem_id="upload-status")

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
