"""What the assistant returns: an answer, its citations and what verification changed."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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
    """Why the assistant refused (e.g. no passage states the number asked for); for logs and eval
    reports, kept out of the `ask --json` contract."""

    def to_json(self) -> dict:
        """The `ask --json` contract."""
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [asdict(c) for c in self.citations],
            "backend": self.backend,
            "verification": {"sentences": self.verification.sentences,
                             "supported": self.verification.supported,
                             "removed": self.verification.removed},
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
        }
