"""The page's handlers and rendering, against a scripted engine that records what it was asked.

The engine is a fake, but the behaviour under test is real: what the page shows for each thing the engine
says (progress, an answer, an error, nothing), what it asks the engine, and that stopping closes the stream.
"""

from __future__ import annotations

import html
import json
import re
import threading

from assistant import messages as msg
from assistant.app.feedback import Feedback, FeedbackLog, review_cases
from assistant.app.generation import Progress
from assistant.app.service import CitationContext
from assistant.app.ui import chat
from assistant.app.ui.render import chat_html, plain_answer
from assistant.app.ui.turns import Conversation, dump, load_archive
from assistant.types import Answer, Citation, SearchFilters, Verification

QUOTE = "عبر حوالي 20 جنديا <b>كوريا</b> شماليا الحدود ![x](http://127.0.0.1:9/pixel.png)."
SECOND = "وقال المتحدث إن الجنود عادوا بعد دقائق."


def make_answer(question="س", refused=False, fallback=None, short=None) -> Answer:
    citations = [] if refused else [
        Citation(1, "d1", "d1#0", "عنوان <script>x</script>", "الجزيرة", QUOTE, 0, 10),
        Citation(2, "d2", "d2#0", "عنوان ثان", "", SECOND, 5, 40)]
    text = msg.REFUSAL if refused else "عبر 20 جنديا <b>كوريا</b> [1]. وعادوا [2]. وذكر [7]."
    return Answer(question, text, refused, citations, "extractive", Verification(), {"total": 1234.0},
                  fallback_reason=fallback, short_answer=short)


class ScriptedEngine:
    """Plays a script of items per call and records the calls, and whether each stream was closed."""

    backends = ("extractive", "hosted")

    def __init__(self, *scripts):
        self.scripts = list(scripts)
        self.calls: list[dict] = []
        self.closed: list[bool] = []
        self.saved: list[Feedback] = []

    def describe(self, backend):
        return backend

    def stream(self, question, backend, history, top_k, cancel=None, filters=None):
        self.calls.append({"question": question, "backend": backend, "history": history, "top_k": top_k,
                           **({"filters": filters} if filters is not None else {})})
        script = self.scripts.pop(0)
        index = len(self.closed)
        self.closed.append(False)
        try:
            for item in script:
                if isinstance(item, Exception):
                    raise item
                if cancel is not None and cancel.is_set():
                    return
                yield item
        finally:
            self.closed[index] = True

    def context(self, citation):
        return CitationContext(citation, "قبل <img src=x onerror=alert(1)> ", " بعد", "2024-06-19")

    def save_feedback(self, feedback):
        self.saved.append(feedback)


class Seen:
    """A view as the page showed it at that moment (the conversation object goes on changing)."""

    def __init__(self, view: chat.View):
        self.conversation, self.status, self.busy = view.conversation, view.status, view.busy
        self.html = chat_html(view.conversation)


def run(engine, question, current=None, backend="extractive", top_k=5, regenerate=False, sessions=None,
        chosen=chat.Chosen()):
    return [Seen(v) for v in chat.ask(engine, sessions or chat.Sessions(), "s1", question, current, backend, top_k,
                                      regenerate, chosen) if v is not None]


def test_an_answer_shows_progress_then_only_the_verified_text_with_its_own_sources():
    engine = ScriptedEngine([Progress("searching"), Progress("writing"), make_answer(short="20 جنديا")])
    views = run(engine, "  كم جنديا عبر الحدود؟ ", top_k=3)
    assert engine.calls == [{"question": "كم جنديا عبر الحدود؟", "backend": "extractive", "history": [], "top_k": 3}]
    assert [v.busy for v in views] == [True, True, False]
    assert views[1].status == msg.UI_STAGE_WRITING and msg.UI_STAGE_WRITING in views[1].html
    page = chat_html(views[-1].conversation)
    turn = views[-1].conversation.turns[0]
    assert page.index("<strong>20 جنديا</strong>") < page.index('class="answer-text"')  # short answer first
    assert f'href="#t-{turn.id}-s1"' in page and f'id="t-{turn.id}-s1"' in page
    assert f'aria-describedby="t-{turn.id}-p1"' in page and f'role="tooltip" id="t-{turn.id}-p1"' in page
    assert "[7]" in page and 's7"' not in page  # a marker without a source stays text
    assert views[-1].status == msg.UI_DONE.format(backend=msg.BACKEND_NAMES["extractive"], seconds=1.2)


def test_nothing_from_a_document_becomes_live_html_or_markdown():
    engine = ScriptedEngine([make_answer()])
    page = chat_html(run(engine, "سؤال")[-1].conversation)
    assert "<script" not in page and "<img" not in page and "<b>كوريا" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;b&gt;كوريا" in page
    assert not re.search(r"<a [^>]*href=\"http", page) and "![x](http://127.0.0.1:9/pixel.png)" in page


def test_each_answer_keeps_its_own_sources():
    engine = ScriptedEngine([make_answer()], [make_answer()])
    first = run(engine, "الأول")[-1].conversation
    both = run(engine, "الثاني", current=dump(first))[-1].conversation
    assert engine.calls[1]["history"] == [{"role": "user", "content": "الأول"},
                                          {"role": "assistant", "content": make_answer().answer}]
    page = chat_html(both)
    ids = [t.id for t in both.turns]
    assert len(set(ids)) == 2
    for tid in ids:  # every [n] of every answer points to a card of that same answer
        assert page.count(f'href="#t-{tid}-s1"') == 1 and page.count(f'id="t-{tid}-s1"') == 1
    assert page.count("<details class=\"sources\" open>") == 1  # the latest answer's sources are open


def test_copy_gives_plain_text_with_markers_and_the_source_list():
    answer = run(ScriptedEngine([make_answer(short="20")]), "سؤال")[-1].conversation.turns[0].answer
    text = plain_answer(answer)
    assert text.startswith("20\n\n") and "[1]" in text and "<a" not in text and "&lt;" not in text
    assert f"{msg.UI_COPY_SOURCES}\n[1] عنوان <script>x</script> — الجزيرة، 2024-06-19: «{QUOTE}»" in text
    assert f"[2] عنوان ثان — {msg.NO_SOURCE_NAMED}، 2024-06-19: «{SECOND}»" in text


def test_refusals_and_fallbacks_are_marked_in_arabic_without_the_reason_text():
    refused = run(ScriptedEngine([make_answer(refused=True)]), "ما عاصمة فرنسا؟")[-1].conversation
    assert 'class="refusal"' in chat_html(refused) and "cite" not in chat_html(refused)
    secret = "cannot reach the hosted LLM at http://user:secret@127.0.0.1:1/v1"
    fallback = run(ScriptedEngine([make_answer(fallback=secret)]), "سؤال")[-1].conversation
    page = chat_html(fallback)
    assert msg.UI_FALLBACK_NOTE in page and "secret" not in page and "cannot reach" not in page


def test_an_engine_failure_shows_a_short_arabic_message_and_no_exception_text():
    engine = ScriptedEngine([Progress("searching"), RuntimeError("Traceback /srv/tmp/x.py secret")])
    views = run(engine, "سؤال")
    page, status = chat_html(views[-1].conversation), views[-1].status
    assert status == msg.UI_ERROR and msg.UI_ERROR in page
    assert "Traceback" not in page + status and "secret" not in page + status and engine.closed == [True]


def test_empty_long_and_broken_questions():
    engine = ScriptedEngine([make_answer()])
    [empty] = run(engine, "   ")
    [long] = run(engine, "س" * 5000)
    assert engine.calls == [] and empty.status == msg.UI_ASK_FIRST and "2000" in long.status
    run(engine, "سؤال \ud800 مكسور")  # a lone surrogate, as a browser may send
    assert engine.calls[0]["question"] == "سؤال \ufffd مكسور"


def test_regenerate_asks_the_last_question_again_with_its_own_settings():
    engine = ScriptedEngine([make_answer()], [make_answer()])
    first = run(engine, "سؤال", backend="hosted", top_k=7)[-1].conversation
    again = run(engine, None, current=dump(first), backend="extractive", top_k=2, regenerate=True)[-1].conversation
    assert engine.calls[1] == {"question": "سؤال", "backend": "hosted", "history": [], "top_k": 7}
    assert len(again.turns) == 1 and again.turns[0].id != first.turns[0].id


def test_stopping_closes_the_engine_stream_and_marks_the_answer_stopped():
    sessions = chat.Sessions()
    endless = (Progress("writing") for _ in iter(int, 1))
    engine = ScriptedEngine(endless)
    asking = chat.ask(engine, sessions, "s1", "سؤال", None, "hosted", 5)
    kept = dump(next(asking).conversation)  # what the browser holds: the answer pending
    next(asking), next(asking)
    assert sessions.stop("s1") == 1  # the stop button, or the page closed
    rest = [v for v in asking if v is not None]
    assert engine.closed == [True] and rest[-1].status == msg.UI_STOPPED and not rest[-1].busy
    assert chat.stopped(kept).conversation.turns[0].state == "stopped"

    engine = ScriptedEngine((Progress("writing") for _ in iter(int, 1)))
    asking = chat.ask(engine, sessions, "s2", "سؤال", None, "hosted", 5)
    next(asking), next(asking)
    asking.close()  # Gradio closes the handler when its event is cancelled
    assert engine.closed == [True] and sessions.stop("s2") == 0


def test_an_instant_answer_shows_at_once_and_its_refined_short_answer_replaces_the_first():
    engine = ScriptedEngine([Progress("searching"), make_answer(short="20 جنديا <b>كوريا</b>"), Progress("searching"),
                             Progress("refining"), Progress("waiting", ahead=1), Progress("refining"),
                             make_answer(short="حوالي 20 جنديا"), Progress("refining")])  # a late heartbeat
    views = run(engine, "كم جنديا عبر الحدود؟")
    shown = [v for v in views if "<strong>" in v.html]  # the answer is on the page (the turn object goes on)
    refining, last = shown[0], shown[-1]
    assert len(shown) == 2 and len(views) == 3  # waiting for the model reads the same; heartbeats show nothing
    assert refining.busy and "<strong>20 جنديا &lt;b&gt;كوريا&lt;/b&gt;</strong>" in refining.html  # escaped
    assert refining.status == msg.UI_STAGE_REFINING and 'class="refining"' in refining.html
    assert msg.UI_STAGE_SEARCHING not in refining.html
    assert not last.busy and "<strong>حوالي 20 جنديا</strong>" in last.html and 'class="refining"' not in last.html
    assert last.conversation.turns[0].progress == "" and last.status.startswith(msg.UI_DONE.split("{")[0])


def test_stopping_a_refinement_keeps_the_instant_answer_and_a_reload_drops_its_progress():
    sessions = chat.Sessions()
    script = iter([make_answer(short="20 جنديا"), *(Progress("refining") for _ in range(10_000))])
    engine = ScriptedEngine(script)
    asking = chat.ask(engine, sessions, "s1", "سؤال", None, "extractive", 5)
    searching, refining, heartbeat = next(asking), next(asking), next(asking)
    kept = dump(refining.conversation)  # what the browser holds: the answer, its short answer being refined
    assert searching.busy and heartbeat is None and refining.busy and refining.conversation.turns[0].progress == msg.UI_STAGE_REFINING
    assert sessions.stop("s1") == 1
    rest = [v for v in asking if v is not None]
    turn = rest[-1].conversation.turns[0]
    assert engine.closed == [True] and not rest[-1].busy
    assert turn.state == "done" and turn.answer.short == "20 جنديا" and turn.progress == ""
    reloaded = Conversation.load(json.loads(json.dumps(kept)))
    assert reloaded.turns[0].state == "done" and reloaded.turns[0].progress == ""
    assert chat.stopped(kept).status == msg.UI_DONE.format(backend=msg.BACKEND_NAMES["extractive"], seconds=1.2)
    assert 'class="refining"' not in chat_html(reloaded)


def test_a_pending_answer_from_a_closed_page_comes_back_stopped_and_damaged_storage_is_dropped():
    engine = ScriptedEngine((Progress("reading") for _ in iter(int, 1)))
    pending = dump(next(chat.ask(engine, chat.Sessions(), "s", "سؤال", None, "hosted", 5)).conversation)
    reloaded = Conversation.load(json.loads(json.dumps(pending)))
    assert reloaded.turns[0].state == "stopped" and msg.UI_STOPPED in chat_html(reloaded)
    assert Conversation.load({"turns": [{"id": "../../etc", "question": "x"}]}).turns == []
    assert Conversation.load("garbage").turns == [] and load_archive([{"turns": "x"}, 5, None]) == []


def test_conversations_list_new_and_switch():
    engine = ScriptedEngine([make_answer()], [make_answer()])
    one = run(engine, "الأولى")[-1].conversation
    empty, listed = chat.new_conversation(dump(one), [])
    assert empty.turns == [] and [c.id for c in listed] == [one.id]
    two = run(engine, "الثانية", current=dump(empty))[-1].conversation
    assert chat.history_choices(two, listed) == [("الثانية", two.id), ("الأولى", one.id)]
    shown, others = chat.switch_to(one.id, dump(two), [dump(c) for c in listed])
    assert shown.id == one.id and [c.id for c in others] == [two.id]


def test_feedback_from_the_page_is_checked_before_it_is_saved():
    engine = ScriptedEngine([make_answer()])
    turn = run(engine, "سؤال")[-1].conversation.turns[0]
    page = chat_html(Conversation(turns=[turn]))
    payload = json.loads(html.unescape(re.search(r'data-feedback="([^"]+)"', page).group(1)))
    assert chat.save_feedback(engine, [{**payload, "rating": "down", "note": "ناقصة"}]) is True
    assert engine.saved[0].answer_id == turn.id and engine.saved[0].citations[0].doc_id == "d1"
    assert chat.save_feedback(engine, {**payload, "rating": "maybe"}) is False
    assert chat.save_feedback(engine, {**payload, "rating": "up", "answer_id": "<x>"}) is False
    assert len(engine.saved) == 1


def test_a_rating_saves_the_filter_the_answer_was_asked_under(tmp_path):
    """From the page's data-feedback to the JSON Lines file, as the service saves it: the record names the
    publishers and days searched, so a bad answer can be asked again the same way."""
    engine = ScriptedEngine([make_answer()], [make_answer()])
    log = FeedbackLog(tmp_path / "feedback.jsonl")
    engine.save_feedback = log.add
    filtered = run(engine, "سؤال", chosen=chat.Chosen(["رؤية", "الجزيرة"], "2015/07/21", "2015-07-22"))
    plain = run(engine, "سؤال آخر", current=dump(filtered[-1].conversation))[-1].conversation
    page = chat_html(plain)
    payloads = [json.loads(html.unescape(p)) for p in re.findall(r'data-feedback="([^"]+)"', page)]
    assert all(chat.save_feedback(engine, {**p, "rating": "down"}) for p in payloads)
    saved = [json.loads(line) for line in log.path.read_text("utf-8").splitlines()]
    assert [r["filter"] for r in saved] == [{"sources": ["الجزيرة", "رؤية"], "since": "2015-07-21",
                                             "until": "2015-07-22"},
                                            {"sources": [], "since": None, "until": None}]
    assert engine.calls[0]["filters"] == SearchFilters(("الجزيرة", "رؤية"), "2015-07-21", "2015-07-22")
    assert review_cases(log.latest())[0]["review"]["filter"] == saved[0]["filter"]
    assert chat.save_feedback(engine, {**payloads[0], "rating": "up", "filter": {"since": "21/07/2015"}}) is False


def test_sessions_stop_only_their_own_answers():
    sessions = chat.Sessions()
    a, b = sessions.start("a"), sessions.start("b")
    assert sessions.stop("a") == 1 and a.is_set() and not b.is_set()
    sessions.end("a", a)
    assert sessions.stop("a") == 0


def test_arabic_number_agreement():
    got = [msg.count(n, msg.ARTICLE) for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 111)]
    assert got == ["لا مقالات", "مقال واحد", "مقالان", "3 مقالات", "10 مقالات", "11 مقالاً", "99 مقالاً",
                   "100 مقال", "102 مقال", "103 مقالات", "111 مقالاً"]
    assert msg.count(1, msg.REQUEST) == "طلب واحد" and msg.count(2, msg.SOURCE) == "مصدران"


def test_progress_in_arabic():
    from assistant.app.ui.render import progress_text

    assert progress_text(Progress("preparing", percent=42)) == msg.UI_STAGE_PREPARING.format(percent=42)
    assert "طلب واحد" in progress_text(Progress("waiting", ahead=1))
    assert all(re.search("[\u0600-\u06ff]", progress_text(Progress(s))) for s in
               ("opening", "searching", "loading", "reading", "writing"))


def test_cancel_event_is_passed_to_the_engine():
    seen = []

    class Watching(ScriptedEngine):
        def stream(self, question, backend, history, top_k, cancel=None, filters=None):
            seen.append(cancel)
            yield make_answer()

    run(Watching(), "سؤال")
    assert isinstance(seen[0], threading.Event)


def test_a_page_of_the_article_list_counts_in_arabic_and_shows_its_rows_only():
    from assistant.app.ui import articles
    from assistant.types import CatalogPage, Document, ListedDocument

    rows = [ListedDocument("a", "زيارة الأسد", "الجزيرة", "2024-01-02", True),
            ListedDocument("b", "قمة", None, None, False)]
    page = CatalogPage(rows, total=120, matched=52, added=1, publishers=2, page=1, pages=2, per_page=50)
    counts = html.unescape(articles.counts_html(page, "قمة"))
    assert ("في المجموعة 120 مقالاً. نشرها ناشران. المضاف منها: مقال واحد. يطابق البحث: 52 مقالاً. "
            "الصفحة 2 من 2 (المقالات 51–52).") in counts
    assert "يطابق البحث" not in articles.counts_html(page) and articles.choices(rows)[1] == ("قمة — مصدر غير مذكور", "b")
    table = articles.table_html(rows)
    assert table.count("<tr>") == 3 and msg.UI_ORIGIN_ADDED in table and msg.NO_SOURCE_NAMED in table
    assert msg.UI_CORPUS_NONE in articles.table_html([])
    doc = Document("a", "زيارة", "نص <b>أول</b>", "الجزيرة")
    assert "<b>أول" not in articles.document_html(doc) and "&lt;b&gt;أول" in articles.document_html(doc)


def test_a_filter_is_checked_passed_to_the_engine_kept_for_regenerate_and_shown_with_the_answer():
    engine = ScriptedEngine([make_answer()], [make_answer(refused=True)])
    bad = run(engine, "سؤال", chosen=chat.Chosen(["الجزيرة"], "2024-13-40", ""))
    assert bad[-1].status == msg.UI_FILTER_BAD_DATE.format(value="2024-13-40") and not engine.calls
    assert not bad[-1].conversation.turns
    reversed_ = run(engine, "سؤال", chosen=chat.Chosen([], "2024-06-19", "2024/01/01"))
    assert reversed_[-1].status == msg.UI_FILTER_REVERSED and not engine.calls
    seen = run(engine, "سؤال", chosen=chat.Chosen(["رؤية", "الجزيرة", "رؤية"], "2024/06/19", ""))
    assert engine.calls[0]["filters"] == SearchFilters(("الجزيرة", "رؤية"), "2024-06-19", None)
    note = msg.UI_FILTER_IN_FORCE.format(what="المصادر الجزيرة، رؤية، من 2024-06-19")
    assert note in html.unescape(seen[-1].html) and msg.UI_FILTER_REFUSED not in html.unescape(seen[-1].html)
    turn = seen[-1].conversation.turns[-1]
    assert plain_answer(turn.answer, turn.filter).startswith(note + "\n\n")  # «copy» says so too
    assert msg.UI_FILTER_IN_FORCE.split("{")[0] not in plain_answer(turn.answer)
    again = run(engine, None, current=dump(seen[-1].conversation), regenerate=True)  # the same filter again
    assert engine.calls[1]["filters"] == engine.calls[0]["filters"]
    assert msg.UI_FILTER_REFUSED in html.unescape(again[-1].html)
    refused = again[-1].conversation.turns[-1]
    assert plain_answer(refused.answer, refused.filter).endswith(msg.UI_FILTER_REFUSED)
    unfiltered = ScriptedEngine([make_answer(refused=True)])
    plain = run(unfiltered, "سؤال", chosen=chat.Chosen([], " ", None))
    assert "filters" not in unfiltered.calls[0] and "filter-note" not in plain[-1].html
    assert msg.UI_FILTER_REFUSED not in html.unescape(plain[-1].html)


def test_uploads_are_reported_file_by_file():
    from assistant.app.ui import articles
    from assistant.app.uploads import FileUpload, UploadResult, UploadStep

    result = UploadResult([FileUpload("a.txt", added=["a"], embedded=4), FileUpload(
        "b.jsonl", added=["b1", "b2"], unchanged=["b3"], embedded=7), FileUpload("c.pdf", errors=[msg.UPLOAD_UNSUPPORTED])])
    shown = list(articles.upload_progress(iter([UploadStep("reading", 0, 3, ""), UploadStep("reading", 1, 3, "a.txt"),
                                                UploadStep("indexing", 1, 3, "a.txt", 1, 1),
                                                UploadStep("indexing", 2, 3, "b.jsonl", 2, 3), result])))
    assert len(shown) == 4  # nothing is said before the first file is read
    assert msg.UI_UPLOAD_READING.format(index=1, total=3, name="a.txt") in html.unescape(shown[0])
    assert msg.UI_UPLOAD_INDEXING in shown[1]
    assert msg.UI_UPLOAD_COUNTING.format(name="b.jsonl", done=2, total=3) in html.unescape(shown[2])
    final = html.unescape(shown[3])
    assert "a.txt</bdi>: أُضيف مقال واحد" in final and "أُضيف مقالان، 1 مقال دون تغيير" not in final
    assert "b.jsonl</bdi>: أُضيف مقالان، مقال واحد دون تغيير" in final
    assert f"c.pdf</bdi>: {msg.UPLOAD_UNSUPPORTED}" in final and "لـ11 جملة" in final
