"""Cleaning and chunking on a Ray cluster: the other half of `assistant ingest … --ray` (`ray_embed` embeds).

Each ingest batch's new articles go to Ray Data as batches of stateless tasks, each of which cleans its
articles (under their own ids, as `Corpus.add` would) and splits every document into sentences, stems and
chunks (`prepare.prepare_one`). The driver then stores the articles (`Corpus.add` takes these documents,
cleaning again only an article that has to take another id) and the store, whose write path still decides
what is new and embeds it over the actor pool, takes each document's rows from here (`RayPreparer.prepare`
is its `preparer`). A task that fails is retried by Ray; a batch that still fails stops the ingest before
anything of it is stored. An article a task could not clean is cleaned in the driver, which reports it
as an ingest without Ray does.
"""

from __future__ import annotations

import logging
import pickle
from typing import Any, Sequence

import numpy as np

from assistant.errors import EmbedderError
from assistant.index.prepare import Prepared, concat, prepare_one
from assistant.index.ray_embed import RETRIES, failure, pool_size
from assistant.ingest.cleaning import clean_article
from assistant.types import Document, RawArticle

log = logging.getLogger(__name__)
ARTICLES_PER_TASK = 16


def clean_and_prepare(batch: dict[str, np.ndarray], max_words: int, overlap: int) -> dict[str, np.ndarray]:
    """A Ray Data task: per article, its documents and each one's rows, pickled (empty: left to the driver)."""
    out = []
    for payload in batch["article"]:
        try:
            docs = clean_article(RawArticle.from_json(str(payload)))
            out.append(pickle.dumps((docs, [prepare_one(d, max_words, overlap) for d in docs])))
        except Exception as exc:  # the driver cleans it again and reports it as an ingest without Ray does
            log.warning("cleaning on Ray: %s", exc)
            out.append(b"")
    return {"row": batch["row"], "out": np.array(out, dtype=object)}


class RayPreparer:
    """Cleans and chunks batches of articles on the running Ray; keeps the rows until the store asks for them."""

    def __init__(self, settings: Any) -> None:
        self.max_words, self.overlap = settings.chunk_max_words, settings.chunk_overlap_sentences
        self._rows: dict[tuple[str, str], Prepared] = {}
        self.prepared = 0
        """Documents whose rows the store took from Ray (the rest it prepared itself)."""

    def clean(self, articles: list[RawArticle]) -> dict[int, list[Document]]:
        """The documents of each article (by position) that a task cleaned; their rows are kept for `prepare`."""
        import ray

        self._rows = {}
        if not articles:
            return {}
        items = [{"row": i, "article": a.to_json()} for i, a in enumerate(articles)]
        blocks = max(1, min(-(-len(items) // ARTICLES_PER_TASK), 4 * pool_size()))
        try:
            rows = (ray.data.from_items(items, override_num_blocks=blocks)
                    .map_batches(clean_and_prepare, fn_args=(self.max_words, self.overlap),
                                 batch_size=ARTICLES_PER_TASK, num_cpus=1, max_retries=RETRIES,
                                 retry_exceptions=True)
                    .take_all())
        except Exception as exc:
            raise EmbedderError(failure("cleaning and chunking", exc)) from None
        out: dict[int, list[Document]] = {}
        for row in rows:
            if row["out"]:
                docs, parts = pickle.loads(row["out"])
                out[int(row["row"])] = docs
                self._rows.update({(d.id, d.content_hash): p for d, p in zip(docs, parts)})
        return out

    def prepare(self, docs: Sequence[Document], max_words: int, overlap: int) -> Prepared:
        """The store's `preparer`: each document's rows from Ray, or prepared here if Ray did not clean it."""
        same = (max_words, overlap) == (self.max_words, self.overlap)
        parts = [self._rows.pop((d.id, d.content_hash), None) if same else None for d in docs]
        self.prepared += sum(p is not None for p in parts)
        return concat(docs, [p if p is not None else prepare_one(d, max_words, overlap) for p, d in zip(parts, docs)])
