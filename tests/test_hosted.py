"""The hosted backend against a real HTTP server on 127.0.0.1 speaking the OpenAI chat API."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.answer.answerer import Answerer
from assistant.answer.prompts import Prompts
from assistant.errors import LLMError
from assistant.llm.base import ChatModels
from assistant.llm.hosted import HostedChatModel

SECRET = "sk-test-SECRET-never-shown"
GOOD = "ستتم الزيارة إلى كنيسة ثالوث واهب الحياة [1]."
SHORT = "«كنيسة ثالوث واهب الحياه»"
"""The server's reply to the short-answer prompt: the quote's words with the ة written ه, as models often do."""


class FakeOpenAI(BaseHTTPRequestHandler):
    mode = "ok"
    seen: list[dict] = []
    closed: list[float] = []

    def do_POST(self):  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeOpenAI.seen.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        if self.mode == "500":
            self._send(500, "application/json", b'{"error": {"message": "boom"}}')
        elif self.mode == "slow":
            time.sleep(3)
            self._send(200, "application/json", b"{}")
        elif self.mode == "endless":
            self._endless()
        elif self.mode == "malformed":
            self._send(200, "text/event-stream", b"data: {not json at all\n\n")
        else:
            asks_short = body["messages"][0]["content"] == Prompts.bundled().render("short_system")
            reply = SHORT if asks_short else GOOD
            events = [{"choices": [{"index": 0, "delta": {"role": "assistant"}}]}]
            events += [{"choices": [{"index": 0, "delta": {"content": w + " "}}]} for w in reply.split(" ")]
            payload = "".join(f"data: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events) + "data: [DONE]\n\n"
            self._send(200, "text/event-stream", payload.encode())

    def _endless(self) -> None:
        """A token every 0.5 s, forever, until the client closes the connection (recorded in `closed`)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        token = {"choices": [{"index": 0, "delta": {"content": "كلمة "}}]}
        try:
            while True:
                self.wfile.write(f"data: {json.dumps(token, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:  # broken pipe / reset: the client hung up
            FakeOpenAI.closed.append(time.monotonic())

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    FakeOpenAI.mode, FakeOpenAI.seen, FakeOpenAI.closed = "ok", [], []
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()


def model(url: str, timeout: float = 5.0, deadline: float = 30.0) -> HostedChatModel:
    return HostedChatModel(url, "test-model", api_key=SECRET, timeout_s=timeout, max_retries=1, deadline_s=deadline)


def test_streams_a_reply_and_sends_the_key(server):
    text = "".join(model(server).stream([{"role": "user", "content": "سؤال"}], max_tokens=50))
    assert text.strip() == GOOD
    request = FakeOpenAI.seen[0]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == f"Bearer {SECRET}"
    assert request["body"]["model"] == "test-model" and request["body"]["stream"] is True


@pytest.mark.parametrize("mode, message", [("500", "HTTP 500"), ("slow", "did not answer in time"),
                                           ("malformed", "malformed reply")])
def test_failures_are_clear_errors_without_the_key(server, mode, message):
    FakeOpenAI.mode = mode
    with pytest.raises(LLMError) as info:
        "".join(model(server, timeout=1.0).stream([{"role": "user", "content": "سؤال"}], max_tokens=50))
    assert message in str(info.value) and SECRET not in str(info.value)
    if mode == "500":
        assert len(FakeOpenAI.seen) == 2  # retried once


def test_unreachable_server(server):
    with pytest.raises(LLMError, match="cannot reach"):
        "".join(model("http://127.0.0.1:9/v1", timeout=1.0).stream([{"role": "user", "content": "x"}], 10))


def test_answers_through_the_hosted_backend_and_falls_back(server, real_pipeline):
    answerer = Answerer(real_pipeline, ChatModels(real_pipeline.settings, make=lambda _backend: model(server)))
    answer = answerer.ask("ما الكنيسة التي سيزورها بوتين في كوريا الشمالية؟", backend="hosted")
    assert answer.backend == "hosted" and "كنيسة ثالوث واهب الحياة" in answer.answer
    assert answer.citations and answer.verification.removed == 0
    # then the model copied the short answer; it is kept as the cited sentence writes it
    assert len(FakeOpenAI.seen) == 2 and answer.short_answer == "كنيسة ثالوث واهب الحياة"
    assert answer.short_answer in answer.citations[0].quote
    FakeOpenAI.mode = "500"
    fallback = answerer.ask("ما الكنيسة التي سيزورها بوتين في كوريا الشمالية؟", backend="hosted")
    assert fallback.backend == "extractive" and "HTTP 500" in fallback.fallback_reason
    assert SECRET not in json.dumps(fallback.to_json(), ensure_ascii=False) + fallback.fallback_reason


def test_a_server_that_streams_forever_is_cut_off_at_the_deadline_and_the_connection_closed(server, real_pipeline):
    """A token every 0.5 s never trips a read timeout; the total deadline ends it, the extractive answer stands."""
    FakeOpenAI.mode = "endless"
    deadline = 3.0
    answerer = Answerer(real_pipeline, ChatModels(real_pipeline.settings,
                                                  make=lambda _backend: model(server, deadline=deadline)))
    started = time.monotonic()
    answer = answerer.ask("ما الكنيسة التي سيزورها بوتين في كوريا الشمالية؟", backend="hosted")
    answered = time.monotonic()
    assert answer.backend == "extractive" and "deadline" in answer.fallback_reason
    assert "كنيسة ثالوث واهب الحياة" in answer.answer and answer.citations
    assert answered - started < deadline + 2.0  # the deadline, plus retrieval and the extractive answer
    while not FakeOpenAI.closed and time.monotonic() - answered < 5:
        time.sleep(0.1)
    assert FakeOpenAI.closed, "the stream was left open after the deadline"


def test_the_deadline_is_a_setting_well_under_a_minute(settings):
    assert settings.llm_deadline_s <= 30 and HostedChatModel.from_spec("", settings.with_overrides(
        llm_base_url="http://127.0.0.1:9/v1", llm_model="m", llm_deadline_s=4.5)).deadline_s == 4.5
