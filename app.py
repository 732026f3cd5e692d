"""Start the web UI on the bundled corpus with the default models: http://127.0.0.1:7860

Wiring only: settings -> service -> UI. Loopback only, no share link, no analytics.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported: no network calls

from assistant import messages  # noqa: E402
from assistant.app.service import AssistantService  # noqa: E402
from assistant.app.ui import build_app, launch_options  # noqa: E402
from assistant.errors import AssistantError  # noqa: E402
from assistant.settings import Settings  # noqa: E402

QUEUE_SIZE = 64


def main() -> int:
    print(messages.INDEX_LOADING, file=sys.stderr, flush=True)
    try:
        settings = Settings.load()
        service = AssistantService(settings)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    app = build_app(service, default_backend=settings.backend, default_top_k=settings.top_k)
    app.queue(default_concurrency_limit=1, max_size=QUEUE_SIZE)
    print(f"http://{settings.ui_host}:{settings.ui_port}", file=sys.stderr, flush=True)
    app.launch(**launch_options(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
