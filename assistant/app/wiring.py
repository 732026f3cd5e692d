"""Open the pipeline's parts once, from settings: corpus -> embedder -> store (built or refreshed) -> retriever.

`Pipeline` is the bag of loaded parts, passed explicitly to whoever needs them (no hidden globals); the
stages themselves run in `answer.answerer.Answerer.stream`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant import factory
from assistant.index.base import BuildStats, Store
from assistant.ingest.corpus import Corpus
from assistant.retrieval.hybrid import HybridRetriever
from assistant.settings import Settings
from assistant.types import SearchFilters


@dataclass
class Pipeline:
    """The loaded parts."""

    settings: Settings
    corpus: Corpus
    embedder: BaseEmbedding
    store: Store
    retriever: HybridRetriever
    build_stats: BuildStats | None = None
    """What opening the pipeline had to (re)build; None when the stored index was current."""

    def filtered(self, filters: SearchFilters | None) -> "Pipeline":
        """The same parts, searching only the documents `filters` allows (by publisher, by date)."""
        return replace(self, retriever=self.retriever.filtered(filters)) if filters else self


def open_pipeline(settings: Settings, force_rebuild: bool = False, embedder: BaseEmbedding | None = None,
                  corpus: Corpus | None = None) -> Pipeline:
    """Load (building or refreshing when needed) the index for the corpus (default: the bundled articles plus
    the user's; the eval passes a corpus of its own)."""
    corpus = corpus or Corpus(settings)
    embedder = embedder or factory.create("embedder", settings.embed_model, settings)
    store: Store = factory.create("store", settings.store, settings, embedder=embedder)
    stats = store.sync(corpus, force=force_rebuild)
    reranker = factory.create("reranker", settings.reranker, settings) if settings.reranker else None
    retriever = HybridRetriever(store, embedder, settings, reranker=reranker)
    return Pipeline(settings, corpus, embedder, store, retriever, stats)
