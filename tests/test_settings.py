"""One settings object: defaults, then ASSISTANT_* environment, then flags; validated when built."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.settings import Settings, bundled_corpus_dir


def test_defaults_then_environment_then_flags(monkeypatch):
    assert Settings.load().top_k == 5
    monkeypatch.setenv("ASSISTANT_TOP_K", "7")
    monkeypatch.setenv("ASSISTANT_REFUSE_BELOW", "0.5")
    settings = Settings.load()
    assert (settings.top_k, settings.refuse_below) == (7, 0.5)
    assert Settings.load(top_k=3, backend=None).top_k == 3  # a flag not given (None) keeps the environment's
    assert settings.with_overrides(top_k=9).top_k == 9 and settings.top_k == 7


@pytest.mark.parametrize("name, value, message", [
    ("ASSISTANT_TOP_K", "-1", "ASSISTANT_TOP_K='-1': Input should be greater than or equal to 1"),
    ("ASSISTANT_TOP_K", "many", "ASSISTANT_TOP_K='many': Input should be a valid integer"),
    ("ASSISTANT_REFUSE_BELOW", "1.5", "ASSISTANT_REFUSE_BELOW='1.5': Input should be less than or equal to 1"),
    ("ASSISTANT_BACKEND", "gpt", "ASSISTANT_BACKEND='gpt': unknown backend 'gpt'"),
    ("ASSISTANT_EMBED_MODEL", "word2vec", "unknown embedder 'word2vec'"),
    ("ASSISTANT_STORE", "qdrant", "unknown store 'qdrant'; use 'faiss'"),
    ("ASSISTANT_RERANKER", "st-cross:", "unknown reranker 'st-cross:'"),
])
def test_a_bad_value_fails_at_start_in_one_line(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        Settings.load()
    assert str(error.value).startswith(message) and "\n" not in str(error.value)


def test_a_bad_flag_fails_the_same_way():
    with pytest.raises(ConfigError, match="ASSISTANT_TOP_K=0"):
        Settings.load().with_overrides(top_k=0)


def test_the_api_key_is_secret(monkeypatch):
    monkeypatch.setenv("ASSISTANT_LLM_API_KEY", "sk-very-secret")
    settings = Settings.load()
    assert "sk-very-secret" not in repr(settings) and "sk-very-secret" not in str(settings.model_dump())
    assert settings.llm_api_key.get_secret_value() == "sk-very-secret"
    monkeypatch.setenv("ASSISTANT_TOP_K", "x")
    with pytest.raises(ConfigError) as error:
        Settings.load()
    assert "sk-very-secret" not in str(error.value)


def test_home_moves_every_folder_the_assistant_writes(monkeypatch, tmp_path):
    monkeypatch.delenv("ASSISTANT_INDEX_DIR")
    monkeypatch.delenv("ASSISTANT_USER_CORPUS_DIR")
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path / "home"))
    settings = Settings.load()
    assert settings.index_dir == tmp_path / "home" / "index"
    assert settings.user_corpus_dir == tmp_path / "home" / "data" / "user"
    assert settings.model_cache_dir == tmp_path / "home" / ".cache" / "models"
    assert settings.corpus_dir == bundled_corpus_dir() and len(list(bundled_corpus_dir().glob("*.txt"))) == 5
    assert Settings.load(index_dir=Path("/elsewhere")).index_dir == Path("/elsewhere")


def test_settings_are_frozen():
    with pytest.raises(Exception):
        Settings.load().top_k = 3  # type: ignore[misc]
