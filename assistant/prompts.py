"""Prompt templates from `prompts/`, rendered strictly (a missing variable is an error)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template

from assistant.answers import Source
from assistant.errors import ConfigError
from assistant.settings import PROJECT_DIR

PROMPTS_DIR = PROJECT_DIR / "prompts"
NOT_IN_SOURCES = "NOT_IN_SOURCES"


@lru_cache(maxsize=None)
def _read(name: str, folder: Path = PROMPTS_DIR) -> str:
    try:
        return (folder / name).read_text("utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"prompt file {folder / name} is missing ({exc.strerror})") from None


def render(name: str, **values: object) -> str:
    """Fill `prompts/<name>`; KeyError for a missing variable becomes a ConfigError."""
    try:
        return Template(_read(name)).substitute(**values)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"prompt {name}: missing or bad variable {exc}") from None


def refusal_text() -> str:
    return _read("refusal.txt")


def chat_messages(question: str, sources: list[Source]) -> list[dict[str, str]]:
    """System rules, one worked example, then the numbered sources and the question."""
    rendered = "\n".join(render("source.txt", n=s.n, text=_one_line(s.text)) for s in sources)
    return [
        {"role": "system", "content": render("system.txt")},
        {"role": "user", "content": render("example_question.txt")},
        {"role": "assistant", "content": render("example_answer.txt")},
        {"role": "user", "content": render("answer.txt", sources=rendered, question=_one_line(question))},
    ]


def _one_line(text: str) -> str:
    return " ".join(text.split())
