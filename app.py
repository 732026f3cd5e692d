"""Start the web UI on the bundled corpus with the default models: http://127.0.0.1:7860

Wiring only: settings -> service -> UI. Loopback only, no share link, no analytics. The page is served while
the service opens in a thread (`OpeningService`); a question asked before then waits for it. If opening
fails, the server stops and the error is one line (exit code 2), as when nothing was served.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported: no network calls

from assistant import messages  # noqa: E402
from assistant.app.opening import OpeningService  # noqa: E402
from assistant.app.ui import build_app, launch_options  # noqa: E402
from assistant.errors import AssistantError  # noqa: E402
from assistant.settings import Settings  # noqa: E402

QUEUE_SIZE = 64


def main() -> int:
    print(messages.INDEX_LOADING, file=sys.stderr, flush=True)
    try:
        settings = Settings.load()
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    service = OpeningService(settings)  # opened once the page is served (docs/experiments.md, «Cold start»)
    app = build_app(service, default_backend=settings.backend, default_top_k=settings.top_k)
    app.queue(default_concurrency_limit=1, max_size=QUEUE_SIZE)
    print(f"http://{settings.ui_host}:{settings.ui_port}", file=sys.stderr, flush=True)
    app.launch(prevent_thread_lock=True, **launch_options(settings))
    try:
        service.start().wait()
    except (AssistantError, KeyboardInterrupt) as exc:
        app.close()
        if isinstance(exc, KeyboardInterrupt):
            return 130
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(messages.INDEX_READY, file=sys.stderr, flush=True)
    app.block_thread()
    return 0


if __name__ == "__main__":
    sys.exit(main())
