"""End to end in a real browser, with the bundled model refining the short answer: app.py as a new user runs
it (`ASSISTANT_SHORT_ANSWER_REFINER=local`, the default), a real index, the real local model, Chromium."""

from __future__ import annotations

import pytest

from assistant import messages as msg
from tests.ui_browser import Page, RunningApp, start_slow_llm

QUESTION = "اين التقى كيم وبوتين في روسيا؟"


@pytest.mark.slow
def test_the_instant_answer_shows_first_then_the_short_answer_the_bundled_model_copied(chromium, tmp_path):
    server, port = start_slow_llm()
    app = RunningApp(tmp_path, port, ASSISTANT_SHORT_ANSWER_REFINER="local")
    try:
        app.wait()
        p = Page(chromium, app).open()
        page = p.page
        p.ask(QUESTION)  # returns once the answer is shown (no pending turn)
        turn = page.locator("#chat .turn").last
        refining = turn.locator(".refining")
        refining.wait_for(timeout=30_000)  # the instant answer is on the page while the model works
        instant = turn.locator(".short strong").inner_text().strip()
        assert instant and msg.UI_STAGE_REFINING in refining.inner_text() and p.status() == msg.UI_STAGE_REFINING
        assert not page.locator("#send").is_enabled() and page.locator("#stop").is_enabled()
        refining.wait_for(state="detached", timeout=300_000)
        refined = turn.locator(".short strong").inner_text().strip()
        assert refined != instant and "فلاديفوستوك" in refined
        assert refined in turn.locator(".answer-text").inner_text()  # a phrase of a cited sentence
        assert p.status().startswith(msg.BACKEND_NAMES["extractive"]) and page.locator("#send").is_enabled()
        p.page.reload()  # the conversation comes back as it ended
        p.page.locator("#chat .turn").first.wait_for(timeout=60_000)
        assert page.locator("#chat .turn .short strong").inner_text().strip() == refined
        assert page.locator("#chat .refining").count() == 0
        p.close()
    finally:
        app.stop()
        server.shutdown()
