"""👍/👎 on answers, kept on this machine only, and the 👎 ones turned into a file to review.

A person rates an answer in the page; the record (question, answer as shown, its citations, the publisher
and date filter it was asked under, an optional note) is appended to a JSON Lines file under the data folder
and sent nowhere else. `assistant eval --feedback` writes the answers rated 👎 as eval cases with empty
expectations for a reviewer to fill in, so a bad answer seen once becomes a question the eval asks every time.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import InputError
from assistant.io import write_atomic

log = logging.getLogger(__name__)

DAY = r"^\d{4}-\d{2}-\d{2}$"


class Cited(BaseModel):
    model_config = ConfigDict(extra="ignore")

    n: int = Field(ge=1, le=99)
    doc_id: str = Field(max_length=300)
    quote: str = Field(max_length=3000)


class Restriction(BaseModel):
    """The articles an answer was searched in: publishers (none: all) and inclusive ISO days. A rating keeps
    it, so a bad answer can be asked again of the same articles; the chat's `TurnFilter` is one."""

    model_config = ConfigDict(extra="ignore")

    sources: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list, max_length=100)
    since: str | None = Field(None, pattern=DAY)
    until: str | None = Field(None, pattern=DAY)


class Feedback(BaseModel):
    """One rating. It comes from a browser, so every field is checked and bounded."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    answer_id: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    rating: Literal["up", "down"]
    note: str = Field("", max_length=2000)
    question: str = Field(max_length=4000)
    answer: str = Field(max_length=20000)
    backend: str = Field("", max_length=40)
    citations: list[Cited] = Field(default_factory=list, max_length=50)
    filter: Restriction = Field(default_factory=Restriction)
    """The filter in force when the question was asked (empty: every article)."""
    at: str = ""
    """When it was saved (UTC, ISO 8601), set by `FeedbackLog.add`."""

    @classmethod
    def parse(cls, data: object) -> "Feedback":
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise InputError(f"feedback not saved: {exc.errors()[0]['msg']}") from None


class FeedbackLog:
    """An append-only JSON Lines file; the latest rating of an answer counts."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def add(self, feedback: Feedback) -> Feedback:
        stamped = feedback.model_copy(update={"at": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        line = json.dumps(stamped.model_dump(), ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
        return stamped

    def latest(self) -> list[Feedback]:
        """The last rating of each answer, in the order first rated; a damaged line is skipped and logged."""
        if not self.path.is_file():
            return []
        by_answer: dict[str, Feedback] = {}
        for n, line in enumerate(self.path.read_text("utf-8", errors="replace").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = Feedback.model_validate(json.loads(line))
            except (ValueError, ValidationError):
                log.warning("%s:%d: not a feedback record; skipped", self.path, n)
                continue
            by_answer[record.answer_id] = record
        return list(by_answer.values())


def review_cases(ratings: list[Feedback]) -> list[dict]:
    """The answers rated 👎 as eval cases (the eval's JSONL shape) whose expectations a reviewer fills in."""
    return [{"id": f"feedback-{r.answer_id}", "question": r.question, "answer": "", "key_facts": [],
             "gold_docs": [], "evidence": [],
             "review": {"given_answer": r.answer, "backend": r.backend, "note": r.note, "rated_at": r.at,
                        "citations": [c.model_dump() for c in r.citations], "filter": r.filter.model_dump()}}
            for r in ratings if r.rating == "down"]


def write_review(log_path: Path, out: Path | None = None) -> tuple[int, Path]:
    """Write the review file (default: beside the feedback file); how many cases, and where."""
    out = out or log_path.with_name("feedback_review.jsonl")
    cases = review_cases(FeedbackLog(log_path).latest())
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases))
    return len(cases), out


__all__ = ["Feedback", "FeedbackLog", "Restriction", "review_cases", "write_review"]
