"""End to end in a real browser, the articles tab and what follows from it: uploads reported file by file in
Arabic, document markup shown as text and never fetched, delete with confirmation, the list following an
ingest by another process, and 👎 feedback turned into a review file."""

from __future__ import annotations

import json
import zipfile

from assistant import messages as msg
from tests.ui_browser import Page, SlowLLM

TURTLES = ("مزرعة السلاحف في تيخوريتسك\n\nافتتحت بلدية مدينة تيخوريتسك مزرعة لتربية السلاحف النادرة تضم "
           "ثلاثمئة وأربعين سلحفاة جُلبت من بحيرة قريبة.\n")


def hostile_article(port: int) -> str:
    return ("خبر عن الزراعة في هوانغهاي\n\nوقالت وزارة الزراعة الكورية الشمالية إن محصول الأرز في مقاطعة هوانغهاي "
            "بلغ مليوني طن هذا العام بفضل الأمطار الغزيرة. "
            f"![صورة](http://127.0.0.1:{port}/pixel.png) [رابط](http://127.0.0.1:{port}/link) "
            "<img src=x onerror=\"window.__xss=1\"> <script>window.__xss=2</script>\n")


def open_articles(p: Page) -> None:
    p.page.get_by_role("tab", name=msg.UI_TAB_ARTICLES).click()
    p.page.locator("#corpus-table table, #corpus-table .corpus-none").first.wait_for(timeout=60_000)


def upload(p: Page, *paths) -> str:
    p.page.locator("#upload input[type=file]").set_input_files([str(x) for x in paths])
    p.page.wait_for_function("(name) => [...document.querySelectorAll('#upload-status li')]"
                             ".some((li) => li.innerText.includes(name))", arg=paths[-1].name, timeout=120_000)
    return p.page.locator("#upload-status").inner_text()


def test_uploads_delete_and_document_markup_never_live(ui_app, chromium, tmp_path):
    p = Page(chromium, ui_app).open()
    page = p.page
    open_articles(p)
    tab_text = page.locator("body").inner_text()
    for english in ("Drop File Here", "Click to Upload", "Clear", "Loading"):
        assert english not in tab_text, f"Gradio's own label {english!r} is not in Arabic"
    assert p.english_labels() == []
    before = page.locator("#corpus-table tbody tr").count()

    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01binary" * 50)
    report = upload(p, tmp_path / "bad.pdf", tmp_path / "bin.txt")
    assert f"bad.pdf: {msg.UPLOAD_UNSUPPORTED}" in report and f"bin.txt: {msg.UPLOAD_BINARY}" in report
    assert "/tmp" not in report and str(tmp_path) not in report
    page.wait_for_function("!document.querySelector('#upload').innerText.includes('bad.pdf')")  # the box emptied

    article = tmp_path / "hwanghae.txt"
    article.write_text(hostile_article(ui_app.llm_port), "utf-8")
    report = upload(p, article)
    assert f"hwanghae.txt: {msg.UI_UPLOAD_FILE_ADDED.format(articles=msg.count(1, msg.ARTICLE))}" in report
    page.wait_for_function(f"document.querySelectorAll('#corpus-table tbody tr').length === {before + 1}")
    page.locator("#corpus-search textarea, #corpus-search input").first.fill("هوانغهاى")  # spelling folded
    page.wait_for_function("document.querySelectorAll('#corpus-table tbody tr').length === 1")
    assert msg.UI_ORIGIN_ADDED in page.locator("#corpus-table tbody").inner_text()

    page.get_by_role("tab", name=msg.UI_TAB_CHAT).click()
    p.ask("كم بلغ محصول الأرز في مقاطعة هوانغهاي؟")
    turn = page.locator("#chat .turn").last
    assert "مليوني طن" in turn.inner_text() and "<img src=x" in turn.locator(".source-card").first.inner_text()
    assert page.evaluate("window.__xss") is None and turn.locator("img, script").count() == 0
    assert turn.locator("a[href^='http']").count() == 0 and SlowLLM.counts["gets"] == 0

    open_articles(p)
    page.locator("#article-picker input").fill("هوانغهاي")
    page.get_by_role("option").filter(has_text="هوانغهاي").first.click()
    page.locator("#doc-view .doc-view").wait_for()
    assert "<img src=x" in page.locator("#doc-view").inner_text()
    page.locator("#delete").click()
    page.locator("#delete-yes").click()
    page.wait_for_function(f"document.querySelector('#doc-view').innerText.includes({msg.UI_DELETED[:4]!r})")
    page.locator("#corpus-search textarea, #corpus-search input").first.fill("")
    page.wait_for_function(f"document.querySelectorAll('#corpus-table tbody tr').length === {before}")
    assert "هوانغهاي" not in page.locator("#corpus-table").inner_text()
    p.close()


def test_the_list_and_the_answers_follow_an_ingest_by_another_process(ui_app, chromium, tmp_path):
    p = Page(chromium, ui_app).open()
    open_articles(p)
    assert "السلاحف" not in p.page.locator("#corpus-table").inner_text()
    article = tmp_path / "turtles.txt"
    article.write_text(TURTLES, "utf-8")
    proc = ui_app.cli("ingest", str(article))
    assert proc.returncode == 0, proc.stderr
    p.page.get_by_role("tab", name=msg.UI_TAB_CHAT).click()
    open_articles(p)  # selecting the tab again lists what is there now
    p.page.wait_for_function("document.querySelector('#corpus-table').innerText.includes('السلاحف')", timeout=30_000)
    p.page.get_by_role("tab", name=msg.UI_TAB_CHAT).click()
    p.ask("كم سلحفاة في مزرعة تيخوريتسك؟")
    assert "ثلاثمئة وأربعين" in p.page.locator("#chat .turn").last.inner_text()
    p.close()


def test_thumbs_down_with_a_note_is_saved_locally_and_reviewed(ui_app, chromium):
    p = Page(chromium, ui_app).open()
    page = p.page
    p.ask("متى التقى كيم جونغ أون بوتين لأول مرة؟")
    turn = page.locator("#chat .turn").last
    turn.locator("button.fb[data-rating=down]").click()
    turn.locator("form.fb-note textarea").fill("التاريخ ناقص")
    turn.locator("form.fb-note button").click()
    page.wait_for_function("document.querySelector('#chat .turn:last-child form.fb-note').hidden")
    assert turn.locator(".act-status").inner_text() == msg.UI_FEEDBACK_SAVED
    assert turn.locator("button.fb[data-rating=down]").get_attribute("aria-pressed") == "true"
    records = [json.loads(line) for line in (ui_app.home / "feedback.jsonl").read_text("utf-8").splitlines()]
    assert records[-1]["rating"] == "down" and records[-1]["note"] == "التاريخ ناقص"
    assert records[-1]["question"] == "متى التقى كيم جونغ أون بوتين لأول مرة؟" and records[-1]["citations"]
    answer_id = turn.get_attribute("id").removeprefix("t-")  # one record per click: 👎, then 👎 with its note
    assert [r["note"] for r in records if r["answer_id"] == answer_id] == ["", "التاريخ ناقص"]
    proc = ui_app.cli("eval", "--feedback")
    assert proc.returncode == 0, proc.stderr
    review = (ui_app.home / "feedback_review.jsonl").read_text("utf-8")
    assert "التاريخ ناقص" in review and "متى التقى كيم" in review
    p.close()


def test_the_articles_tab_on_a_dark_phone_is_readable_and_nothing_is_cut_off(ui_app, chromium, tmp_path):
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    p = Page(chromium, ui_app, color_scheme="dark", **phone).open("?__theme=dark")
    page = p.page
    open_articles(p)
    refused = tmp_path / "a-scanned-report-with-a-rather-long-file-name.pdf"
    refused.write_bytes(b"%PDF-1.4")
    upload(p, refused)
    page.locator("#article-picker input").fill("كيم")
    page.get_by_role("option").first.click()
    page.locator("#doc-view .doc-view").wait_for()
    page.screenshot(path=str(tmp_path / "articles-phone-dark.png"), full_page=True)
    cut = page.evaluate("""(selector) => [...document.querySelectorAll(selector)].filter((e) => {
        const r = e.getBoundingClientRect(); return e.scrollWidth > e.clientWidth + 1 || r.left < -1
        || r.right > innerWidth + 1; }).map((e) => e.outerHTML.slice(0, 80))""",
                        "#upload-status li, #corpus-counts, #corpus-table td, #doc-view .doc-view")
    assert cut == [], f"cut off or outside the screen on a phone: {cut}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the tab scrolls sideways on a phone"
    picked = page.evaluate("""() => { const input = document.querySelector('#article-picker input');
        const arrow = document.querySelector('#article-picker .icon-wrap').getBoundingClientRect();
        const box = input.getBoundingClientRect(), style = getComputedStyle(input), px = (v) => parseFloat(v) || 0;
        const left = box.left + px(style.borderLeftWidth) + px(style.paddingLeft);
        const right = box.right - px(style.borderRightWidth) - px(style.paddingRight);  // where the text is drawn
        return {overlap: Math.min(right, arrow.right) - Math.max(left, arrow.left), text: input.value,
                padding: [style.paddingLeft, style.paddingRight], direction: style.direction,
                chain: [input, input.parentElement, input.parentElement.parentElement].map((e) => e.className)}; }""")
    assert picked["text"] and picked["overlap"] <= 0, f"the dropdown's arrow lies over the title: {picked}"
    selectors = ["#corpus-counts .corpus-counts", "#corpus-table th", "#corpus-table td", "#upload-status li",
                 ".upload-types", "#doc-view .doc-view"]
    measured = [m for s in selectors for m in p.contrast(s)]
    assert {m["selector"] for m in measured} == set(selectors)
    low = [m for m in measured if m["ratio"] < 4.5]
    assert not low, f"contrast below 4.5:1 in the articles tab, dark: {low[:4]}"
    p.close()


def test_a_zipped_news_dump_goes_through_the_importer_and_is_reported_as_its_one_file(ui_app, chromium, tmp_path):
    records = [{"id": f"oasis-{n}", "title": f"واحة النخيل رقم {n}", "source": "وكالة الواحات",
                "text": f"افتتحت البلدية واحة النخيل رقم {n} في الصحراء الغربية، وتضم {n + 7} آبار جديدة للري."}
               for n in range(3)] + [{"title": "سجل بلا نص"}]
    dump = tmp_path / "news-dump.zip"
    with zipfile.ZipFile(dump, "w") as archive:
        archive.writestr("day-1.json", json.dumps(records, ensure_ascii=False))
    p = Page(chromium, ui_app).open()
    open_articles(p)
    report = upload(p, dump)
    added = msg.UI_UPLOAD_FILE_ADDED.format(articles=msg.count(3, msg.ARTICLE))
    assert f"news-dump.zip: {added}، {msg.UPLOAD_BAD_JSONL}" in report and str(tmp_path) not in report
    p.page.locator("#corpus-search textarea, #corpus-search input").first.fill("واحة النخيل")
    p.page.wait_for_function("document.querySelectorAll('#corpus-table tbody tr').length === 3")
    p.close()
