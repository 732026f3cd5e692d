"""The answer type read from a question's form (`arabic.answer_types`), in Arabic, its dialects and English."""

from __future__ import annotations

import pytest

from assistant.answer.answerer import Answerer
from assistant.arabic.answer_types import answer_type
from assistant.arabic.normalize import match_key


@pytest.mark.parametrize("question, kind", [
    ("متى زار بوتين بيونغ يانغ؟", "date"), ("امتى وصل كيم؟", "date"), ("في أي عام وقعت المعاهدة؟", "date"),
    ("كم مرة التقى بوتين كيم؟", "number"), ("قديش عدد الجنود؟", "number"), ("How many workers are in Russia?", "number"),
    ("من رافق بوتين؟", "person"), ("مين وزير الخارجية؟", "person"), ("Who met Putin?", "person"),
    ("أين عقدت القمة؟", "place"), ("وين انعقدت القمة؟", "place"), ("ما المدينة التي استضافت القمة؟", "place"),
    ("لماذا زار كيم روسيا؟", "reason"), ("ليش توترت العلاقات؟", "reason"), ("ما سبب الزيارة؟", "reason"),
    ("ما هدف زيارة بوتين إلى كوريا الشمالية؟", "reason"), ("ما الغرض من الجولات الميدانية؟", "reason"),
    ("كيف وصف بوتين كيم؟", "manner"), ("هل زار كيم الصين؟", "yesno"), ("Did Kim visit China?", "yesno"),
])
def test_the_question_form_says_what_the_answer_states(question, kind):
    assert answer_type(match_key(question)) == kind


def test_a_purpose_question_gets_the_purpose_not_the_day(real_pipeline):
    """«ما هدف…» asks why, in other words: the short answer is what the visit is for, not the day it began."""
    answer = Answerer(real_pipeline).ask("ما هدف زيارة بوتين إلى كوريا الشمالية؟", backend="extractive")
    assert not answer.refused and "تعزيز العلاقات" in (answer.short_answer or "")
