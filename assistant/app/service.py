"""The assistant as one object for front ends: ask (streaming, filtered by publisher or date), list/show
documents, add files (with progress) and delete them.

The web UI is a thin adapter over this; it never touches the index or the corpus directly.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from assistant import messages
from assistant.answer.answerer import Answerer
from assistant.app import importer
from assistant.app.wiring import Pipeline, open_pipeline
from assistant.ingest.corpus import AddResult, DocumentInfo
from assistant.ingest.loaders import SUPPORTED_SUFFIXES
from assistant.settings import BACKENDS, Settings
from assistant.types import Answer, Citation, Document, SearchFilters, SearchResult

CONTEXT_CHARS = 220
"""Text shown on each side of a cited sentence on its source card."""
UploadProgress = Callable[[int, int, float | None], None]
"""(articles done, articles in all, seconds left or None) during an upload."""


@dataclass
class UploadResult(AddResult):
    """What an upload did; `embedded` counts the sentences that needed new vectors."""

    embedded: int = 0


@dataclass(frozen=True)
class CitationContext:
    """A citation with the text around it, for a card that highlights the quoted sentence."""

    citation: Citation
    before: str
    after: str


class AssistantService:
    """Owns the pipeline; the index is appended to when documents are added, and followed when another
    process (a CLI ingest) changes it."""

    def __init__(self, settings: Settings, pipeline: Pipeline | None = None) -> None:
        self.settings = settings
        self._pipeline = pipeline or open_pipeline(settings)
        self._answerer = Answerer(self._pipeline)
        self._lock = threading.Lock()

    @property
    def backends(self) -> tuple[str, ...]:
        return BACKENDS

    def describe(self, backend: str) -> str:
        """What a backend runs, for the settings panel."""
        s = self.settings
        return messages.BACKEND_DESCRIPTIONS[backend].format(
            model=s.llm_model or messages.HOSTED_NOT_SET, base_url=s.llm_base_url or "ASSISTANT_LLM_BASE_URL")

    def stream(self, question: str, backend: str, history: list[dict[str, str]], top_k: int,
               filters: SearchFilters | None = None) -> Iterator[str | Answer]:
        """The answer as it is written, then the verified `Answer`; `filters` restricts the articles searched."""
        answerer = self._current_answerer()
        if filters:
            answerer = Answerer(self._pipeline.filtered(filters), answerer.models, answerer.prompts)
        yield from answerer.stream(question, backend=backend, history=history, top_k=top_k)

    def search(self, question: str, top_k: int, filters: SearchFilters | None = None) -> SearchResult:
        """The passages only (as `assistant search`)."""
        self._current_answerer()
        return self._pipeline.retriever.search(question, k=top_k, filters=filters)

    def sources(self) -> list[str]:
        """The publishers a filter may name."""
        return self._pipeline.store.sources()

    def documents(self) -> list[Document]:
        """Every document with its text (reads the whole corpus: see `catalog` for a large archive)."""
        return self._pipeline.corpus.documents()

    def catalog(self) -> list[DocumentInfo]:
        """Every document's id, title, publisher and date, without reading any text."""
        return self._pipeline.corpus.catalog()

    def document(self, doc_id: str) -> Document:
        return self._pipeline.corpus.get(doc_id)

    def context(self, citation: Citation) -> CitationContext:
        """The cited document only is read (one row), never the corpus."""
        text = self.document(citation.doc_id).text
        before = text[max(0, citation.start - CONTEXT_CHARS):citation.start]
        after = text[citation.end:citation.end + CONTEXT_CHARS]
        return CitationContext(citation, before, after)

    def add_files(self, paths: list[Path], replace: bool = False,
                  progress: UploadProgress | None = None) -> UploadResult:
        """Validate and add uploaded files (a .zip or .json dump too); the index is appended to, embedding
        only new text. An article never replaces a different one unless `replace` is set."""
        bad_type = [p for p in paths if p.suffix.lower() not in SUPPORTED_SUFFIXES]
        result = UploadResult(errors=[messages.UNSUPPORTED_FILE.format(name=p.name) for p in bad_type])
        report_progress = (lambda r: progress(r.done, r.total, r.eta_s)) if progress else None
        with self._lock:
            report = importer.ingest(self._pipeline, [p for p in paths if p not in bad_type], replace=replace,
                                     max_bytes=self.settings.max_upload_bytes, progress=report_progress)
            self._answerer = Answerer(self._pipeline, self._answerer.models, self._answerer.prompts)
        result.errors += report.errors
        result.added, result.updated, result.unchanged = report.added, report.updated, report.unchanged
        result.renamed, result.embedded = report.notes, report.embedded
        return result

    def delete(self, article_ids: list[str]) -> UploadResult:
        with self._lock:
            report = importer.delete(self._pipeline, article_ids)
            self._answerer = Answerer(self._pipeline, self._answerer.models, self._answerer.prompts)
        return UploadResult(updated=report.updated, errors=report.errors)

    def _current_answerer(self) -> Answerer:
        """The answerer, rebuilt when another process changed the index since the last question."""
        with self._lock:
            if self._pipeline.store.refresh():
                self._answerer = Answerer(self._pipeline, self._answerer.models, self._answerer.prompts)
            return self._answerer
