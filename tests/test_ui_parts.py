"""The pieces under the page: lanes and runs, Arabic upload messages from real bad files, the feedback log
and its review file, the Arabic-locale middleware, secrets out of URLs."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest

from assistant import messages as msg
from assistant.app.feedback import Feedback, FeedbackLog, write_review
from assistant.app.generation import POLL_S, Lane, Progress, Run
from assistant.redact import strip_userinfo
from assistant.app.ui.locale import ARABIC_FIRST, ArabicPage
from assistant.app.uploads import ingest_file
from assistant.app.wiring import open_pipeline
from assistant.settings import Settings
from assistant.types import Answer, Verification

ARTICLE = "عنوان خبر\n\nأعلن المتحدث باسم الوزارة أن المشروع الجديد سيبدأ في الربيع المقبل بتمويل حكومي كامل.\n"


def test_a_lane_admits_in_order_up_to_its_width_and_tells_the_others_their_place():
    lane = Lane(1)
    a, b, c = object(), object(), object()
    assert lane.wait(a, 0.01) is None
    assert lane.wait(b, 0.01) == 1 and lane.wait(c, 0.01) == 2
    lane.leave(b)  # b gave up
    assert lane.wait(c, 0.01) == 1
    lane.release()
    assert lane.wait(c, 0.01) is None
    wide = Lane(2)
    assert wide.wait(a, 0.01) is None and wide.wait(b, 0.01) is None and wide.wait(c, 0.01) == 2


def test_a_run_reports_heartbeats_stops_when_closed_and_raises_its_failure():
    stopped = threading.Event()

    def slow(report, stop):
        report(Progress("reading"))
        while not stop.wait(0.05):
            pass
        stopped.set()

    run = Run(slow)
    items = run.items()
    assert next(items) == Progress("reading")
    assert next(items) == Progress("reading")  # nothing new after POLL_S: the last progress again
    items.close()
    assert stopped.wait(2) and run.join(2)

    def failing(report, stop):
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        list(Run(failing).items())

    answer = Answer("q", "a", False, [], "extractive", Verification(), {})
    done = threading.Event()
    assert list(Run(lambda report, stop: report(answer), on_exit=done.set).items()) == [answer]
    assert done.wait(2)


def test_a_run_stops_when_its_cancel_event_is_set():
    cancel = threading.Event()
    run = Run(lambda report, stop: stop.wait(30))
    started = time.monotonic()
    threading.Timer(0.3, cancel.set).start()
    list(run.items(cancel))
    assert run.join(2) and time.monotonic() - started < 0.3 + 4 * POLL_S


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, embedder):
    """A real pipeline (bundled corpus, real e5 and FAISS) that uploads are stored into."""
    root = tmp_path_factory.mktemp("uploads")
    return open_pipeline(Settings(index_dir=root / "index", user_corpus_dir=root / "user"), embedder=embedder)


@pytest.mark.parametrize("name, content, message", [
    ("report.pdf", b"%PDF-1.4 binary", msg.UPLOAD_UNSUPPORTED),
    ("bin.txt", b"abc\x00\x01\x02" * 20, msg.UPLOAD_BINARY),
    ("old.txt", ARTICLE.encode("cp1256"), msg.UPLOAD_NOT_UTF8),
    ("empty.txt", b"   \n", msg.UPLOAD_EMPTY),
    ("bad.jsonl", b'not json\n{"also": not json\n', msg.UPLOAD_BAD_JSONL),  # two bad lines, said once
    ("bad.zip", b"PK\x03\x04 not really a zip", msg.UPLOAD_BAD_ZIP),
    ("big.txt", ARTICLE.encode() * 400, msg.UPLOAD_TOO_BIG),
])
def test_a_bad_upload_is_refused_in_arabic_without_the_servers_path(pipeline, tmp_path, name, content, message):
    path = tmp_path / "gradio-tmp-4f2a" / name
    path.parent.mkdir()
    path.write_bytes(content)
    upload = ingest_file(pipeline, path, max_bytes=20_000)
    assert upload.errors == [message] and not (upload.added or upload.updated) and upload.name == name
    assert str(tmp_path) not in " ".join(upload.errors)


def test_a_good_upload_stores_its_articles(pipeline, tmp_path):
    path = tmp_path / "good.txt"
    path.write_text(ARTICLE, "utf-8")
    upload = ingest_file(pipeline, path, max_bytes=20_000)
    assert upload.errors == [] and upload.added == ["good"] and upload.embedded > 0
    assert pipeline.corpus.get("good").title == "عنوان خبر"
    assert ingest_file(pipeline, path, max_bytes=20_000).unchanged == ["good"]


def _feedback(answer_id: str, rating: str, note: str = "") -> Feedback:
    return Feedback.parse({"answer_id": answer_id, "rating": rating, "note": note, "question": "متى؟",
                           "answer": "في 2019 [1].", "backend": "extractive",
                           "citations": [{"n": 1, "doc_id": "d1", "quote": "التقيا في 2019."}]})


def test_feedback_is_appended_locally_and_the_latest_rating_counts(tmp_path):
    log = FeedbackLog(tmp_path / "data" / "feedback.jsonl")
    log.add(_feedback("a1", "up"))
    log.add(_feedback("b2", "down", "ناقصة"))
    log.add(_feedback("a1", "down", "خطأ في التاريخ"))
    with open(log.path, "a", encoding="utf-8") as handle:
        handle.write("not json\n")  # a damaged line is skipped, the rest still count
    latest = {f.answer_id: f for f in log.latest()}
    assert {k: (f.rating, f.note) for k, f in latest.items()} == {"a1": ("down", "خطأ في التاريخ"),
                                                                   "b2": ("down", "ناقصة")}
    assert all(f.at for f in latest.values())
    with pytest.raises(Exception, match="feedback not saved"):
        Feedback.parse({"answer_id": "x", "rating": "up", "question": "q" * 5000, "answer": ""})


def test_assistant_eval_turns_thumbs_down_into_a_review_file(tmp_path):
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    log.add(_feedback("a1", "down", "خطأ"))
    log.add(_feedback("b2", "up"))
    count, out = write_review(log.path)
    assert count == 1 and out == tmp_path / "feedback_review.jsonl"
    out.unlink()
    env = {"ASSISTANT_FEEDBACK_FILE": str(log.path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "assistant", "eval", "--feedback"], capture_output=True,
                          text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    [case] = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert case["id"] == "feedback-a1" and case["question"] == "متى؟" and case["key_facts"] == []
    assert case["review"]["note"] == "خطأ" and case["review"]["citations"][0]["doc_id"] == "d1"
    assert str(out) in proc.stdout


def test_userinfo_never_shown():
    text = "cannot reach http://user:s3cret@127.0.0.1:8080/v1 nor https://tok@example.org/x"
    assert strip_userinfo(text) == "cannot reach http://127.0.0.1:8080/v1 nor https://example.org/x"
    assert strip_userinfo("mail a@b.c and http://host/v1") == "mail a@b.c and http://host/v1"


def test_a_hosted_models_errors_never_carry_the_password():
    from assistant.errors import LLMError
    from assistant.llm.hosted import HostedChatModel

    model = HostedChatModel(f"http://user:s3cret@127.0.0.1:{_closed_port()}/v1", "m", timeout_s=2, max_retries=0)
    with pytest.raises(LLMError) as info:
        "".join(model.stream([{"role": "user", "content": "سؤال"}], 5))
    assert "s3cret" not in str(info.value) and "user@" not in str(info.value) and "127.0.0.1" in str(info.value)


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _asgi_get(app, path: str = "/") -> tuple[dict, bytes]:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "headers": []}
    with ThreadPoolExecutor(1) as pool:  # its own thread: never inside another test's event loop
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    return dict(start["headers"]), b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_pages_are_served_with_arabic_first_and_other_responses_untouched():
    def responder(ctype: bytes, body: bytes):
        async def app(scope, receive, send):
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body[:10], "more_body": True})
            await send({"type": "http.response.body", "body": body[10:]})
        return app

    page = b"<!doctype html><html><head><meta charset=utf-8></head><body>x</body></html>"
    headers, body = _asgi_get(ArabicPage(responder(b"text/html; charset=utf-8", page)))
    assert body.startswith(b"<!doctype html><html><head>" + ARABIC_FIRST) and body.endswith(b"</html>")
    assert int(headers[b"content-length"]) == len(body)
    data = b'{"head": "<head>"}'
    assert _asgi_get(ArabicPage(responder(b"application/json", data)))[1] == data
