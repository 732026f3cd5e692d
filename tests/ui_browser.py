"""Helpers for the end-to-end UI tests: app.py in a subprocess, a slow OpenAI-compatible server on
127.0.0.1, Debian's Chromium through Playwright, and contrast measured from rendered colours."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
UNVERIFIED = "FABRICATED"
"""What the slow server writes: it must never appear in the page (only verified text is shown)."""


def playwright_or_skip():
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed")
    return playwright


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SlowLLM(BaseHTTPRequestHandler):
    """Streams an unverifiable token every 0.2 s and never ends; counts requests and closed connections.
    Any GET (an image a document points to) is counted too: none may ever arrive."""

    counts = {"chats": 0, "closed": 0, "gets": 0}

    def do_POST(self):  # noqa: N802 - http.server API
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        SlowLLM.counts["chats"] += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            while True:
                chunk = {"choices": [{"index": 0, "delta": {"content": f"{UNVERIFIED} 99 [7] "}}]}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            SlowLLM.counts["closed"] += 1

    def do_GET(self):  # noqa: N802
        SlowLLM.counts["gets"] += 1
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def start_slow_llm() -> tuple[ThreadingHTTPServer, int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowLLM)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


class RunningApp:
    """app.py on a free port with its own index, added articles and feedback file."""

    def __init__(self, home: Path, llm_port: int, **settings: str) -> None:
        """`settings`: more ASSISTANT_* variables for this app."""
        self.home = home
        self.llm_timeout_s = 60
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.env = {**os.environ, "ASSISTANT_UI_PORT": str(self.port), "ASSISTANT_INDEX_DIR": str(home / "index"),
                    "ASSISTANT_USER_CORPUS_DIR": str(home / "user"),
                    "ASSISTANT_FEEDBACK_FILE": str(home / "feedback.jsonl"),
                    "ASSISTANT_LLM_BASE_URL": f"http://user:s3cret@127.0.0.1:{llm_port}/v1",
                    "ASSISTANT_LLM_MODEL": "slow-test-model", "ASSISTANT_LLM_MAX_RETRIES": "0",
                    "ASSISTANT_LLM_TIMEOUT_S": str(self.llm_timeout_s),
                    "ASSISTANT_LLM_DEADLINE_S": str(self.llm_timeout_s),
                    "ASSISTANT_SHORT_ANSWER_REFINER": "off",  # on in test_ui_e2e_refine.py
                    **settings}
        self.log = home / "app.log"
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], env=self.env,
                                     stdout=self.log.open("w"), stderr=subprocess.STDOUT)

    def wait(self, seconds: float = 300) -> None:
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.proc.poll() is not None:
                pytest.fail("app.py exited: " + self.log.read_text())
            try:
                if urllib.request.urlopen(self.url, timeout=2).status == 200:
                    return
            except OSError:
                time.sleep(0.5)
        pytest.fail("the app did not start: " + self.log.read_text())

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "assistant", *args], env=self.env, capture_output=True,
                              text=True, timeout=600)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


WATCH_GRADIO_STATUS = """window.__gradioStatus = [];
document.addEventListener('DOMContentLoaded', () => new MutationObserver(() => {
  for (const tracker of document.querySelectorAll('[data-testid="status-tracker"]')) {
    const text = tracker.innerText.trim();
    const shown = tracker.getClientRects().length && getComputedStyle(tracker).opacity !== '0';
    if (/\\d\\s*s\\b|queue|\\d+\\s*\\/\\s*\\d+/i.test(text) && shown) {
      window.__gradioStatus.push(text);
    }
  }
}).observe(document.body, {subtree: true, childList: true, characterData: true}));"""
"""Records any text Gradio's own progress display shows (its timer, «queue: 1/1»): the page must show none."""

CONTRAST_JS = """(selector) => {
  const parse = (c) => { const m = c.match(/[\\d.]+/g).map(Number);
                         return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const lum = (c) => { const v = c.slice(0, 3).map(x => {
                         x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                      return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.getClientRects().length) continue;
    const layers = [];
    for (let n = el; n; n = n.parentElement) layers.push(parse(getComputedStyle(n).backgroundColor));
    let bg = document.body.classList.contains('dark') ? [11, 15, 25, 1] : [255, 255, 255, 1];
    for (const layer of layers.reverse()) bg = over(layer, bg);
    const fg = over(parse(getComputedStyle(el).color), bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    out.push({selector, text: el.innerText.slice(0, 40), ratio: (a + 0.05) / (b + 0.05)});
  }
  return out;
}"""
"""WCAG contrast of each matching element's text against the colour actually behind it (its and its
ancestors' backgrounds composited)."""


class Page:
    """A page in its own browser context (own local storage), recording every request it makes."""

    def __init__(self, browser, app, **context):
        options = {"locale": "en-US", "viewport": {"width": 1280, "height": 900}, **context}
        self.context = browser.new_context(**options)
        self.context.grant_permissions(["clipboard-read", "clipboard-write"])
        self.context.add_init_script(WATCH_GRADIO_STATUS)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.app = app

    def open(self, query: str = "") -> "Page":
        self.page.goto(self.app.url + query)
        self.page.locator("#chat .chat-log").wait_for(timeout=60_000)
        self.page.wait_for_function("document.querySelector('#history') !== null")
        return self

    def ask(self, question: str, wait: bool = True) -> None:
        before = self.page.locator("#chat .turn").count()
        self.page.locator("#question textarea").fill(question)
        self.page.locator("#send").click()
        self.page.wait_for_function(f"document.querySelectorAll('#chat .turn').length > {before}", timeout=60_000)
        if wait:
            self.page.wait_for_function("!document.querySelector('#chat .pending')", timeout=120_000)

    def choose_backend(self, name: str) -> None:
        self.page.locator("#settings").click()
        self.page.locator("#backend input").click()
        self.page.get_by_role("option", name=name).click()

    def status(self) -> str:
        return self.page.locator("#status").inner_text().strip()

    def english_labels(self) -> list[str]:
        """Visible screen-reader labels and tooltips written in English (there should be none)."""
        return self.page.evaluate(r"""() => [...document.querySelectorAll('[aria-label],[title]')]
            .filter((e) => e.getClientRects().length)
            .flatMap((e) => ['aria-label', 'title'].map((a) => e.getAttribute(a) || ''))
            .filter((v) => /[A-Za-z]{3,}/.test(v.replace(/\.(txt|md|html|jsonl)/g, '')))""")

    def contrast(self, selector: str) -> list[dict]:
        return self.page.evaluate(CONTRAST_JS, selector)

    def close(self) -> None:
        outside = [u for u in self.requests if not u.startswith((self.app.url, "data:", "blob:"))]
        shown = self.page.evaluate("window.__gradioStatus")
        self.context.close()
        assert not shown, f"Gradio showed its own timer or queue text: {shown[:3]}"
        assert not outside, f"the page reached outside 127.0.0.1 (web fonts, analytics?): {outside[:5]}"


def screenshot(page: Page, name: str, tmp_path) -> None:
    path = tmp_path / name
    page.page.screenshot(path=str(path), full_page=True)
    if os.environ.get("UI_SCREENSHOTS"):
        shutil.copyfile(path, os.path.join(os.environ["UI_SCREENSHOTS"], name))


@pytest.fixture(scope="session")
def ui_app(tmp_path_factory):
    """One app for every browser test (their articles and conversations do not collide)."""
    server, port = start_slow_llm()
    running = RunningApp(tmp_path_factory.mktemp("ui"), port)
    try:
        running.wait()
        running.llm_port = port
        yield running
    finally:
        running.stop()
        server.shutdown()


@pytest.fixture(scope="module")
def chromium():
    """Per module: a sync Playwright left running would own the main thread's event loop for later tests."""
    playwright = playwright_or_skip()
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()
