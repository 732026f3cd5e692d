"""The assistant as one object for front ends: ask (streaming), list/show documents, add files.

The web UI is a thin adapter over this; it never touches the index or the corpus directly.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from assistant import messages
from assistant.answer.answerer import Answerer
from assistant.app.wiring import Pipeline, open_pipeline
from assistant.ingest.corpus import AddResult
from assistant.ingest.loaders import SUPPORTED_SUFFIXES, load_paths
from assistant.settings import BACKENDS, Settings
from assistant.types import Answer, Citation, Document

CONTEXT_CHARS = 220
"""Text shown on each side of a cited sentence on its source card."""


@dataclass
class UploadResult(AddResult):
    """What an upload did; `embedded` counts the chunks that needed new vectors."""

    embedded: int = 0


@dataclass(frozen=True)
class CitationContext:
    """A citation with the text around it, for a card that highlights the quoted sentence."""

    citation: Citation
    before: str
    after: str


class AssistantService:
    """Owns the pipeline; rebuilds it (incrementally) when documents are added."""

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

    def stream(self, question: str, backend: str, history: list[dict[str, str]], top_k: int) -> Iterator[str | Answer]:
        yield from self._answerer.stream(question, backend=backend, history=history, top_k=top_k)

    def documents(self) -> list[Document]:
        return self._pipeline.corpus.documents()

    def document(self, doc_id: str) -> Document:
        return self._pipeline.corpus.get(doc_id)

    def context(self, citation: Citation) -> CitationContext:
        text = self.document(citation.doc_id).text
        before = text[max(0, citation.start - CONTEXT_CHARS):citation.start]
        after = text[citation.end:citation.end + CONTEXT_CHARS]
        return CitationContext(citation, before, after)

    def add_files(self, paths: list[Path]) -> UploadResult:
        """Validate and add uploaded files; the index is updated, re-embedding only new text."""
        bad_type = [p for p in paths if p.suffix.lower() not in SUPPORTED_SUFFIXES]
        report = load_paths([p for p in paths if p not in bad_type], max_bytes=self.settings.max_upload_bytes)
        result = UploadResult(errors=[messages.UNSUPPORTED_FILE.format(name=p.name) for p in bad_type] + report.errors)
        if not report.articles:
            return result
        with self._lock:
            added = self._pipeline.corpus.add(report.articles)
            result.errors += added.errors
            result.added, result.updated, result.unchanged = added.added, added.updated, added.unchanged
            if added.added or added.updated:
                self._pipeline = open_pipeline(self.settings, embedder=self._pipeline.embedder)
                self._answerer = Answerer(self._pipeline, self._answerer.models, self._answerer.prompts)
                stats = self._pipeline.build_stats
                result.embedded = stats.embedded if stats else 0
        return result
