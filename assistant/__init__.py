"""Arabic question answering over news archives, with citations to the exact sentences.

The pipeline, one subpackage a stage:

    arabic/     what the assistant knows about Arabic (normalisation, stems, numbers, question forms)
    ingest/     article files -> clean documents -> chunks
    index/      chunks -> a store (dense e5 vectors + BM25 over stems)
    retrieval/  a question -> analysed once -> the passages that may answer it
    answer/     passages -> scored sentences -> answerable? -> an answer -> verified citations
    llm/        the bundled local model and hosted OpenAI-compatible servers
    app/        wiring, the service for front ends, the web UI and the command line
    evaluation/, bench/   quality and speed, measured

Use it from Python:

    from assistant import Settings, open_pipeline, Answerer
    answer = Answerer(open_pipeline(Settings.load())).ask("متى زار بوتين بيونغ يانغ؟")
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.2.0"

_EXPORTS = {
    "Settings": "assistant.settings",
    "open_pipeline": "assistant.app.wiring",
    "Pipeline": "assistant.app.wiring",
    "Answerer": "assistant.answer.answerer",
    "AssistantService": "assistant.app.service",
    "Answer": "assistant.types",
    "Citation": "assistant.types",
    "Source": "assistant.types",
    "Document": "assistant.types",
    "RawArticle": "assistant.types",
    "Chunk": "assistant.types",
    "Hit": "assistant.types",
    "Question": "assistant.types",
    "Store": "assistant.index.base",
    "analyse": "assistant.retrieval.question",
    "AssistantError": "assistant.errors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import on first use, so `import assistant` (and the CLI) stays light."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
