"""The one interface every generating backend implements, and the pool that keeps them loaded."""

from __future__ import annotations

from typing import Any, Callable, Iterator, Protocol

from assistant import factory


class ChatModel(Protocol):
    """A chat model. `stream` yields text pieces; failures raise `LLMError` with a clear message."""

    name: str

    def stream(self, messages: list[dict[str, str]], max_tokens: int) -> Iterator[str]: ...


ModelFactory = Callable[[str], ChatModel]


class ChatModels:
    """The LLM backends, each built on first use and kept: loading the local model takes seconds and GBs,
    so answerers over a rebuilt index share one pool."""

    def __init__(self, settings: Any, make: ModelFactory | None = None) -> None:
        self._make = make or (lambda backend: factory.create("llm", backend, settings))
        self._models: dict[str, ChatModel] = {}

    def get(self, backend: str) -> ChatModel:
        if backend not in self._models:
            self._models[backend] = self._make(backend)
        return self._models[backend]

    def loaded(self, backend: str) -> ChatModel | None:
        """The model if it was built already (benchmarks read its counters)."""
        return self._models.get(backend)
