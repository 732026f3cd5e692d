"""An ingest, resumable: files and dumps -> stored articles -> appended to the index, batch by batch.

Each batch is committed to the corpus, then to the index, so a kill loses at most the batch in flight:
run the same ingest again and the stored articles are found unchanged, any that reached the corpus but not
the index are indexed from their stored text (`Store.sync`), and nothing already embedded is embedded
again. Nothing is written before both the corpus and the index are known to be writable.
"""

from __future__ import annotations

import itertools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from assistant.errors import ArticleError, StorageError
from assistant.ingest.corpus import Cleaned, Corpus
from assistant.ingest.loaders import articles, plan
from assistant.ingest.records import FieldMap
from assistant.types import RawArticle

if TYPE_CHECKING:  # the page imports this before the pipeline is open (app.py)
    from assistant.app.wiring import Pipeline

Progress = Callable[["IngestReport"], None]
Cleaner = Callable[[list[RawArticle]], Cleaned]
"""Cleans a batch's articles elsewhere (`--ray`: Ray tasks); the documents by position in the batch."""


@dataclass
class IngestReport:
    """What an ingest did, and how far it is (for progress bars: done / total, ETA)."""

    total: int = 0
    done: int = 0
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Articles stored under another id than their own, and why."""
    embedded: int = 0
    words: int = 0
    started: float = field(default_factory=time.perf_counter)

    @property
    def eta_s(self) -> float | None:
        elapsed = time.perf_counter() - self.started
        return elapsed / self.done * (self.total - self.done) if self.done else None


def ingest(pipeline: Pipeline, paths: list[Path], replace: bool = False, fields: FieldMap | None = None,
           max_bytes: int | None = None, progress: Progress | None = None,
           cleaner: Cleaner | None = None) -> IngestReport:
    """Add the articles under `paths` to the pipeline's corpus and index; a bad file or record is reported.
    With a `cleaner`, articles not stored yet are cleaned by it (their documents stored as it gives them)."""
    corpus, store = pipeline.corpus, pipeline.store
    found = plan(paths, max_bytes)
    report = IngestReport(total=found.count(), errors=list(found.errors))
    if not found.parts:
        return report
    check_writable(pipeline)
    synced = store.sync(corpus)  # finishes an ingest that was killed between its corpus and index commits
    report.embedded += synced.embedded if synced else 0
    items = articles(found.parts, max_bytes, fields)
    while batch := list(itertools.islice(items, pipeline.settings.ingest_batch_articles)):
        good = [a for a in batch if isinstance(a, RawArticle)]
        report.errors += [str(e) for e in batch if isinstance(e, ArticleError)]
        result = corpus.add(good, replace=replace, cleaned=_cleaned(corpus, good, cleaner))
        report.added += result.added
        report.updated += result.updated
        report.unchanged += result.unchanged
        report.errors += result.errors
        report.notes += result.renamed
        if result.removed:
            store.delete(result.removed)
        if result.changed:
            stats = store.upsert(corpus.documents(result.changed))
            report.embedded += stats.embedded
        report.done += len(batch)
        report.words += sum(len(a.text.split()) for a in good)
        if progress is not None:
            progress(report)
    return report


def _cleaned(corpus: Corpus, good: list[RawArticle], cleaner: Cleaner | None) -> Cleaned | None:
    """The cleaner's documents for the articles of `good` that are not stored already (those stay unchanged)."""
    if cleaner is None:
        return None
    todo = [at for at, stored in enumerate(corpus.stored(good)) if not stored]
    return {todo[at]: docs for at, docs in cleaner([good[at] for at in todo]).items()}


def delete(pipeline: Pipeline, article_ids: list[str]) -> IngestReport:
    """Remove user articles from the corpus and their chunks from the index."""
    check_writable(pipeline)
    result = pipeline.corpus.delete(article_ids)
    if result.removed:
        pipeline.store.delete(result.removed)
    return IngestReport(total=len(article_ids), done=len(article_ids), updated=result.updated, errors=result.errors)


def check_writable(pipeline: Pipeline) -> None:
    """Both the corpus and the index must take writes, or nothing is written (a one-line StorageError)."""
    corpus_db = pipeline.corpus.db
    corpus_db.conn  # noqa: B018 - opened now, so `read_only` is known
    index = pipeline.settings.index_dir
    for folder, what in ((corpus_db.path.parent, "the articles folder"), (index, "the index folder"),
                         (index / "current", "the index folder")):
        probe = folder.resolve() if folder.exists() else folder.parent
        if (corpus_db.read_only and what == "the articles folder") or not os.access(probe, os.W_OK):
            raise StorageError(f"{what} {folder} is not writable; nothing was changed (answers still come "
                               f"from the index as it is)")
