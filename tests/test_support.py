"""The support judge and citation verification on hand-made cases."""

from __future__ import annotations

from assistant.types import Source
from assistant.arabic.morphology import tokenize
from assistant.answer.support import judge
from assistant.arabic.numbers import numbers_in
from assistant.answer.verify import verify_answer
from assistant.arabic.script import arabic_share

WORKERS = ("وقد ناقش المسؤولون الروس علنا العمل على ترتيبات سياسية لتوظيف ما بين 20 ألف إلى 50 ألف "
           "عامل كوري شمالي، على الرغم من قرارات مجلس الأمن.")
TRAINS = "استأنفت روسيا وكوريا الشمالية السفر بالقطارات لأول مرة العام الماضي، منذ قطع رحلات السكك الحديدية."
SUMMIT = "ولم تصدر عن القمة قرارات كبيرة كما كان متوقعاً."
MEETINGS = "والتقى كيم جون إيل والد كيم جونغ أون ثلاث مرات."


def sources() -> list[Source]:
    return [Source(n, f"doc{n}", f"doc{n}#0", f"عنوان {n}", "مصدر", text, 0, len(text))
            for n, text in enumerate([WORKERS, TRAINS, SUMMIT], start=1)]


def test_correct_paraphrase_is_supported():
    assert judge("ناقش مسؤولون روس توظيف ما بين 20 و50 ألف عامل كوري شمالي", WORKERS).supported
    assert judge("استأنف البلدان السفر بالقطارات", TRAINS).supported


def test_fabricated_number_is_caught():
    verdict = judge("ناقش المسؤولون الروس توظيف 80 ألف عامل كوري شمالي", WORKERS)
    assert not verdict.supported and verdict.missing_numbers == ("80",)


def test_number_words_count_as_numbers():
    assert numbers_in("التقى به ثلاث مرات عام ٢٠١١") == {"3", "2011"}
    assert judge("التقى كيم جونغ إيل ثلاث مرات", MEETINGS).supported
    assert not judge("التقى كيم جونغ إيل خمس مرات", MEETINGS).supported


def test_wrong_name_is_caught():
    japan = set(tokenize("اليابان"))
    assert not judge("استأنفت روسيا واليابان السفر بالقطارات", TRAINS, idf=lambda t: 3.0 if t in japan else 1.0).supported


def test_negation_flip_is_caught():
    assert judge("لم تصدر عن القمة قرارات كبيرة", SUMMIT).supported
    assert not judge("صدرت عن القمة قرارات كبيرة", SUMMIT).supported


def test_unrelated_passage_does_not_support():
    assert not judge("استأنفت روسيا وكوريا الشمالية السفر بالقطارات", WORKERS).supported


def test_verification_recites_removes_and_renumbers():
    raw = ("استأنف البلدان السفر بالقطارات [1]. ناقش المسؤولون الروس توظيف 80 ألف عامل كوري شمالي [1]. "
           "لم تصدر عن القمة قرارات كبيرة. [3] وأرسلت روسيا دبابات [9]. This sentence is English [2].")
    result = verify_answer(raw, sources())
    assert result.text == "استأنف البلدان السفر بالقطارات [1]. لم تصدر عن القمة قرارات كبيرة [2]."
    assert [(c.n, c.doc_id) for c in result.citations] == [(1, "doc2"), (2, "doc3")]
    assert result.citations[0].quote == TRAINS
    report = result.report
    assert (report.sentences, report.supported, report.removed, report.recited) == (5, 2, 3, 1)
    assert any("unknown source" in note for note in report.notes)


def test_nothing_supported_gives_no_citations():
    result = verify_answer("وصل بوتين إلى طوكيو في زيارة رسمية [1].", sources())
    assert result.citations == [] and result.text == ""


def test_arabic_share():
    assert arabic_share("روسيا وكوريا الشمالية (DMZ)") > 0.8
    assert arabic_share("Russia and North Korea") == 0.0


def test_a_citation_that_adds_nothing_is_dropped_and_a_needed_one_kept():
    # [1][2] where [1] alone supports the sentence: [2] goes (it would point to text that does not say it)
    result = verify_answer("ناقش المسؤولون الروس توظيف ما بين 20 ألف إلى 50 ألف عامل كوري شمالي [1][2].", sources())
    assert [c.doc_id for c in result.citations] == ["doc1"] and "[2]" not in result.text
    # a sentence joining two facts needs both passages: both citations stay
    joined = "استأنفت روسيا وكوريا الشمالية السفر بالقطارات ولم تصدر عن القمة قرارات كبيرة [2][3]."
    result = verify_answer(joined, sources())
    assert [c.doc_id for c in result.citations] == ["doc2", "doc3"]
