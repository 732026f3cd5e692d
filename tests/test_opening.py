"""app.py serves the page before the index is open (`OpeningService`): a question asked in between waits and
says so, then is answered from the real index; what opening raised reaches the page, and app.py exits 2 with
one line. Real parts: the e5 embedder, a FAISS index, app.py in a subprocess."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assistant.app.generation import Progress
from assistant.app.opening import OpeningService
from assistant.errors import StorageError
from assistant.types import Answer
from tests.conftest import ROOT
from tests.ui_browser import free_port

QUESTION = "كم عاملا كوريا شماليا ناقش المسؤولون الروس توظيفهم؟"


def test_a_question_asked_before_the_index_opens_waits_then_is_answered(real_pipeline, tmp_path):
    settings = real_pipeline.settings.with_overrides(feedback_file=tmp_path / "feedback.jsonl")
    opening = OpeningService(settings)
    assert opening.backends[0] == "extractive" and "hosted" not in opening.backends  # from settings alone
    stream = opening.stream(QUESTION, "extractive", [], 5)
    assert next(stream) == Progress("opening") and not opening.ready()  # nothing opens before `start`
    opening.start()
    items = list(stream)
    assert opening.ready() and Progress("searching") in items
    answer = items[-1]
    assert isinstance(answer, Answer) and answer.citations and "50 ألف" in answer.answer
    assert opening.sources() == real_pipeline.store.sources()  # the rest of the Engine: the open service's


def test_what_opening_raised_reaches_every_caller(tmp_path):
    from assistant.settings import Settings

    (tmp_path / "not-a-folder").write_text("x")
    opening = OpeningService(Settings.load().with_overrides(index_dir=tmp_path / "not-a-folder")).start()
    with pytest.raises(StorageError):
        list(opening.stream(QUESTION, "extractive", [], 5))
    with pytest.raises(StorageError):
        opening.sources()


def test_app_py_stops_serving_and_exits_2_with_one_line_when_the_index_cannot_open(tmp_path):
    (tmp_path / "not-a-folder").write_text("x")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "ASSISTANT_INDEX_DIR": str(tmp_path / "not-a-folder"),
           "ASSISTANT_USER_CORPUS_DIR": str(tmp_path / "user"), "ASSISTANT_UI_PORT": str(free_port())}
    done = subprocess.run([sys.executable, str(ROOT / "app.py")], env=env, capture_output=True, text=True,
                          timeout=300)
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert done.returncode == 2 and len(errors) == 1 and "cannot write the index" in errors[0]
    assert "Running on local URL" in done.stdout  # the page was served while the index opened, then stopped
