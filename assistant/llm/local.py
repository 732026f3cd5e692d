"""The bundled local model (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF) run by xllamacpp.

xllamacpp is a prebuilt llama.cpp wheel: it installs in seconds where llama-cpp-python
compiles for ~13 minutes. The model is loaded once per process and kept.
"""

from __future__ import annotations

import logging
import queue
import secrets
import threading
from pathlib import Path
from typing import Any, Iterator

from assistant.errors import LLMError
from assistant.llm.model_files import MODEL_NAME, ensure_model

log = logging.getLogger(__name__)
_DONE = object()


class LocalChatModel:
    """Greedy decoding with a repeat penalty (the model loops in free text otherwise)."""

    def __init__(self, cache_dir: Path, n_ctx: int = 2048, threads: int = 2, repeat_penalty: float = 1.1,
                 prompt_cache_mib: int = 0) -> None:
        try:
            import xllamacpp
        except ImportError:
            raise LLMError("the local backend needs xllamacpp: run `make setup`") from None
        params = xllamacpp.CommonParams()
        params.model.path = str(ensure_model(cache_dir))
        params.n_ctx = n_ctx
        params.n_parallel = 1
        params.cpuparams.n_threads = threads
        params.cpuparams_batch.n_threads = threads
        params.verbosity = -1
        params.cache_ram_mib = prompt_cache_mib  # bounded: see Settings.llm_prompt_cache_mib
        # The runtime also listens on a loopback port; a random key keeps other local programs out.
        params.api_keys = [secrets.token_hex(16)]
        self.name = f"local:{MODEL_NAME}"
        self.repeat_penalty = repeat_penalty
        self._server: Any = xllamacpp.Server(params)
        self._lock = threading.Lock()  # one generation at a time on 2 cores
        self.last_prompt_tokens: int | None = None
        """Prompt length of the last generation, as the runtime counted it (for benchmarks)."""

    @classmethod
    def from_spec(cls, argument: str, settings: Any) -> "LocalChatModel":
        return cls(settings.model_cache_dir, prompt_cache_mib=settings.llm_prompt_cache_mib)

    def stream(self, messages: list[dict[str, str]], max_tokens: int) -> Iterator[str]:
        request = {"messages": messages, "max_tokens": max_tokens, "temperature": 0.0, "seed": 0,
                   "repeat_penalty": self.repeat_penalty, "stream": True}
        pieces: queue.Queue = queue.Queue()
        errors: list[str] = []

        def on_chunk(chunk: Any) -> None:
            if isinstance(chunk, dict) and chunk.get("error"):
                errors.append(str(chunk["error"]))
                return
            if isinstance(chunk, dict) and isinstance(chunk.get("timings"), dict):
                self.last_prompt_tokens = chunk["timings"].get("prompt_n")
            for choice in (chunk or {}).get("choices", []) if isinstance(chunk, dict) else []:
                content = (choice.get("delta") or {}).get("content")
                if content:
                    pieces.put(content)

        def run() -> None:
            try:
                with self._lock:
                    self._server.handle_chat_completions(request, on_chunk)
            except Exception as exc:  # noqa: BLE001 - reported to the caller below
                errors.append(f"{type(exc).__name__}: {exc}")
            finally:
                pieces.put(_DONE)

        threading.Thread(target=run, daemon=True, name="local-llm").start()
        while (piece := pieces.get()) is not _DONE:
            yield piece
        if errors:
            raise LLMError(f"the local model failed: {errors[0][:200]}")
