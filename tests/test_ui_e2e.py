"""End to end in a real browser: app.py with a real index, driven by Playwright with Debian's Chromium, a
slow OpenAI-compatible server on 127.0.0.1 for the hosted backend. The browser's language is English on
purpose: the page must be Arabic anyway. Screenshots (light, dark, phone) are written where UI_SCREENSHOTS
points (make screenshots refreshes docs/)."""

from __future__ import annotations

import time

import pytest

from assistant import messages as msg
from tests.ui_browser import UNVERIFIED, Page, SlowLLM, screenshot

ARABIC_Q = "كم عاملا كوريا شماليا ناقش المسؤولون الروس توظيفهم؟"
ENGLISH_Q = "What did Russia begin exporting to North Korea?"
REFUSED_Q = "ما هي عاصمة فرنسا؟"


def test_two_answers_each_open_their_own_sources_with_previews_and_copy_as_plain_text(ui_app, chromium, tmp_path):
    p = Page(chromium, ui_app).open()
    page = p.page
    p.ask(ARABIC_Q)
    p.ask(ENGLISH_Q)
    turns = page.locator("#chat .turn")
    assert turns.count() == 2 and "50 ألف عامل كوري شمالي" in turns.nth(0).inner_text()
    short = turns.nth(0).locator(".short strong")  # the learned short answer goes first, in bold
    assert short.is_visible() and short.inner_text().strip()
    assert short.evaluate("e => parseInt(getComputedStyle(e).fontWeight)") >= 600
    assert turns.nth(0).locator(".short + .answer-text").count() == 1
    for i in range(2):  # every answer's [1] opens a card of that same answer, open and highlighted
        turn_id = turns.nth(i).get_attribute("id")
        turns.nth(i).locator("a.cite").first.click()
        focused = page.evaluate("[document.activeElement.id, document.activeElement.className,"
                                " document.activeElement.closest('details').open]")
        assert focused[0] == f"{turn_id}-s1" and "flash" in focused[1] and focused[2] is True
    link = turns.nth(0).locator("a.cite").first
    link.focus()  # keyboard: the preview shows and is the link's description
    preview = page.locator("#" + link.get_attribute("aria-describedby"))
    assert preview.is_visible() and preview.get_attribute("role") == "tooltip"
    assert "50 ألف" in preview.inner_text() or preview.inner_text() in turns.nth(0).inner_text()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == f"{turns.nth(0).get_attribute('id')}-s1"
    bubbles = page.locator("#chat .bubble.user")
    assert [bubbles.nth(i).evaluate("e => getComputedStyle(e).direction") for i in range(2)] == ["rtl", "ltr"]
    turns.nth(1).locator("button.copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "[1]" in copied and f"\n\n{msg.UI_COPY_SOURCES}\n[1] " in copied and "<" not in copied
    page.locator("#chat button.copy-chat").click()
    whole = page.evaluate("navigator.clipboard.readText()")
    assert whole.count("س: ") == 2 and ENGLISH_Q in whole and "<a" not in whole
    assert p.status().startswith(msg.BACKEND_NAMES["extractive"])
    screenshot(p, "screenshot-light.png", tmp_path)
    p.close()


def test_stop_frees_the_page_and_unverified_text_is_never_shown(ui_app, chromium):
    p = Page(chromium, ui_app).open()
    page = p.page
    page.evaluate("""() => { window.__seen = ''; new MutationObserver(() => {
        window.__seen += document.querySelector('#chat').innerText; }).observe(document.querySelector('#chat'),
        {subtree: true, childList: true, characterData: true}); }""")
    p.choose_backend(msg.BACKEND_NAMES["hosted"])
    page.wait_for_function("document.querySelector('#settings').innerText.includes('slow-test-model')")
    assert p.english_labels() == []
    p.ask(ARABIC_Q, wait=False)
    page.wait_for_function(f"document.querySelector('#status').innerText.includes({msg.UI_STAGE_WRITING!r})",
                           timeout=60_000)
    other = Page(chromium, ui_app).open()  # another person, meanwhile: not queued behind the generation
    other.ask(ARABIC_Q)
    assert "50 ألف" in other.page.locator("#chat .turn").last.inner_text()
    other.close()
    assert msg.UI_STAGE_WRITING in p.status()  # still writing
    page.locator("#stop").click()
    started = time.monotonic()
    page.wait_for_function(f"document.querySelector('#status').innerText.includes({msg.UI_STOPPED!r})"
                           " && !document.querySelector('#send').disabled", timeout=10_000)
    page.locator("#backend input").click()
    page.get_by_role("option", name=msg.BACKEND_NAMES["extractive"]).click()
    p.ask("ما الكنيسة التي سيزورها بوتين في كوريا الشمالية؟", wait=False)
    assert time.monotonic() - started < 2, "the page was not free for the next question within 2 s"
    page.wait_for_function("!document.querySelector('#chat .pending')", timeout=120_000)
    assert msg.UI_STOPPED in page.locator("#chat .turn").first.inner_text()
    assert "كنيسة" in page.locator("#chat .turn").last.inner_text()
    deadline = time.time() + 10
    while SlowLLM.counts["closed"] < 1 and time.time() < deadline:
        time.sleep(0.2)
    assert SlowLLM.counts["chats"] >= 1 and SlowLLM.counts["closed"] >= 1, "the LLM's stream was left open"
    assert UNVERIFIED not in page.evaluate("window.__seen") and "s3cret" not in page.content()
    p.close()


def test_closing_the_tab_stops_its_generation_and_closes_the_llm_stream(ui_app, chromium):
    p = Page(chromium, ui_app).open()
    p.choose_backend(msg.BACKEND_NAMES["hosted"])
    chats, closed = SlowLLM.counts["chats"], SlowLLM.counts["closed"]
    asked = time.monotonic()
    p.ask(ARABIC_Q, wait=False)
    p.page.wait_for_function(f"document.querySelector('#status').innerText.includes({msg.UI_STAGE_WRITING!r})",
                             timeout=60_000)
    assert SlowLLM.counts["chats"] == chats + 1
    p.close()  # the person closes the tab while the model is still writing
    started = time.monotonic()
    while SlowLLM.counts["closed"] <= closed and time.monotonic() - started < 30:
        time.sleep(0.2)
    assert SlowLLM.counts["closed"] == closed + 1, "closing the tab left the LLM's stream open"
    assert time.monotonic() - asked < ui_app.llm_timeout_s * 0.75, "closed by the deadline, not by the tab"


def test_history_survives_a_reload_and_a_new_conversation_starts_clean(ui_app, chromium):
    p = Page(chromium, ui_app).open()
    page = p.page
    p.ask(ARABIC_Q)
    page.reload()
    page.locator("#chat .turn").wait_for(timeout=60_000)
    assert "50 ألف" in page.locator("#chat").inner_text()
    assert page.locator("#history label").count() == 1
    page.locator("#new-chat").click()
    page.wait_for_function("!document.querySelector('#chat .turn')")
    assert p.status() == "" and msg.UI_CHAT_EMPTY in page.locator("#chat").inner_text()
    p.ask(REFUSED_Q)
    first_id = page.locator("#chat .turn").last.get_attribute("id")
    page.locator("#regenerate").click()  # the same question again, as it was asked
    page.wait_for_function(f"document.querySelector('#chat .turn').id !== {first_id!r}"
                           " && !document.querySelector('#chat .pending')", timeout=60_000)
    assert page.locator("#chat .turn").count() == 1 and REFUSED_Q in page.locator("#chat .turn").inner_text()
    assert page.locator("#history label").count() == 2
    page.locator("#history label").filter(has_text=ARABIC_Q[:20]).click()
    page.wait_for_function("document.querySelector('#chat').innerText.includes('50 ألف')")
    assert REFUSED_Q not in page.locator("#chat").inner_text()
    p.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_is_at_least_4_5_to_1(ui_app, chromium, tmp_path, scheme):
    p = Page(chromium, ui_app, color_scheme=scheme).open(f"?__theme={scheme}")
    page = p.page
    assert page.evaluate("document.body.classList.contains('dark')") == (scheme == "dark")
    p.ask(REFUSED_Q)
    p.ask(ARABIC_Q)
    page.locator("#chat .turn").last.locator("a.cite").first.focus()
    selectors = ["#chat .bubble.user", "#chat .short strong", "#chat .answer-text", "#chat .refusal", "#chat .source-card h4",
                 "#chat .source-card .meta", "#chat .source-card p", "#chat .source-card mark", "#chat a.cite",
                 "#chat .preview", "#chat details.sources summary", "#status .status", "#chat .act"]
    measured = [m for s in selectors for m in p.contrast(s)]
    assert {m["selector"] for m in measured} == set(selectors)
    low = [m for m in measured if m["ratio"] < 4.5]
    assert not low, f"contrast below 4.5:1 in {scheme} mode: {low[:4]}"
    if scheme == "dark":
        screenshot(p, "screenshot-dark.png", tmp_path)
    p.close()


def test_on_a_phone_each_answers_sources_sit_right_under_it(ui_app, chromium, tmp_path):
    p = Page(chromium, ui_app, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).open()
    page = p.page
    p.ask(ARABIC_Q)
    box = page.evaluate("""() => { const t = document.querySelector('#chat .turn:last-child');
        const r = (s) => t.querySelector(s).getBoundingClientRect();
        return {text: r('.answer-text').bottom, sources: r('details.sources').top, card: r('.source-card').top,
                examples: document.querySelector('#chat').getBoundingClientRect().bottom,
                width: document.documentElement.scrollWidth}; }""")
    assert 0 <= box["sources"] - box["text"] < 80 and box["card"] < box["examples"]
    assert box["width"] <= 390, "the page scrolls sideways on a phone"
    screenshot(p, "screenshot-phone.png", tmp_path)
    p.close()
