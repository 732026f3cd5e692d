"""Embedding on a Ray cluster: `assistant ingest … --ray [ADDRESS]` (optional extra `[ray]`).

Cleaning and chunking run in Ray tasks first (`ray_prepare`); then a `RayEmbedder` takes the embedder's place
in the store: the store still decides which sentence texts are new (each text embedded once), and those go to
Ray Data as batches over an actor pool of embedders (`pool_size`), released after each job. A batch that fails
is retried by Ray (actors restarted, tasks re-run); a batch that still fails stops the ingest before its
articles reach the index: the store writes only after every vector of the batch is back. Queries and
token counts stay local. Without `--ray` nothing here is imported."""

from __future__ import annotations

import logging
import re
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.errors import EmbedderError

log = logging.getLogger(__name__)
RETRIES = 3
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_RAISED = re.compile(r"^[A-Za-z_][\w.]*: \S.*$", re.MULTILINE)
ROWS_PER_TASK = 32


RAY_EMBED_BATCH = 2048
"""New sentences per Ray Data job (a job starts its actor pool: seconds, so not per 16 sentences)."""
RAY_INGEST_ARTICLES = 256


def ray_settings(settings: Any) -> Any:
    """Settings for an ingest on Ray: larger batches, so each job's start-up is spread over more work (a kill
    then costs up to RAY_INGEST_ARTICLES articles' embedding, never a half-written index)."""
    return settings.with_overrides(embed_batch_size=max(settings.embed_batch_size, RAY_EMBED_BATCH),
                                   ingest_batch_articles=max(settings.ingest_batch_articles, RAY_INGEST_ARTICLES))


def start_ray(address: str | None = None, local_cpus: int | None = None) -> bool:
    """Join the cluster at `address` (None: start a local Ray, unless one runs in this process); True if
    this started one. Ray Data's own progress bars are off (the CLI has its own)."""
    try:
        import ray
    except ImportError:
        raise EmbedderError("--ray needs Ray: pip install 'assistant[ray]'") from None
    started = not ray.is_initialized()
    try:
        if started:
            ray.init(address=address, num_cpus=None if address else local_cpus, include_dashboard=False,
                     log_to_driver=False, logging_level=logging.WARNING)
    except Exception as exc:  # ConnectionError, a bad address: one line
        raise EmbedderError(f"cannot reach the Ray cluster at {address or 'a new local Ray'} ({exc})") from None
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = context.enable_operator_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    return started


def pool_size() -> int:
    """Embedder actors for the cluster: one per CPU, less one above two CPUs. The clean and chunk tasks run
    in their own job before the pool starts and the pool is released after each job, so live actors never
    hold the CPUs a Ray Data task waits for (the "pending: 2 CPU" hang)."""
    import ray

    cpus = int(ray.cluster_resources().get("CPU", 1))
    return max(1, cpus - 1) if cpus > 2 else cpus


def failure(what: str, exc: BaseException) -> str:
    """A failed Ray job as one line, naming the error the task raised. A RayTaskError's text is the task's
    traceback (first line: only the task's name and pid), the task's own error the first «Name: message»
    line, before Ray Data's wrappers."""
    text = _ANSI.sub("", str(exc))
    raised = _RAISED.search(text) if getattr(exc, "cause", None) is not None else None
    first = text.strip().splitlines()[0] if text.strip() else ""
    reason = raised.group(0) if raised else f"{type(exc).__name__}: {first}"
    return f"{what} on Ray failed after {RETRIES} retries ({reason[:200]}); nothing of this batch was indexed"


class _Embedder:
    """One actor: the configured embedder, loaded once."""

    def __init__(self, settings: Any) -> None:
        from assistant import factory

        self.model = factory.create("embedder", settings.embed_model, settings)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = self.model.get_text_embedding_batch([str(t) for t in batch["text"]])
        return {"row": batch["row"], "vector": np.asarray(vectors, dtype=np.float32)}


class RayEmbedder(BaseEmbedding):
    """`local`'s embeddings, computed by an actor pool on the Ray cluster at `address` (None: a local Ray)."""

    _local: Any = PrivateAttr()
    _settings: Any = PrivateAttr()
    _actors: int = PrivateAttr()
    _started: bool = PrivateAttr()

    def __init__(self, local: BaseEmbedding, settings: Any, address: str | None = None,
                 local_cpus: int | None = None) -> None:
        super().__init__(model_name=local.model_name, embed_batch_size=RAY_EMBED_BATCH)
        self._local, self._settings = local, settings
        self._started = start_ray(address, local_cpus)
        self._actors = pool_size()
        log.info("embedding on Ray with %d actors", self._actors)

    @classmethod
    def class_name(cls) -> str:
        return "RayEmbedder"

    @property
    def actors(self) -> int:
        return self._actors

    def token_count(self, text: str) -> int:
        count = getattr(self._local, "token_count", None)
        return count(text) if count else len(text.split()) + 2

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._local.get_query_embedding(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        import ray

        if not texts:
            return []
        items = [{"row": i, "text": t} for i, t in enumerate(texts)]
        dataset = ray.data.from_items(items, override_num_blocks=max(1, min(len(texts) // ROWS_PER_TASK,
                                                                              4 * self._actors)))
        try:
            out = dataset.map_batches(_Embedder, fn_constructor_args=(self._settings,), batch_size=ROWS_PER_TASK,
                                      compute=ray.data.ActorPoolStrategy(size=self._actors), num_cpus=1,
                                      max_restarts=RETRIES, max_task_retries=RETRIES).to_numpy_refs()
            parts = ray.get(out)
        except Exception as exc:
            raise EmbedderError(failure("embedding", exc)) from None
        vectors: list[Any] = [None] * len(texts)
        for part in parts:
            for row, vector in zip(part["row"], part["vector"]):
                vectors[int(row)] = vector.tolist()
        return vectors

    def close(self) -> None:
        """Shut down the Ray this embedder started (a cluster it joined keeps running)."""
        import ray

        if self._started and ray.is_initialized():
            ray.shutdown()
