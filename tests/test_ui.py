"""The UI as an adapter, against a fake engine that records what it received."""

from __future__ import annotations

from pathlib import Path

from assistant.types import Answer, Citation, Verification
from assistant.types import Document
from assistant.app.service import CitationContext, UploadResult
from assistant.app.ui import answer_html, document_html, history_for_engine, respond, sources_html, upload_message

QUOTE = "عبر حوالي 20 جنديا <b>كوريا</b> شماليا الحدود."


class FakeEngine:
    backends = ("extractive", "local", "hosted")

    def __init__(self, answer: Answer, pieces: tuple[str, ...] = ("عبر ", "حوالي")):
        self.answer, self.pieces, self.calls = answer, pieces, []

    def describe(self, backend):
        return backend

    def stream(self, question, backend, history, top_k):
        self.calls.append({"question": question, "backend": backend, "history": history, "top_k": top_k})
        yield from self.pieces
        yield self.answer

    def documents(self):
        return [Document("d1", "عنوان <i>1</i>", "نص <script>alert(1)</script>", "مصدر")]

    def document(self, doc_id):
        return self.documents()[0]

    def context(self, citation):
        return CitationContext(citation, "قبل <img src=x onerror=alert(1)> ", " بعد")

    def add_files(self, paths):
        return UploadResult(added=["a"], errors=["bad.pdf: نوع ملف غير مدعوم"], embedded=2)


def make_answer(refused=False, fallback=None) -> Answer:
    citations = [] if refused else [Citation(1, "d1", "d1#0", "عنوان <script>x</script>", "الجزيرة", QUOTE, 0, 10)]
    text = "لا تتضمن المقالات المتاحة إجابة عن هذا السؤال." if refused else "عبر 20 جنديا <b>كوريا</b> [1]."
    return Answer("س", text, refused, citations, "extractive", Verification(), {"total": 1234.0},
                  fallback_reason=fallback)


def test_respond_streams_then_shows_verified_answer_and_cards():
    engine = FakeEngine(make_answer())
    chat = [{"role": "user", "content": "سؤال &quot;أول&quot;"}, {"role": "assistant", "content": "<b>جواب</b> [1]"}]
    steps = list(respond(engine, "  ومتى؟ ", chat, "local", 3))
    assert engine.calls == [{"question": "ومتى؟", "backend": "local", "top_k": 3,
                             "history": [{"role": "user", "content": 'سؤال "أول"'},
                                         {"role": "assistant", "content": "جواب [1]"}]}]
    assert steps[1][0][-1]["content"] == "عبر "  # streamed text appears as it comes
    final_chat, final_sources, status = steps[-1]
    assert final_chat[-2] == {"role": "user", "content": "ومتى؟"}
    assert '<a href="#source-1" class="cite">[1]</a>' in final_chat[-1]["content"]
    assert "&lt;b&gt;كوريا" in final_chat[-1]["content"] and "<b>كوريا" not in final_chat[-1]["content"]
    assert 'id="source-1"' in final_sources and "<mark>" in final_sources
    assert "extractive" in status and "1.2" in status


def test_empty_question_does_not_call_the_engine():
    engine = FakeEngine(make_answer())
    [(chat, _, status)] = list(respond(engine, "   ", [], "extractive", 5))
    assert engine.calls == [] and chat == [] and "اكتب سؤالاً" in status


def test_refusal_looks_different_and_has_no_cards():
    html = answer_html(make_answer(refused=True))
    assert 'class="refusal"' in html and "cite" not in html
    assert "لا توجد مصادر" in sources_html([])


def test_fallback_is_explained_in_arabic():
    html = answer_html(make_answer(fallback="cannot reach the hosted LLM <x>"))
    assert "تعذّر استخدام النموذج اللغوي" in html and "&lt;x&gt;" in html


def test_nothing_from_documents_is_rendered_as_html():
    engine = FakeEngine(make_answer())
    cards = sources_html([engine.context(c) for c in make_answer().citations])
    doc = document_html(engine.document("d1"))
    for rendered in (cards, doc):
        assert "<script" not in rendered and "<img" not in rendered and "<i>" not in rendered
    assert "&lt;script&gt;" in cards + doc and "&lt;img src=x onerror=alert(1)&gt;" in cards


def test_upload_message_and_history_helpers():
    message = upload_message(FakeEngine(make_answer()).add_files([Path("a.txt")]))
    assert "أُضيفت 1" in message and "رُفض: bad.pdf" in message
    assert history_for_engine([{"role": "user", "content": "&lt;b&gt;"}]) == [{"role": "user", "content": "<b>"}]
