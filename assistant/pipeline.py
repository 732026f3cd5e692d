"""Wire the parts together once: corpus -> index -> retriever. Used by the CLI, UI and eval."""

from __future__ import annotations

from dataclasses import dataclass

from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.corpus import Corpus
from assistant.embeddings import make_embedder
from assistant.index_store import IndexStore, LoadedIndex
from assistant.retriever import HybridRetriever, Reranker
from assistant.rerankers import make_reranker
from assistant.settings import Settings


@dataclass
class Pipeline:
    """The loaded parts, passed explicitly to whoever needs them (no hidden globals)."""

    settings: Settings
    corpus: Corpus
    embedder: BaseEmbedding
    index: LoadedIndex
    retriever: HybridRetriever


def open_pipeline(settings: Settings, force_rebuild: bool = False,
                  embedder: BaseEmbedding | None = None) -> Pipeline:
    """Load (building or refreshing when needed) the index for the current corpus."""
    corpus = Corpus(settings)
    embedder = embedder or make_embedder(settings.embed_model, settings.embed_batch_size)
    index = IndexStore(settings, embedder).ensure(corpus.documents(), force=force_rebuild)
    reranker: Reranker | None = make_reranker(settings.reranker)
    retriever = HybridRetriever(index, embedder, settings, reranker=reranker)
    return Pipeline(settings, corpus, embedder, index, retriever)
