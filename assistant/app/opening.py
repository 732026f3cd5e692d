"""The assistant opened off the start path: app.py serves the page at once while a thread opens the service
(the index, the embedder, the answer models); a question asked before then waits, and the page says so.

Why: of app.py's cold start, importing Gradio and opening the service each take seconds, and the page needs
only Gradio (docs/experiments.md, «Cold start of app.py»). The thread starts once the page is served: started
before Gradio's import it gained nothing, since imports hold the GIL.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any, Iterator

from assistant.app import backends
from assistant.app.generation import POLL_S, Progress
from assistant.settings import Settings
from assistant.types import Answer, SearchFilters

if TYPE_CHECKING:
    from assistant.app.service import AssistantService

log = logging.getLogger(__name__)


class OpeningService:
    """An `Engine` whose `AssistantService` is opened by a thread (`start`). The backends and
    their descriptions come from settings at once; every other call waits until the service is open, and
    raises what opening raised."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._opened = threading.Event()
        self._service: AssistantService | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._open, name="open-service", daemon=True)

    def start(self) -> OpeningService:
        """Open the service in its thread (app.py: once the page is served)."""
        self._thread.start()
        return self

    def _open(self) -> None:
        try:
            from assistant.app.service import AssistantService  # its imports are most of the opening's time

            self._service = AssistantService(self.settings)
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the service
            self._error = exc
        finally:
            self._opened.set()

    @property
    def backends(self) -> tuple[str, ...]:
        return backends.available(self.settings)

    def describe(self, backend: str) -> str:
        return backends.describe(self.settings, backend)

    def ready(self) -> bool:
        return self._opened.is_set()

    def wait(self) -> AssistantService:
        """The service, once open (what opening raised, raised again)."""
        self._opened.wait()
        if self._error is not None:
            raise self._error
        assert self._service is not None
        return self._service

    def stream(self, question: str, backend: str, history: list[dict[str, str]], top_k: int,
               cancel: threading.Event | None = None,
               filters: SearchFilters | None = None) -> Iterator[Progress | Answer]:
        """`AssistantService.stream`, after `opening` progress while the service opens."""
        while not self._opened.wait(POLL_S):
            if cancel is not None and cancel.is_set():
                return
            yield Progress("opening")
        yield from self.wait().stream(question, backend, history, top_k, cancel, filters)

    def __getattr__(self, name: str) -> Any:
        """The rest of the `Engine` (sources, listing, documents, uploads, feedback): the open service's."""
        if name.startswith("_"):  # never wait for a private or special name (copy, pickle, an early lookup)
            raise AttributeError(name)
        return getattr(self.wait(), name)


__all__ = ["OpeningService"]
