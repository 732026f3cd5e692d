"""Gradio's own labels («Drop File Here», «Clear»…) in Arabic whatever language the browser prefers.

Gradio picks its translation from `navigator.language` as its scripts start, and offers no setting for it
(translations passed to `launch(i18n=…)` are overridden by its built-in ones). So the page's HTML gets an
inline script, before Gradio's deferred module scripts run, that makes the browser report Arabic; Gradio
then loads its own Arabic strings. A few screen-reader labels Gradio never translates are rewritten from
`messages.GRADIO_LABELS` as they appear. ASGI middleware, so nothing else about the responses changes.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Awaitable, Callable

from assistant import messages

ARABIC_FIRST = ("<script>" + resources.files("assistant.app.ui").joinpath("static", "locale.js").read_text("utf-8")
                .replace("__LABELS__", json.dumps(messages.GRADIO_LABELS, ensure_ascii=False)) + "</script>").encode("utf-8")
"""The script put first in every page (static/locale.js with the labels filled in)."""

Scope = dict[str, Any]
Message = dict[str, Any]


def with_arabic_first(page: bytes) -> bytes:
    """The page with the script right after `<head>` (unchanged if it has no head)."""
    at = page.find(b"<head>")
    return page if at < 0 else page[:at + 6] + ARABIC_FIRST + page[at + 6:]


class ArabicPage:
    """Rewrites uncompressed HTML pages; every other response passes through untouched."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: Message = {}
        body: list[bytes] = []

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                if b"text/html" in headers.get(b"content-type", b"") and b"content-encoding" not in headers:
                    start.update(message)
                    return
                await send(message)
            elif start and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if not message.get("more_body"):
                    page = with_arabic_first(b"".join(body))
                    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                    await send({**start, "headers": [*headers, (b"content-length", str(len(page)).encode())]})
                    await send({"type": "http.response.body", "body": page})
            else:
                await send(message)

        await self.app(scope, receive, rewrite)
