"""End to end in a real browser: app.py on a free port, driven by Playwright with Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
XSS_ARTICLE = ("خبر عن الزراعة\n\nوقالت وزارة الزراعة الكورية الشمالية إن محصول الأرز في مقاطعة هوانغهاي بلغ "
               "مليوني طن هذا العام بفضل الأمطار الغزيرة. "
               "<img src=x onerror=\"window.__xss=1\"> <script>window.__xss=2</script>\n")


def _browser_or_skip():
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed")
    return playwright


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_url(tmp_path):
    port = _free_port()
    env = {**os.environ, "ASSISTANT_UI_PORT": str(port), "ASSISTANT_INDEX_DIR": str(tmp_path / "index"),
           "ASSISTANT_USER_CORPUS_DIR": str(tmp_path / "user")}
    log = open(tmp_path / "app.log", "w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 180
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(url, timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the app did not start: " + (tmp_path / "app.log").read_text())
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_ask_in_the_browser_rtl_cards_upload_and_no_script_runs(app_url, tmp_path):
    playwright = _browser_or_skip()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(app_url, wait_until="networkidle")
        assert page.evaluate("getComputedStyle(document.querySelector('.gradio-container')).direction") == "rtl"

        page.locator("#question textarea").fill("كم عاملا كوريا شماليا ناقش المسؤولون الروس توظيفهم؟")
        page.locator("#send").click()
        page.locator("#sources .source-card").first.wait_for(timeout=120_000)
        assert "50 ألف عامل كوري شمالي" in page.locator("#chat").inner_text()
        assert page.locator("#chat a.cite").count() >= 1
        screenshot = tmp_path / "ui.png"
        page.screenshot(path=str(screenshot), full_page=True)
        if os.environ.get("UI_SCREENSHOT"):
            shutil.copyfile(screenshot, os.environ["UI_SCREENSHOT"])

        article = tmp_path / "xss.txt"
        article.write_text(XSS_ARTICLE, "utf-8")
        page.get_by_role("tab", name="المقالات").click()
        page.locator("#upload input[type=file]").set_input_files(str(article))
        page.wait_for_function("document.querySelector('#upload-status textarea')?.value.includes('أُضيفت')",
                               timeout=120_000)
        page.get_by_role("tab", name="المحادثة").click()
        page.locator("#question textarea").fill("كم بلغ محصول الأرز في مقاطعة هوانغهاي؟")
        page.locator("#send").click()
        page.wait_for_function("document.querySelector('#sources')?.innerText.includes('هوانغهاي')",
                               timeout=120_000)
        assert "<img src=x" in page.locator("#sources").inner_text()  # shown as text
        assert page.evaluate("window.__xss") is None  # and nothing ran
        browser.close()
    outside = [u for u in requests if not u.startswith((app_url, "data:", "blob:"))]
    assert not outside, f"the page reached outside 127.0.0.1 (web fonts, analytics?): {outside[:5]}"
