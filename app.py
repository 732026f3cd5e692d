"""Start the web UI on the bundled corpus with the default models: http://127.0.0.1:7860

Wiring only: settings -> service -> UI. Loopback only, no share link, no analytics.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported: no network calls

from assistant import messages  # noqa: E402
from assistant.app.service import AssistantService  # noqa: E402
from assistant.app.ui import CSS, build_app, theme  # noqa: E402
from assistant.errors import AssistantError  # noqa: E402
from assistant.settings import Settings  # noqa: E402


def main() -> int:
    print(messages.INDEX_LOADING, file=sys.stderr, flush=True)
    try:
        settings = Settings.load()
        service = AssistantService(settings)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    app = build_app(service, default_backend=settings.backend, default_top_k=settings.top_k)
    app.queue(default_concurrency_limit=1, max_size=32)
    print(f"http://{settings.ui_host}:{settings.ui_port}", file=sys.stderr, flush=True)
    app.launch(server_name=settings.ui_host, server_port=settings.ui_port, share=False, inbrowser=False,
               theme=theme(), css=CSS, footer_links=[], max_file_size=settings.max_upload_bytes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
