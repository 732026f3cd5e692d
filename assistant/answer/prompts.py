"""The LLM prompts: named templates in `prompts.yaml` (package data), rendered strictly with Jinja.

After smolagents' `prompts/*.yaml`: a missing variable fails loudly (`StrictUndefined`) instead of
sending the model a prompt with a hole in it.
"""

from __future__ import annotations

from importlib import resources

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
        self._templates = {name: env.from_string(raw[name]) for name in raw}

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
        """Copy the shortest phrase that answers, from these sentences (a bulleted list)."""
        listed = "\n".join(f"- {_one_line(text)}" for text in sentences)
        return [{"role": "system", "content": self.render("short_system")},
                {"role": "user", "content": self.render("short_answer", sentences=listed, question=_one_line(question))}]


def _one_line(text: str) -> str:
    return " ".join(text.split())
