"""The LLM prompts: named templates in `prompts.yaml` (package data), rendered strictly with Jinja.

After smolagents' `prompts/*.yaml`: a missing variable fails loudly (`StrictUndefined`) instead of
sending the model a prompt with a hole in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Sequence

import jinja2
import yaml

from assistant.errors import ConfigError
from assistant.types import Source

NOT_IN_SOURCES = "NOT_IN_SOURCES"
"""What the system prompt tells the model to reply when the sources do not answer."""
REQUIRED = ("system", "example_question", "example_answer", "answer", "source", "short_system", "short_answer")


class Prompts:
    """The templates of one YAML file, compiled once; pass an instance to whoever renders prompts."""

    def __init__(self, text: str) -> None:
        try:
            raw = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"prompts: not valid YAML ({exc})") from None
        missing = [name for name in REQUIRED if not isinstance((raw or {}).get(name), str)]
        if missing:
            raise ConfigError(f"prompts: missing template(s) {', '.join(missing)}")
        env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)
        self._templates = {name: env.from_string(value) for name, value in raw.items() if isinstance(value, str)}
        self.short_examples = _examples(raw.get("short_examples", []))

    @classmethod
    def bundled(cls) -> "Prompts":
        """The templates shipped with the package."""
        return cls(resources.files(__package__).joinpath("prompts.yaml").read_text("utf-8"))

    def render(self, name: str, **values: object) -> str:
        """Fill a template; a missing variable is a ConfigError naming it."""
        try:
            return self._templates[name].render(**values)
        except KeyError:
            raise ConfigError(f"prompts: no template {name!r}") from None
        except jinja2.UndefinedError as exc:
            raise ConfigError(f"prompt {name}: {exc.message}") from None

    def chat_messages(self, question: str, sources: list[Source]) -> list[dict[str, str]]:
        """System rules, one worked example, then the numbered sources and the question."""
        rendered = "\n".join(self.render("source", n=s.n, text=_one_line(s.text)) for s in sources)
        return [
            {"role": "system", "content": self.render("system")},
            {"role": "user", "content": self.render("example_question")},
            {"role": "assistant", "content": self.render("example_answer")},
            {"role": "user", "content": self.render("answer", sources=rendered, question=_one_line(question))},
        ]


    def short_messages(self, question: str, sentences: list[str]) -> list[dict[str, str]]:
        """Copy the shortest phrase that answers, from these sentences (a bulleted list), after the worked
        examples (`short_examples`: each asked the same way and answered with its phrase)."""
        shots = [[{"role": "user", "content": self._short_request(e.question, e.sentences)},
                  {"role": "assistant", "content": e.answer}] for e in self.short_examples]
        return [{"role": "system", "content": self.render("short_system")}, *(m for shot in shots for m in shot),
                {"role": "user", "content": self._short_request(question, sentences)}]

    def _short_request(self, question: str, sentences: Sequence[str]) -> str:
        listed = "\n".join(f"- {_one_line(text)}" for text in sentences)
        return self.render("short_answer", sentences=listed, question=_one_line(question))


@dataclass(frozen=True)
class ShortExample:
    """A worked example of copying a short answer: the sentences shown, the question, the phrase copied."""

    sentences: tuple[str, ...]
    question: str
    answer: str


def _examples(raw: object) -> list[ShortExample]:
    """`short_examples` as written in the YAML file. An entry that is not one, or whose answer is not copied word
    for word from its sentences (an example must obey the rule it teaches), is a ConfigError naming it."""
    if not isinstance(raw, list):
        raise ConfigError("prompts: short_examples must be a list")
    out = []
    for i, entry in enumerate(raw, start=1):
        entry = entry if isinstance(entry, dict) else {}
        sentences, question, answer = entry.get("sentences"), entry.get("question"), entry.get("answer")
        if (not isinstance(sentences, list) or not sentences or not all(isinstance(t, str) for t in sentences)
                or not isinstance(question, str) or not isinstance(answer, str)):
            raise ConfigError(f"prompts: short example {i} needs sentences (a list of text), question and answer")
        if not answer.strip() or not any(answer in text for text in sentences):
            raise ConfigError(f"prompts: short example {i}: its answer is not copied from its sentences")
        out.append(ShortExample(tuple(sentences), question, answer))
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split())
