"""The records that flow through the pipeline, in one place.

article files -> RawArticle -> (cleaning) Document -> (chunking) Chunk -> (retrieval) Hit
question text -> Question -> ... -> Answer with Citations to exact spans of Documents.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from assistant.arabic.morphology import tokenize
from assistant.arabic.spoken import standard_spelling
from assistant.arabic.questions import QuestionForm


@dataclass(frozen=True)
class RawArticle:
    """An article as read from a file, before cleaning. Optional fields come from structured input."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    date: str | None = None
    origin: str = ""
    """Where it was read from (a path, or path:line for JSONL)."""
    author: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> "RawArticle":
        return cls(**json.loads(line))


@dataclass(frozen=True)
class Document:
    """A cleaned article: `text` is what citations quote (offsets point into it)."""

    id: str
    title: str
    text: str
    source: str | None = None
    """The publisher, e.g. «الجزيرة»; None when the page does not say."""
    author: str | None = None
    url: str | None = None
    date: str | None = None
    title_derived: bool = False
    """True when the page had no title line and we took the first sentence."""
    appended_to: str | None = None
    """For an unrelated article glued after «إقرأ أيضاً»: the id of the host page."""
    origin: str = ""

    @property
    def content_hash(self) -> str:
        """Changes whenever anything a chunk or citation shows changes."""
        payload = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Chunk:
    """A passage of one document; `text == document.text[start:end]`."""

    chunk_id: str
    doc_id: str
    title: str
    source: str | None
    text: str
    start: int
    end: int
    date: str | None = None
    """The document's date (ISO 8601 when known)."""


@dataclass(frozen=True)
class Query:
    """A text to search for and to score sentences against, tokenised once."""

    text: str
    tokens: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> "Query":
        return cls(text, tuple(tokenize(standard_spelling(text))))  # «هالموسم» matched as «الموسم»


@dataclass(frozen=True)
class Question:
    """A question analysed once (see `retrieval.question.analyse`); every stage reads this, not the text."""

    typed: Query
    """What the user typed."""
    searched: Query
    """What is searched: `typed`, or for a follow-up the last question that stood alone + `typed`."""
    key: str
    """The typed question's match key."""
    form: QuestionForm
    """What the answer must state, read from the typed question («ومتى؟» asks for a date)."""
    arabic_share: float
    """Share of the typed question's letters in Arabic script."""
    searched_arabic_share: float
    last_answer: str = ""
    """For a follow-up: the conversation's last answer (the passage the follow-up most likely continues)."""

    @property
    def text(self) -> str:
        return self.typed.text

    @property
    def follow_up(self) -> bool:
        """Searched together with an earlier question."""
        return self.searched.text != self.typed.text

    @property
    def has_own_words(self) -> bool:
        """A follow-up with content words of its own («وكم دامت الجلسة الأولى؟», not «ولماذا؟»): they are
        searched and scored too."""
        return self.follow_up and bool(self.typed.tokens)


@dataclass(frozen=True)
class SearchFilters:
    """Which documents a search may return: by publisher and by date (inclusive days, ISO `YYYY-MM-DD`).

    A document without a date is left out of any search with a date bound."""

    sources: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None

    def __bool__(self) -> bool:
        return bool(self.sources or self.since or self.until)


@dataclass(frozen=True)
class Hit:
    """One retrieved passage with its fused score and where each retriever ranked it (1-based)."""

    rank: int
    chunk: Chunk
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None


@dataclass
class SearchResult:
    question: str
    hits: list[Hit]
    timings_ms: dict[str, float] = field(default_factory=dict)
    vector: list[float] | None = None
    """The query vector the dense search used (reused to score sentences)."""


@dataclass(frozen=True)
class Source:
    """A numbered passage shown to the model (and to the user as a citation target).

    `text == document.text[start:end]`: a sentence or two chosen from a retrieved chunk.
    """

    n: int
    doc_id: str
    chunk_id: str
    title: str
    source: str | None
    text: str
    start: int
    end: int
    score: float = 0.0


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    chunk_id: str
    title: str
    source: str
    quote: str
    start: int
    end: int

    @classmethod
    def from_source(cls, s: Source, n: int) -> "Citation":
        return cls(n, s.doc_id, s.chunk_id, s.title, s.source or "", s.text, s.start, s.end)


@dataclass
class Verification:
    sentences: int = 0
    supported: int = 0
    removed: int = 0
    recited: int = 0
    """Sentences whose citation was moved to the source that supports them."""
    notes: list[str] = field(default_factory=list)


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation]
    backend: str
    verification: Verification
    timings_ms: dict[str, float]
    id: str | None = None
    fallback_reason: str | None = None
    """Set when the requested backend failed and another one answered (e.g. LLM unreachable)."""
    standalone_question: str | None = None
    """For follow-ups: the question actually searched for."""
    refusal_reason: str | None = None
    """Why the assistant refused (e.g. no passage states the number asked for)."""
    short_answer: str | None = None
    """The shortest phrase that answers (a date, a number, a name…), taken from a cited sentence; None
    when none could be verified."""

    def to_json(self) -> dict:
        """The `ask --json` contract."""
        return {
            "id": self.id,
            "question": self.question,
            "short_answer": self.short_answer,
            "answer": self.answer,
            "refused": self.refused,
            "refusal_reason": self.refusal_reason,
            "fallback_reason": self.fallback_reason,
            "citations": [asdict(c) for c in self.citations],
            "backend": self.backend,
            "verification": {"sentences": self.verification.sentences,
                             "supported": self.verification.supported,
                             "removed": self.verification.removed},
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }


@dataclass(frozen=True)
class ListedDocument:
    """One row of the article list: no text, so a page of a large archive reads a few columns only."""

    id: str
    title: str
    source: str | None
    date: str | None
    added: bool
    """Added by a user (deletable), not bundled."""


@dataclass(frozen=True)
class CatalogPage:
    """One page of the article list, with the counts the page states."""

    rows: list[ListedDocument]
    total: int
    """Every document in the corpus."""
    matched: int
    """Those the search matches (== total without a search)."""
    added: int
    publishers: int
    page: int
    """0-based, clamped to the pages there are."""
    pages: int
    per_page: int
