"""What the page needs from the assistant. `AssistantService` implements it; the UI's tests script a fake."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Protocol

from assistant.types import Answer, CatalogPage, Citation, Document, SearchFilters

if TYPE_CHECKING:  # the page is built before the service's modules are imported (app.py, `OpeningService`)
    from assistant.app.feedback import Feedback
    from assistant.app.generation import Progress
    from assistant.app.importer import IngestReport
    from assistant.app.service import CitationContext, UploadResult, UploadStep


class Engine(Protocol):
    @property
    def backends(self) -> tuple[str, ...]:
        """Only those that can answer here."""

    def describe(self, backend: str) -> str: ...

    def stream(self, question: str, backend: str, history: list[dict[str, str]], top_k: int,
               cancel: threading.Event | None = None,
               filters: SearchFilters | None = None) -> Iterator[Progress | Answer]:
        """Progress, then the verified answer, from the articles `filters` allows; closing the iterator or
        setting `cancel` stops it."""

    def sources(self) -> list[str]:
        """The publishers a filter may name."""

    def context(self, citation: Citation) -> CitationContext: ...

    def listing(self, query: str = "", page: int = 0, per_page: int = 50) -> CatalogPage:
        """One page of the article list (never the whole archive)."""

    def document(self, doc_id: str) -> Document: ...
    def added_article(self, doc_id: str) -> str | None:
        """The article a user added that `doc_id` came from; None for a bundled one (it cannot be deleted)."""

    def delete(self, article_ids: list[str]) -> IngestReport: ...
    def upload(self, paths: list[Path]) -> Iterator[UploadStep | UploadResult]: ...
    def save_feedback(self, feedback: Feedback) -> None: ...
