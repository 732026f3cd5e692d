"""`assistant eval --squad FILE`: any SQuAD-format file as its own corpus, in an isolated index.

Each article becomes a document (its paragraphs joined), indexed once under HOME/.cache/squad/<file hash>.
Every question is asked three times: of that corpus; of the same corpus without the question's own article
(SQuAD 2.0 style: a near-domain question the corpus cannot answer); and of the bundled news articles (off
topic). Scores (see `squad_metrics`): containment of the gold answer, short-answer exact match and F1,
citation of the gold article, wrong refusals, answer length, latency, and both refusal rates.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from assistant.answer.answerer import Answerer
from assistant.app.wiring import Pipeline, open_pipeline
from assistant.errors import InputError
from assistant.evaluation.squad_refs import rebuild
from assistant.index.base import DocumentList
from assistant.ingest.loaders import safe_id
from assistant.retrieval.hybrid import HybridRetriever, Mode
from assistant.settings import Settings, shared_dataset
from assistant.types import Answer, Document, Query, SearchResult

WIDE_K = 200
"""Passages fetched before one article's are set aside (more than any article has)."""


@dataclass(frozen=True)
class SquadQuestion:
    id: str
    question: str
    answers: tuple[str, ...]
    doc_id: str
    impossible: bool
    spans: tuple[tuple[int, int], ...] = ()
    """Where the gold answers stand in the document's text (for training the sentence ranker)."""


@dataclass(frozen=True)
class SquadSet:
    name: str
    documents: list[Document]
    questions: list[SquadQuestion]
    digest: str


def load_squad(path: Path, archive: Path | None = None) -> SquadSet:
    """A SQuAD v1/v2 file: one document per article (paragraphs joined by a blank line). A `.jsonl` file holds
    question references into the licensed news archive (`squad_refs`), whose zips are in `archive`."""
    try:
        if path.suffix == ".jsonl":
            rebuilt = rebuild(path, archive or shared_dataset("saudinewsnet") or Path("saudinewsnet"))
            raw = json.dumps(rebuilt, ensure_ascii=False, sort_keys=True).encode()
        else:
            raw = path.read_bytes()
        data = json.loads(raw)["data"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a readable SQuAD file ({exc})") from None
    documents, questions, seen = [], [], set()
    for n, article in enumerate(data):
        doc_id = _unique(safe_id(str(article.get("title") or f"article-{n}"))[:80], seen)
        text, offset = "", 0
        for paragraph in article["paragraphs"]:
            context = paragraph["context"]
            lead = len(context) - len(context.lstrip())
            text += ("\n\n" if text else "") + context.strip()
            offset = len(text) - len(context.strip())
            for qa in paragraph["qas"]:
                answers = tuple(dict.fromkeys(a["text"] for a in qa.get("answers", []) if a.get("text")))
                spans = tuple((offset + a["answer_start"] - lead, offset + a["answer_start"] - lead + len(a["text"]))
                              for a in qa.get("answers", []) if a.get("text") and isinstance(a.get("answer_start"), int))
                impossible = bool(qa.get("is_impossible")) or not answers
                questions.append(SquadQuestion(str(qa["id"]), qa["question"], answers, doc_id, impossible, spans))
        documents.append(Document(id=doc_id, title=str(article.get("title") or doc_id), text=text,
                                  source=article.get("source"), url=article.get("url"), origin=str(path)))
    return SquadSet(path.stem, documents, questions, hashlib.sha256(raw).hexdigest()[:16])


def _unique(doc_id: str, seen: set[str]) -> str:
    candidate, n = doc_id, 1
    while candidate in seen:
        n += 1
        candidate = f"{doc_id}-{n}"
    seen.add(candidate)
    return candidate


class FixedCorpus(DocumentList):
    """The documents of a SQuAD file, as the corpus the pipeline indexes (held in memory, never cleaned:
    the gold answers' offsets point into the text as given)."""

    def get(self, doc_id: str) -> Document:
        return self.docs[doc_id]


class WithoutDocument:
    """A retriever that never returns one document's passages: the corpus as if that article were missing
    (the fusion is recomputed without them; idf still counts the article, a small approximation)."""

    def __init__(self, inner: HybridRetriever, doc_id: str) -> None:
        self.inner, self.doc_id = inner, doc_id
        self.store, self.embedder, self.settings = inner.store, inner.embedder, inner.settings

    def search(self, query: Query | str, k: int | None = None, mode: Mode = "hybrid") -> SearchResult:
        found = self.inner.search(query, k=WIDE_K, mode=mode)
        kept = [h for h in found.hits if h.chunk.doc_id != self.doc_id][:k or self.settings.top_k]
        hits = [dataclasses.replace(h, rank=i) for i, h in enumerate(kept, start=1)]
        return SearchResult(found.question, hits, found.timings_ms, found.vector)


@dataclass
class Asked:
    """One question's three answers."""

    question: SquadQuestion
    answer: Answer
    without_article: Answer | None
    off_topic: Answer


def open_squad(settings: Settings, squad: SquadSet, embedder=None) -> Pipeline:  # noqa: ANN001
    """The file's own index, kept under HOME/.cache/squad/<hash> and reused by later runs."""
    home = settings.home / ".cache" / "squad"
    isolated = settings.with_overrides(index_dir=home / squad.digest, user_corpus_dir=home / "no-user-articles")
    return open_pipeline(isolated, embedder=embedder, corpus=FixedCorpus(squad.documents))


def news_pipeline(settings: Settings, embedder=None) -> Pipeline:  # noqa: ANN001
    """The bundled news articles alone (no user articles), for off-topic questions."""
    home = settings.home / ".cache" / "squad"
    news = settings.with_overrides(index_dir=home / "news", user_corpus_dir=home / "no-user-articles")
    return open_pipeline(news, embedder=embedder)


def ask_all(settings: Settings, squad: SquadSet, questions: list[SquadQuestion], backend: str,
            embedder=None, refiner: str | None = None) -> Iterator[Asked]:  # noqa: ANN001
    pipeline = open_squad(settings, squad, embedder)
    answerer = Answerer(pipeline)
    news = Answerer(news_pipeline(settings, pipeline.embedder), answerer.models, answerer.prompts)
    for q in questions:
        answer = answerer.ask(q.question, backend=backend, qid=q.id)
        if refiner:  # as the page shows it once refined
            answer = answerer.refine(answer, refiner) or answer
        without = None
        if not q.impossible:
            blind = dataclasses.replace(pipeline, retriever=WithoutDocument(pipeline.retriever, q.doc_id))
            without = answerer.over(blind).ask(q.question, backend=backend)
        yield Asked(q, answer, without, news.ask(q.question, backend=backend))
