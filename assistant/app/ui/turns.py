"""The conversation as the browser keeps it (local storage), checked whenever it comes back.

Each turn holds the question, the settings it was asked with (so «regenerate» asks the same way) and the
answer as it was shown: the short answer, the verified text and its own numbered sources. Nothing here is
trusted: a stored conversation is data the browser sends, so it is validated and bounded, and a damaged one
is dropped rather than shown.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timezone
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant import messages as msg
from assistant.app.feedback import Restriction
from assistant.types import Answer, SearchFilters

log = logging.getLogger(__name__)

MAX_CONVERSATIONS = 20
"""Kept in the browser's list; the oldest goes first (local storage holds a few MB)."""
MAX_TURNS = 50
TITLE_CHARS = 60
_ID = r"^[a-f0-9]{12}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ShownSource(_Model):
    n: int = Field(ge=1, le=99)
    doc_id: str = Field(max_length=300)
    title: str = Field(max_length=1000)
    source: str = Field("", max_length=300)
    date: str | None = Field(None, max_length=100)
    quote: str = Field(max_length=3000)
    before: str = Field("", max_length=1000)
    after: str = Field("", max_length=1000)


class Shown(_Model):
    """An answer as the page shows it: only verified text, with the sources its [n] point to."""

    text: str = Field(max_length=20000)
    short: str | None = Field(None, max_length=500)
    refused: bool = False
    fallback: bool = False
    backend: str = Field("extractive", max_length=40)
    seconds: float = 0.0
    sources: list[ShownSource] = Field(default_factory=list, max_length=50)

    @classmethod
    def of(cls, answer: Answer, contexts: list) -> "Shown":
        """From the service's answer and each citation's context (`CitationContext`)."""
        sources = [ShownSource(n=c.citation.n, doc_id=c.citation.doc_id, title=c.citation.title,
                               source=c.citation.source or "", date=c.date, quote=c.citation.quote,
                               before=c.before, after=c.after) for c in contexts]
        return cls(text=answer.answer, short=answer.short_answer, refused=answer.refused,
                   fallback=bool(answer.fallback_reason), backend=answer.backend,
                   seconds=round(answer.timings_ms.get("total", 0.0) / 1000, 1), sources=sources)


class TurnFilter(Restriction):
    """The articles a question was asked of (publishers, inclusive ISO days), as the turn keeps it; a rating
    of its answer saves it too."""

    def search_filters(self) -> SearchFilters | None:
        return SearchFilters(tuple(self.sources), self.since, self.until) or None


class Turn(_Model):
    id: str = Field(pattern=_ID)
    question: str = Field(max_length=4000)
    backend: str = Field("extractive", max_length=40)
    top_k: int = Field(5, ge=1, le=50)
    state: Literal["pending", "done", "stopped", "error"] = "pending"
    answer: Shown | None = None
    progress: str = Field("", max_length=500)
    """While pending, or while a done answer's short answer is refined: what is happening now (Arabic)."""
    filter: TurnFilter = Field(default_factory=TurnFilter)
    """Kept so the answer shows it and «regenerate» asks the same articles."""

    @classmethod
    def new(cls, question: str, backend: str, top_k: int, filter: TurnFilter | None = None) -> "Turn":
        return cls(id=_new_id(), question=question, backend=backend, top_k=top_k, filter=filter or TurnFilter())


class Conversation(_Model):
    id: str = Field(default_factory=lambda: _new_id(), pattern=_ID)
    updated: str = ""
    turns: list[Turn] = Field(default_factory=list, max_length=MAX_TURNS)

    @property
    def title(self) -> str:
        first = self.turns[0].question if self.turns else msg.UI_NEW_CHAT
        return first if len(first) <= TITLE_CHARS else first[:TITLE_CHARS - 1] + "…"

    def add(self, turn: Turn) -> None:
        self.turns = [*self.turns, turn][-MAX_TURNS:]
        self.updated = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def settled(self) -> "Conversation":
        """As loaded in a new page: a turn still pending was cut off (the page closed), so it is stopped; an
        answer whose short answer was being refined stays as it was shown."""
        turns = [t.model_copy(update={"state": "stopped", "progress": ""}) if t.state == "pending"
                 else t.model_copy(update={"progress": ""}) if t.progress else t for t in self.turns]
        return self.model_copy(update={"turns": turns})

    def chat(self, upto: int | None = None) -> list[dict[str, str]]:
        """The answered turns before `upto`, as the engine's chat history (plain text)."""
        out = []
        for turn in self.turns[:upto]:
            if turn.state == "done" and turn.answer is not None:
                out += [{"role": "user", "content": turn.question},
                        {"role": "assistant", "content": turn.answer.text}]
        return out

    @classmethod
    def load(cls, data: object) -> "Conversation":
        """The conversation the browser sent back; a new one if it is missing or damaged."""
        if not data:
            return cls()
        try:
            return cls.model_validate(data).settled()
        except ValidationError as exc:
            log.warning("a stored conversation was damaged and is not shown: %s", exc.errors()[0]["msg"])
            return cls()


def load_archive(data: object) -> list[Conversation]:
    """The browser's list of earlier conversations, damaged entries dropped."""
    conversations = []
    for item in data if isinstance(data, list) else []:
        conversation = Conversation.load(item)
        if conversation.turns:
            conversations.append(conversation)
    return conversations[:MAX_CONVERSATIONS]


def archived(current: Conversation, archive: list[Conversation]) -> list[Conversation]:
    """The list with `current` first (when it has turns), each conversation once."""
    others = [c for c in archive if c.id != current.id]
    return ([current] if current.turns else []) + others[:MAX_CONVERSATIONS - 1]


def dump(conversation: Conversation) -> dict:
    return conversation.model_dump(mode="json")


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


__all__ = ["Conversation", "Shown", "ShownSource", "Turn", "TurnFilter", "archived", "dump", "load_archive"]
