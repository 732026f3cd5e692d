"""The web page (Gradio), a thin adapter over `AssistantService` through the `Engine` protocol.

    layout        the components and the wiring of their events; `launch_options` for app.py
    chat          ask / regenerate / stop / new / switch conversation / 👍👎, as plain functions
    turns         the conversation as the browser keeps it (local storage), validated when it comes back
    filters       the chat's publisher/date filter: checked, kept with the turn, stated above its answer
    render        the conversation as HTML: per-answer sources, [n] previews, plain text for «copy» (the filter
                  note included when the search was restricted)
    articles, articles_tab   the article list a page at a time (searched), delete with confirmation, uploads
                  file by file
    locale        Gradio's own labels in Arabic whatever the browser's language
    static/       the page's CSS and JS
"""

from __future__ import annotations

from assistant.app.ui.engine import Engine
from assistant.app.ui.layout import build_app, launch_options, theme

__all__ = ["Engine", "build_app", "launch_options", "theme"]
