"""The assistant as one object for front ends: ask (with progress, filtered by publisher or date),
list/show/delete documents, add files (with progress, news dumps too).

The web UI is a thin adapter over this; it never touches the index or the corpus directly. The corpus is
read live (SQLite); the index is followed (`Store.refresh`) when another process (`assistant ingest`,
`assistant delete`) changed it, so a page never quotes stale text.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from assistant.answer.answerer import Answerer
from assistant.app import backends, importer
from assistant.app.feedback import Feedback, FeedbackLog
from assistant.app.generation import Lane, Progress, Run
from assistant.app.uploads import UploadResult, UploadStep, ingest_file
from assistant.app.wiring import Pipeline, open_pipeline
from assistant.factory import create
from assistant.ingest.corpus import DocumentInfo
from assistant.ingest.listing import PER_PAGE
from assistant.llm import model_files
from assistant.llm.base import ChatModel, ChatModels, ModelFactory
from assistant.redact import strip_userinfo
from assistant.settings import Settings
from assistant.types import Answer, CatalogPage, Citation, Document, SearchFilters, SearchResult

log = logging.getLogger(__name__)

CONTEXT_CHARS = 220
"""Text shown on each side of a cited sentence on its source card."""
LANE_WIDTHS = {"local": 1, "hosted": 4}
"""Generations at once per LLM backend: the local model uses both cores; a server takes a few."""


@dataclass(frozen=True)
class CitationContext:
    """A citation with the text around it, for a card that highlights the quoted sentence."""

    citation: Citation
    before: str
    after: str
    date: str | None = None


class AssistantService:
    """Owns the pipeline; the index is appended to when documents are added, and followed when another
    process changes it."""

    def __init__(self, settings: Settings, pipeline: Pipeline | None = None,
                 make_model: ModelFactory | None = None) -> None:
        """`make_model`: backend name -> chat model (default: the factory's; tests script one)."""
        self.settings = settings
        make = make_model or (lambda backend: create("llm", backend, settings))
        self.models = ChatModels(settings, make=lambda backend: _Announced(make(backend)))
        self.feedback_log = FeedbackLog(settings.feedback_file)
        self._lanes = {backend: Lane(width) for backend, width in LANE_WIDTHS.items()}
        self._lock = threading.RLock()
        self._pipeline = pipeline or open_pipeline(settings)
        self._answerer = Answerer(self._pipeline, self.models)

    # ---- answering -----------------------------------------------------------------------------

    @property
    def backends(self) -> tuple[str, ...]:
        """Only the backends that can run here: the local model when installed, a server when configured."""
        return backends.available(self.settings)

    def describe(self, backend: str) -> str:
        """What a backend runs, for the settings panel: a model name, never an address or a key."""
        return backends.describe(self.settings, backend)

    def stream(self, question: str, backend: str, history: list[dict[str, str]], top_k: int,
               cancel: threading.Event | None = None,
               filters: SearchFilters | None = None) -> Iterator[Progress | Answer]:
        """Progress, then the verified `Answer`; for an instant answer, then `refining` and, when the refiner
        found a better short answer, the same answer with it (`refiner`). The LLM's own text is never passed on
        (it is unverified).

        An LLM question first waits for its lane (reported as `waiting`); an extractive one never waits.
        Closing this iterator, or setting `cancel`, stops the answer and closes the backend's stream.
        `filters` restricts the articles searched."""
        answerer = self._current_answerer()
        if filters:
            answerer = answerer.over(self._pipeline.filtered(filters))
        lane = self._lanes.get(backend)
        ticket = object()
        if lane is not None:
            try:
                while (ahead := lane.wait(ticket, 0.5)) is not None:
                    if cancel is not None and cancel.is_set():
                        return
                    yield Progress("waiting", ahead=ahead)
            finally:
                lane.leave(ticket)

        def work(report, stop: threading.Event) -> None:
            self._answer(answerer, question, backend, history, top_k, report, stop)

        run = Run(work, on_exit=lane.release if lane is not None else None)
        yield from run.items(cancel)

    def _answer(self, answerer: Answerer, question: str, backend: str, history: list[dict[str, str]],
                top_k: int, report, stop: threading.Event) -> None:
        report(Progress("searching"))
        if backend == "local" and self.models.loaded("local") is None:
            self._prepare_local(report)
        writing = False
        answers = answerer.stream(question, backend=backend, history=history, top_k=top_k)
        try:
            for item in answers:
                if stop.is_set():
                    return
                if isinstance(item, Answer):
                    if item.fallback_reason:
                        log.warning("answered without the %s model: %s", backend, strip_userinfo(item.fallback_reason))
                    report(item)
                    if backend == "extractive":  # never a fallback: its run still holds the model's lane
                        self._refine(answerer, item, report, stop)
                    return
                if not item:  # the model was called: it reads its prompt before the first token
                    report(Progress("reading"))
                elif not writing:
                    writing = True
                    report(Progress("writing"))
        finally:
            answers.close()

    def refiner(self, answer: Answer) -> str | None:
        """The model that refines this answer's short answer (`settings.short_answer_refiner`): only an answer
        `Answerer.refinable` allows, and only where that model can run here."""
        refiner = self.settings.short_answer_refiner
        if refiner == "off" or refiner not in self.backends or not Answerer.refinable(answer):
            return None
        return refiner

    def _refine(self, answerer: Answerer, answer: Answer, report, stop: threading.Event) -> None:
        """After the instant answer is shown: the refiner's copy of its short answer, as a second answer. It
        takes its turn in the refiner's lane like any generation; stopping leaves the instant answer."""
        refiner = self.refiner(answer)
        if refiner is None:
            return
        report(Progress("refining"))
        lane, ticket = self._lanes[refiner], object()
        try:
            while (ahead := lane.wait(ticket, 0.5)) is not None:
                if stop.is_set():
                    return
                report(Progress("waiting", ahead=ahead))
        finally:
            lane.leave(ticket)
        try:
            if stop.is_set():
                return
            if refiner == "local" and self.models.loaded("local") is None:
                self._prepare_local(report)
            report(Progress("refining"))
            refined = answerer.refine(answer, refiner)
        finally:
            lane.release()
        if refined is not None and not stop.is_set():
            report(refined)

    def _prepare_local(self, report) -> None:
        """First use: assemble and check the model file (with a percentage), then load it. A failure is left
        to the answerer, which answers without the model and says why."""
        try:
            model_files.ensure_model(self.settings.model_cache_dir,
                                     progress=lambda done: report(Progress("preparing", percent=int(done * 100))))
            report(Progress("loading"))
            self.models.get("local")
        except Exception as exc:  # noqa: BLE001 - reported by the answerer's fallback
            log.warning("the local model could not be prepared: %s", exc)

    def search(self, question: str, top_k: int, filters: SearchFilters | None = None) -> SearchResult:
        """The passages only (as `assistant search`)."""
        self._current_answerer()
        return self._pipeline.retriever.search(question, k=top_k, filters=filters)

    def sources(self) -> list[str]:
        """The publishers a filter may name (the index followed first, as for a search)."""
        self._current_answerer()
        return self._pipeline.store.sources()

    # ---- documents -----------------------------------------------------------------------------

    def documents(self) -> list[Document]:
        """Every document with its text (reads the whole corpus: see `catalog` for a large archive)."""
        return self._pipeline.corpus.documents()

    def catalog(self) -> list[DocumentInfo]:
        """Every document's id, title, publisher and date, without reading any text."""
        return self._pipeline.corpus.catalog()

    def listing(self, query: str = "", page: int = 0, per_page: int = PER_PAGE) -> CatalogPage:
        """One page of the article list (searched by title, publisher, date), never the whole archive."""
        return self._pipeline.corpus.page(query, page, per_page)

    def document(self, doc_id: str) -> Document:
        """One document, reading its own row only (an InputError when there is none)."""
        return self._pipeline.corpus.get(doc_id)

    def context(self, citation: Citation) -> CitationContext:
        """The cited document only is read (one row), never the corpus."""
        doc = self.document(citation.doc_id)
        before = doc.text[max(0, citation.start - CONTEXT_CHARS):citation.start]
        after = doc.text[citation.end:citation.end + CONTEXT_CHARS]
        return CitationContext(citation, before, after, doc.date)

    def added(self) -> dict[str, str]:
        """Document id -> article id, for the articles a user added (those can be deleted; bundled ones not)."""
        return self._pipeline.corpus.added_documents()

    def added_article(self, doc_id: str) -> str | None:
        """The added article `doc_id` belongs to (None when bundled or unknown), reading one row."""
        return self._pipeline.corpus.added_article(doc_id)

    def deletable(self, doc_id: str) -> bool:
        return self.added_article(doc_id) is not None

    def delete(self, article_ids: list[str]) -> importer.IngestReport:
        """Remove added articles (by article id) and their chunks; every other article stays as it was. An id
        that names no added article is an error in the result, and nothing else is touched."""
        with self._lock:
            report = importer.delete(self._pipeline, article_ids)
            self._answerer = Answerer(self._pipeline, self.models)
        return report

    # ---- uploads and feedback --------------------------------------------------------------------

    def upload(self, paths: list[Path]) -> Iterator[UploadStep | UploadResult]:
        """Store each file's articles through the importer (as `assistant ingest`), reporting each file and
        its articles as they go; the index is appended to, embedding only new text. Every file gets its own
        result; one bad file never stops the others."""
        result = UploadResult()
        total = len(paths)

        def work(report, stop: threading.Event) -> None:
            for i, path in enumerate(paths, start=1):
                if stop.is_set():
                    return
                report(UploadStep("reading", i, total, path.name))

                def counted(r: importer.IngestReport, i: int = i, name: str = path.name) -> None:
                    report(UploadStep("indexing", i, total, name, r.done, r.total))

                with self._lock:
                    result.files.append(ingest_file(self._pipeline, path, self.settings.max_upload_bytes, counted))
            if result.changed:
                with self._lock:  # the answerer knows the index's vocabulary: rebuilt once for the new one
                    self._answerer = Answerer(self._pipeline, self.models)

        yield from Run(work).items(start=UploadStep("reading", 0, total, ""))
        yield result

    def add_files(self, paths: list[Path]) -> UploadResult:
        """`upload`, consumed."""
        *_, result = self.upload(paths)
        assert isinstance(result, UploadResult)
        return result

    def save_feedback(self, feedback: Feedback) -> None:
        """Kept on this machine only (settings.feedback_file); `assistant eval --feedback` reviews it."""
        self.feedback_log.add(feedback)

    # ---- staying current -------------------------------------------------------------------------

    def _current_answerer(self) -> Answerer:
        """The answerer, rebuilt when another process changed the index since the last question."""
        with self._lock:
            if self._pipeline.store.refresh():
                log.info("the index changed on disk; following it")
                self._answerer = Answerer(self._pipeline, self.models)
            return self._answerer


class _Announced:
    """A chat model whose stream starts with an empty piece: the moment it was called (it then reads its
    prompt, which on two cores takes longer than the search before it)."""

    def __init__(self, model: ChatModel) -> None:
        self._model = model
        self.name = model.name

    def stream(self, chat: list[dict[str, str]], max_tokens: int) -> Iterator[str]:
        yield ""
        yield from self._model.stream(chat, max_tokens)

    def __getattr__(self, name: str):
        return getattr(self._model, name)


__all__ = ["AssistantService", "CitationContext", "UploadResult", "UploadStep"]
