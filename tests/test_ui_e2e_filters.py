"""End to end in a real browser over a real archive: the bundled articles plus 70 SaudiNewsNet articles
(read from ../shared at test time, never committed), imported by the CLI into the app's own index. The chat's
publisher and date filters decide what is cited and are stated with the answer (and in its copied text); the
articles tab pages and searches the archive (titles, publishers, dates and texts) instead of listing it whole."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from assistant import messages as msg
from assistant.arabic.normalize import normalize_arabic
from tests.archive import records, write_zip
from tests.ui_browser import Page, RunningApp, start_slow_llm

DAY = "2015-07-21"
QUESTION = "متى التقى كيم جونغ أون بوتين لأول مرة؟"
PUBLISHER = "رؤية"


@pytest.fixture(scope="module")
def archive_app(tmp_path_factory):
    """app.py with its own index, then 70 short articles of one SaudiNewsNet day imported by `assistant ingest`
    (the app follows the index on disk)."""
    rows = records(DAY, 70)
    server, port = start_slow_llm()
    running = RunningApp(tmp_path_factory.mktemp("ui-archive"), port)
    try:
        running.wait()
        proc = running.cli("ingest", str(write_zip(running.home / "snn.zip", {DAY: rows})), "--quiet")
        assert proc.returncode == 0, proc.stderr
        running.rows = rows
        yield running
    finally:
        running.stop()
        server.shutdown()


def open_filters(p: Page) -> None:
    if not p.page.locator("#filter-since input, #filter-since textarea").first.is_visible():
        p.page.locator("#filters").get_by_text(msg.UI_FILTERS).click()
    p.page.locator("#filter-since input, #filter-since textarea").first.wait_for()


def set_dates(p: Page, since: str, until: str) -> None:
    p.page.locator("#filter-since input, #filter-since textarea").first.fill(since)
    p.page.locator("#filter-until input, #filter-until textarea").first.fill(until)


def cited_sources(turn) -> list[str]:
    """The publisher of each source card under an answer (its meta line: «publisher · date»)."""
    return [m.split("·")[0].strip() for m in turn.locator(".source-card .meta").all_inner_texts()]


def saved_ratings(path: Path, answer_id: str, timeout: float = 30.0) -> list[dict]:
    """The feedback records of one answer, once the page has saved at least one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = path.read_text("utf-8").splitlines() if path.is_file() else []
        found = [r for r in map(json.loads, lines) if r["answer_id"] == answer_id]
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"no rating of {answer_id} saved in {path}")


def test_a_publisher_filter_decides_what_is_cited_and_is_stated_with_the_answer(archive_app, chromium):
    p = Page(chromium, archive_app).open()
    page = p.page
    p.ask(QUESTION)
    first = page.locator("#chat .turn").last
    unfiltered = cited_sources(first)
    assert unfiltered and set(unfiltered) - {PUBLISHER}, (
        f"the unfiltered answer cites {unfiltered}, nothing beyond {PUBLISHER}: {first.inner_text()[:600]}")
    assert not page.locator("#chat .turn").last.locator(".filter-note").count()
    open_filters(p)
    page.locator("#filter-sources input").click()
    options = page.get_by_role("option")
    offered = options.all_inner_texts()
    assert {PUBLISHER, "aawsat", "aleqtisadiya"} <= {o.strip() for o in offered}
    options.filter(has_text=PUBLISHER).first.click()
    page.keyboard.press("Escape")
    english = [label for label in p.english_labels() if label not in ("aawsat", "aleqtisadiya")]  # publishers
    assert english == [], "the filter panel has labels in English"
    p.ask(QUESTION)
    turn = page.locator("#chat .turn").last
    filtered = cited_sources(turn)
    assert filtered and set(filtered) == {PUBLISHER}, f"cited outside the chosen publisher: {filtered}"
    note = msg.UI_FILTER_IN_FORCE.format(what=msg.UI_FILTER_FROM_SOURCES.format(sources=PUBLISHER))
    assert turn.locator(".filter-note").inner_text().strip() == note
    turn.locator("button.copy").click()  # a copied answer says it was restricted, as the page does
    assert page.evaluate("navigator.clipboard.readText()").startswith(note + "\n\n")
    page.locator("#chat .turn").first.locator("button.copy").click()
    assert msg.UI_FILTER_IN_FORCE.split("{")[0] not in page.evaluate("navigator.clipboard.readText()")
    page.locator("#chat button.copy-chat").click()
    whole = page.evaluate("navigator.clipboard.readText()")
    assert whole.count(note) == 1 and whole.index(note) > whole.rindex(QUESTION), whole
    turn.locator("button.fb[data-rating=down]").click()  # a rating keeps the filter, to ask the same again
    rated = saved_ratings(archive_app.home / "feedback.jsonl", turn.get_attribute("id").removeprefix("t-"))
    assert rated[-1]["filter"] == {"sources": [PUBLISHER], "since": None, "until": None}, rated
    p.close()


def test_a_date_range_without_articles_is_refused_and_a_bad_date_loses_nothing(archive_app, chromium):
    p = Page(chromium, archive_app).open()
    page = p.page
    open_filters(p)
    set_dates(p, "2015-07-40", "")
    page.locator("#question textarea").fill(QUESTION)
    page.locator("#send").click()
    bad = msg.UI_FILTER_BAD_DATE.format(value="2015-07-40")
    page.wait_for_function("(text) => document.querySelector('#status').innerText.includes(text)", arg=bad)
    assert page.locator("#question textarea").input_value() == QUESTION, "the question was lost"
    assert page.locator("#chat .turn").count() == 0 and "\n" not in p.status()
    set_dates(p, "1990-01-01", "1990-12-31")  # before every dated article; the bundled ones have no date
    p.ask(QUESTION)
    turn = page.locator("#chat .turn").last
    text = turn.inner_text()
    assert msg.REFUSAL in text and msg.UI_FILTER_REFUSED in text and not cited_sources(turn)
    what = "، ".join([msg.UI_FILTER_SINCE_DAY.format(day="1990-01-01"), msg.UI_FILTER_UNTIL_DAY.format(day="1990-12-31")])
    assert turn.locator(".filter-note").inner_text().strip() == msg.UI_FILTER_IN_FORCE.format(what=what)
    turn.locator("button.copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(msg.UI_FILTER_IN_FORCE.format(what=what)) and msg.UI_FILTER_REFUSED in copied, copied
    turn.locator("button.fb[data-rating=down]").click()
    rated = saved_ratings(archive_app.home / "feedback.jsonl", turn.get_attribute("id").removeprefix("t-"))
    assert rated[-1]["filter"] == {"sources": [], "since": "1990-01-01", "until": "1990-12-31"}, rated
    measured = p.contrast("#chat .turn:last-child .filter-note") + p.contrast("#chat .turn:last-child .filter-refused")
    assert len(measured) == 2 and min(m["ratio"] for m in measured) >= 4.5, measured
    set_dates(p, DAY, DAY)  # that day only: what is cited, if anything, is from that day's articles
    p.ask("ماذا قالت الصحف عن أسعار النفط؟")
    dated = page.locator("#chat .turn").last.locator(".source-card .meta").all_inner_texts()
    assert all(DAY in m for m in dated), dated
    p.close()


def test_the_articles_tab_pages_and_searches_the_archive(archive_app, chromium):
    p = Page(chromium, archive_app).open()
    page = p.page
    page.get_by_role("tab", name=msg.UI_TAB_ARTICLES).click()
    page.locator("#corpus-table table").wait_for(timeout=60_000)
    rows = page.locator("#corpus-table tbody tr")
    counts = page.locator("#corpus-counts")
    total = 7 + len(archive_app.rows)
    page.wait_for_function("(n) => document.querySelectorAll('#corpus-table tbody tr').length === n", arg=50)
    assert msg.count(total, msg.ARTICLE) in counts.inner_text()
    assert msg.UI_CORPUS_PAGE.format(page=1, pages=2, first=1, last=50) in counts.inner_text()
    assert page.locator("#corpus-prev").is_disabled() and page.locator("#corpus-next").is_enabled()
    first_page = rows.all_inner_texts()
    page.locator("#article-picker input").click()
    assert page.get_by_role("option").count() == 50, "the picker offers more than the page shown"
    page.keyboard.press("Escape")
    page.locator("#corpus-next").click()
    page.wait_for_function("(n) => document.querySelectorAll('#corpus-table tbody tr').length === n",
                           arg=total - 50)
    assert msg.UI_CORPUS_PAGE.format(page=2, pages=2, first=51, last=total) in counts.inner_text()
    assert rows.all_inner_texts() != first_page[:total - 50]
    assert page.locator("#corpus-next").is_disabled() and page.locator("#corpus-prev").is_enabled()
    page.locator("#corpus-search textarea, #corpus-search input").first.fill("aleqtisadiya")
    wanted = sum(r["source"] == "aleqtisadiya" for r in archive_app.rows)
    page.wait_for_function("(n) => document.querySelectorAll('#corpus-table tbody tr').length === n", arg=wanted)
    assert msg.UI_CORPUS_SHOWN.format(shown=msg.count(wanted, msg.ARTICLE)) in counts.inner_text()
    assert all("aleqtisadiya" in r for r in rows.all_inner_texts())
    assert page.locator("#corpus-prev").is_disabled() and page.locator("#corpus-next").is_disabled()
    chosen = archive_app.rows[[r["source"] for r in archive_app.rows].index("aleqtisadiya")]
    page.locator("#article-picker input").click()
    page.get_by_role("option").filter(has_text=chosen["title"][:30]).first.click()
    page.locator("#doc-view .doc-view").wait_for()
    assert re.sub(r"\s+", " ", chosen["content"].split()[0]) in page.locator("#doc-view").inner_text()
    word, typed = text_word(archive_app.rows)  # in some texts, in no title: found by the text alone, ة typed ه
    holding = {r["title"].strip() for r in archive_app.rows if word in normalize_arabic(r["content"]).split()}
    page.locator("#corpus-search textarea, #corpus-search input").first.fill(typed)
    page.wait_for_function("(text) => document.querySelector('#corpus-table').innerText.includes(text)",
                           arg=min(holding))
    listed = {r.split("\t")[0].strip() for r in rows.all_inner_texts()}
    assert holding <= listed, (typed, listed)
    by_title = {r["title"].strip(): normalize_arabic(r["content"]) for r in archive_app.rows}
    assert all(word in by_title[t] for t in listed if t in by_title), listed
    p.close()


def text_word(rows: list[dict]) -> tuple[str, str]:
    """A word ending in «ة» found in an article's text and in no title (folded), and how it is typed: «ه»."""
    titles = normalize_arabic(" ".join(r["title"] for r in rows))
    word = next(w for r in rows for w in r["content"].split()
                if w.endswith("ة") and len(w) >= 6 and w.isalpha() and normalize_arabic(w) not in titles)
    return normalize_arabic(word), word[:-1] + "ه"
