"""The page: Gradio components and the wiring of their events to the handlers in `chat` and `articles`.

Answers are one event that is not limited to one at a time: the service keeps LLM generations in their own
lanes, so an extractive question is answered while a slow generation runs. Gradio's own progress display
is hidden (its timer and English queue text); the page says in Arabic what is happening.
"""

# no `from __future__ import annotations`: Gradio reads gr.Request and gr.EventData from live annotations

import html
from importlib import resources
from typing import Any

from assistant import messages as msg
from assistant.app.ui import chat
from assistant.app.ui.articles_tab import wire_articles
from assistant.app.ui.engine import Engine
from assistant.app.ui.turns import Conversation, dump, load_archive

DAY_EXAMPLE = "2024-06-19"
ASK_CONCURRENCY = 16
"""Answers in progress at once (LLM generations also wait for their lane inside the service)."""


def asset(name: str) -> str:
    """A file of the package's static folder (the page's CSS and JS ship with the package)."""
    return resources.files("assistant.app.ui").joinpath("static", name).read_text("utf-8")


def status_html(text: str) -> str:
    return f'<p class="status" role="status" aria-live="polite">{html.escape(text)}</p>'


def build_app(engine: Engine, default_backend: str = "extractive", default_top_k: int = 5):
    """The Blocks app (not launched). Gradio is imported here so the CLI never pays for it."""
    import gradio as gr

    sessions = chat.Sessions()
    backends = engine.backends
    first = default_backend if default_backend in backends else backends[0]

    def save_feedback(payload: Any) -> bool:
        return chat.save_feedback(engine, payload)

    def stop_answers(request: gr.Request) -> None:
        sessions.stop(request.session_hash)

    with gr.Blocks(title=msg.UI_TITLE, analytics_enabled=False) as app:
        current = gr.BrowserState(None, storage_key="assistant-conversation")
        archive = gr.BrowserState([], storage_key="assistant-conversations")
        gr.Markdown(msg.UI_HEADING, rtl=True, elem_id="heading")
        with gr.Tabs():
            with gr.Tab(msg.UI_TAB_CHAT, id="chat-tab"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=300):
                        log = gr.HTML(chat.chat_html(Conversation()), js_on_load=asset("chat.js"),
                                      server_functions=[save_feedback], elem_id="chat")
                        question = gr.Textbox(label=msg.UI_QUESTION_LABEL, placeholder=msg.UI_QUESTION_PLACEHOLDER,
                                              rtl=True, lines=1, max_lines=6, elem_id="question")
                        with gr.Row(elem_id="chat-buttons"):
                            send = gr.Button(msg.UI_SEND, variant="primary", elem_id="send")
                            stop = gr.Button(msg.UI_STOP, variant="stop", interactive=False, elem_id="stop")
                            regenerate = gr.Button(msg.UI_REGENERATE, elem_id="regenerate")
                            new = gr.Button(msg.UI_NEW_CHAT, elem_id="new-chat")
                        status = gr.HTML(status_html(""), elem_id="status")
                        gr.Examples(msg.EXAMPLE_QUESTIONS, inputs=question, label=msg.UI_EXAMPLES)
                    with gr.Column(scale=1, min_width=240):
                        history = gr.Radio([], label=msg.UI_HISTORY, elem_id="history")
                        with gr.Accordion(msg.UI_SETTINGS, open=False, elem_id="settings"):
                            backend = gr.Dropdown([(msg.BACKEND_NAMES[b], b) for b in backends], value=first,
                                                  label=msg.UI_BACKEND, elem_id="backend")
                            about = gr.Markdown(engine.describe(first), rtl=True)
                            top_k = gr.Slider(1, 10, value=default_top_k, step=1, label=msg.UI_TOP_K)
                        with gr.Accordion(msg.UI_FILTERS, open=False, elem_id="filters"):
                            sources = gr.Dropdown([], value=[], multiselect=True,
                                                  label=msg.UI_FILTER_SOURCES, elem_id="filter-sources")
                            since = gr.Textbox(label=msg.UI_FILTER_SINCE, placeholder=DAY_EXAMPLE, max_lines=1,
                                               elem_id="filter-since")
                            until = gr.Textbox(label=msg.UI_FILTER_UNTIL, placeholder=DAY_EXAMPLE, max_lines=1,
                                               elem_id="filter-until")
            with gr.Tab(msg.UI_TAB_ARTICLES, id="articles-tab") as articles_tab:
                wire_articles(engine, articles_tab)

        def shown(view: chat.View, others: list[Conversation]) -> tuple:
            conversation = view.conversation
            return (chat.chat_html(conversation), status_html(view.status), dump(conversation),
                    gr.Radio(chat.history_choices(conversation, others),
                             value=conversation.id if conversation.turns else None),
                    gr.Button(interactive=not view.busy), gr.Button(interactive=view.busy),
                    gr.Button(interactive=not view.busy))

        def on_ask(text, kept, others, chosen, k, publishers, first_day, last_day, event: gr.EventData,
                   request: gr.Request):
            redo = getattr(event.target, "elem_id", "") == "regenerate"
            earlier, first_view = load_archive(others), True
            restricted = chat.Chosen(publishers, first_day, last_day)
            for view in chat.ask(engine, sessions, request.session_hash, text, kept, chosen, k, redo, restricted):
                if view is None:
                    yield (gr.skip(),) * 8
                    continue
                cleared = "" if first_view and view.busy and not redo else gr.skip()
                first_view = False
                yield (*shown(view, earlier), cleared)

        asked = gr.on([send.click, question.submit, regenerate.click], on_ask,
                      [question, current, archive, backend, top_k, sources, since, until],
                      [log, status, current, history, send, stop, regenerate, question],
                      show_progress="hidden", trigger_mode="once", concurrency_limit=ASK_CONCURRENCY)
        stop.click(stop_answers, None, None, cancels=[asked],
                   queue=False).then(lambda kept, others: shown(chat.stopped(kept), load_archive(others)),
                                     [current, archive], [log, status, current, history, send, stop, regenerate],
                                     show_progress="hidden")

        def listed(conversation: Conversation, others: list[Conversation], text: str = "") -> tuple:
            return (*shown(chat.View(conversation, text), others)[:4], [dump(c) for c in others])

        new.click(lambda kept, others: listed(*chat.new_conversation(kept, others)), [current, archive],
                  [log, status, current, history, archive], concurrency_limit=None, show_progress="hidden")
        history.input(lambda chosen, kept, others: listed(*chat.switch_to(chosen, kept, others)),
                      [history, current, archive], [log, status, current, history, archive], concurrency_limit=None,
                      show_progress="hidden")
        app.load(lambda kept, others: listed(Conversation.load(kept), load_archive(others)), [current, archive],
                 [log, status, current, history, archive], show_progress="hidden")
        # the publishers come on load, not at build: app.py builds the page before the index is open
        app.load(lambda: gr.Dropdown(choices=engine.sources()), None, sources, show_progress="hidden")
        backend.change(engine.describe, backend, about, concurrency_limit=None, show_progress="hidden")
        app.unload(stop_answers)
    return app


def theme():
    """Gradio's default look with local fonts only (the default theme fetches web fonts)."""
    import gradio as gr

    fonts = ["Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Tahoma", "Segoe UI", "Arial", "sans-serif"]
    return gr.themes.Default(font=fonts, font_mono=["Courier New", "monospace"])


def launch_options(settings: Any) -> dict[str, Any]:
    """`launch()` arguments: loopback, no share link, local fonts, Arabic labels, the page's CSS."""
    from starlette.middleware import Middleware

    from assistant.app.ui.locale import ArabicPage

    return dict(server_name=settings.ui_host, server_port=settings.ui_port, share=False, inbrowser=False,
                theme=theme(), css=asset("ui.css"), footer_links=[], max_file_size=settings.max_upload_bytes * 4,
                app_kwargs={"middleware": [Middleware(ArabicPage)]})
