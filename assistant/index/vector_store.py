"""The segmented FAISS index as a llama-index vector store, so llama-index stays the orchestration layer.

`VectorIndexRetriever(VectorStoreIndex.from_vector_store(SegmentVectorStore(...)))` runs the dense search:
the store keeps the texts itself (`stores_text`), so no llama-index docstore holds a second copy, and
publisher/date filters arrive as llama-index `MetadataFilters` (`source` in [...], `day` >= / <= n).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from llama_index.core.schema import BaseNode, TextNode
from llama_index.core.vector_stores.types import (BasePydanticVectorStore, FilterCondition, FilterOperator,
                                                  MetadataFilter, MetadataFilters, VectorStoreQuery,
                                                  VectorStoreQueryResult)
from pydantic import PrivateAttr

from assistant.errors import InputError
from assistant.types import Chunk

DenseSearch = Callable[[Sequence[float], int, "DayFilters"], list[tuple[Chunk, float]]]
_METADATA_KEYS = ["doc_id", "title", "source", "start", "end"]


class DayFilters:
    """Filters in the form the segments test them: publishers by name, dates as days since 1970."""

    def __init__(self, sources: tuple[str, ...] = (), since: int | None = None, until: int | None = None) -> None:
        self.sources, self.since, self.until = sources, since, until

    def __bool__(self) -> bool:
        return bool(self.sources) or self.since is not None or self.until is not None

    def to_metadata(self) -> MetadataFilters | None:
        filters = []
        if self.sources:
            filters.append(MetadataFilter(key="source", value=list(self.sources), operator=FilterOperator.IN))
        if self.since is not None:
            filters.append(MetadataFilter(key="day", value=self.since, operator=FilterOperator.GTE))
        if self.until is not None:
            filters.append(MetadataFilter(key="day", value=self.until, operator=FilterOperator.LTE))
        return MetadataFilters(filters=filters, condition=FilterCondition.AND) if filters else None

    @classmethod
    def from_metadata(cls, filters: MetadataFilters | None) -> "DayFilters":
        out = cls()
        for f in filters.filters if filters else []:
            if not isinstance(f, MetadataFilter) or (filters and filters.condition != FilterCondition.AND):
                raise InputError("only AND-ed filters on source and day are supported")
            if f.key == "source" and f.operator in (FilterOperator.IN, FilterOperator.EQ):
                out.sources = tuple(f.value if isinstance(f.value, list) else [f.value])  # type: ignore[arg-type]
            elif f.key == "day" and f.operator == FilterOperator.GTE:
                out.since = int(f.value)  # type: ignore[arg-type]
            elif f.key == "day" and f.operator == FilterOperator.LTE:
                out.until = int(f.value)  # type: ignore[arg-type]
            else:
                raise InputError(f"unsupported filter {f.key} {f.operator.value}")
        return out


class SegmentVectorStore(BasePydanticVectorStore):
    """Dense search over the live segments; writes go through the store's own upsert/delete."""

    stores_text: bool = True
    is_embedding_query: bool = True
    _search: Any = PrivateAttr()
    _delete: Any = PrivateAttr()

    def __init__(self, search: DenseSearch, delete: Callable[[list[str]], int]) -> None:
        super().__init__()
        self._search = search
        self._delete = delete

    @classmethod
    def class_name(cls) -> str:
        return "SegmentVectorStore"

    @property
    def client(self) -> Any:
        return None

    def add(self, nodes: Sequence[BaseNode], **kwargs: Any) -> list[str]:
        raise NotImplementedError("documents are added with Store.upsert, which also indexes BM25 and sentences")

    def delete(self, ref_doc_id: str, **delete_kwargs: Any) -> None:
        self._delete([ref_doc_id])

    def query(self, query: VectorStoreQuery, **kwargs: Any) -> VectorStoreQueryResult:
        if query.query_embedding is None:
            raise InputError("a dense search needs a query vector")
        found = self._search(query.query_embedding, query.similarity_top_k, DayFilters.from_metadata(query.filters))
        nodes = [node(chunk) for chunk, _ in found]
        return VectorStoreQueryResult(nodes=nodes, similarities=[score for _, score in found],
                                      ids=[n.node_id for n in nodes])


def node(chunk: Chunk) -> TextNode:
    return TextNode(id_=chunk.chunk_id, text=chunk.text,
                    metadata={"doc_id": chunk.doc_id, "title": chunk.title, "source": chunk.source or "",
                              "start": chunk.start, "end": chunk.end},
                    excluded_embed_metadata_keys=_METADATA_KEYS, excluded_llm_metadata_keys=_METADATA_KEYS)
