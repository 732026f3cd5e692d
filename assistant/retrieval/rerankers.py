"""Optional rerankers for fused hits (`ASSISTANT_RERANKER`). Off by default: no multilingual cross-encoder ships offline."""

from __future__ import annotations

from typing import Any

from assistant.errors import EmbedderError
from assistant.types import Hit


class CrossEncoderReranker:
    """Rescores (question, passage) pairs with a local sentence-transformers CrossEncoder."""

    def __init__(self, name_or_path: str) -> None:
        from sentence_transformers import CrossEncoder

        try:
            self.model: Any = CrossEncoder(name_or_path, device="cpu", local_files_only=True)
        except Exception as exc:  # noqa: BLE001
            raise EmbedderError(f"cannot load cross-encoder {name_or_path!r} from this machine "
                                f"({type(exc).__name__}); nothing is downloaded") from None

    @classmethod
    def from_spec(cls, argument: str, settings: Any) -> "CrossEncoderReranker":
        return cls(argument)

    def rerank(self, question: str, hits: list[Hit]) -> list[Hit]:
        if not hits:
            return hits
        scores = self.model.predict([(question, h.chunk.text) for h in hits])
        order = sorted(range(len(hits)), key=lambda i: -float(scores[i]))
        return [Hit(hits[i].rank, hits[i].chunk, float(scores[i]), hits[i].dense_rank, hits[i].bm25_rank)
                for i in order]

