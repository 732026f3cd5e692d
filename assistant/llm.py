"""The one interface every generating backend implements: stream a chat completion."""

from __future__ import annotations

from typing import Iterator, Protocol


class ChatModel(Protocol):
    """A chat model. `stream` yields text pieces; failures raise `LLMError` with a clear message."""

    name: str

    def stream(self, messages: list[dict[str, str]], max_tokens: int) -> Iterator[str]: ...
