"""Arabic sentences with a Latin name, a URL or markup are evidence: they are cited when they answer.

The sentences are real (SaudiNewsNet, 2015-07-23); under 80% of their letters are Arabic, so the letter
share used to drop them and the answer moved on to unrelated sentences.
"""

from __future__ import annotations

import pytest

from assistant.answer.answerer import Answerer
from assistant.app.wiring import open_pipeline
from assistant.arabic.script import arabic_share, arabic_word_share, is_arabic_prose
from assistant.settings import Settings
from tests.archive import records

CASES = [  # (a phrase of the article, a question its mixed sentence answers, words the cited sentence holds)
    ("أمام (RKC WAALWIJK) الهولندي بتاريخ", "أمام أي فريق هولندي سيكون اللقاء الرابع؟", ("RKC WAALWIJK", "1/8/2015")),
    ("www.mcs.gov.sa", "من أين يحصل المتقدمون على المعلومات الخاصة بمحتوى الاختبار والأمثلة التدريبية؟",
     ("http://www.mcs.gov.sa",)),
    ("itunes.apple.com", "من أين يمكن تحميل التطبيقات لأجهزة آبل وأندرويد؟", ("itunes.apple.com",)),
]


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory, embedder) -> Answerer:
    root = tmp_path_factory.mktemp("mixed")
    day = records("2015-07-23", 100_000, min_words=0, max_words=100_000)
    corpus = root / "corpus"
    corpus.mkdir()
    for n, (phrase, _, _) in enumerate(CASES):
        article = next(r for r in day if phrase in str(r.get("content") or ""))
        (corpus / f"mixed{n}.txt").write_text(f"{article['title']}\n\n{article['content']}", encoding="utf-8")
    settings = Settings(corpus_dir=corpus, index_dir=root / "index", user_corpus_dir=root / "user")
    return Answerer(open_pipeline(settings, embedder=embedder))


@pytest.mark.parametrize("phrase,question,quoted", CASES, ids=["club", "url", "app-links"])
def test_a_mixed_script_sentence_becomes_the_cited_answer(answerer, phrase, question, quoted):
    answer = answerer.ask(question)
    assert not answer.refused, answer.refusal_reason
    cited = next((c.quote for c in answer.citations if all(word in c.quote for word in quoted)), None)
    assert cited, [c.quote for c in answer.citations]
    assert arabic_share(cited) < 0.8 and is_arabic_prose(cited)  # the letter share would have dropped it


@pytest.mark.parametrize("text,share", [
    ("أما اللقاء الرابع سيكون أمام (RKC WAALWIJK) الهولندي بتاريخ 1/8/2015م.", 1.0),
    ("أعلنت شركة Saudi Aramco عن أرباح بلغت 100 مليار دولار عبر تطبيق whatsapp", 0.9),
    ("شاهد ![x](http://a.example/pixel.png) و<b>اقرأ</b> [التقرير الكامل](http://b.example) هنا", 1.0),
    ("The summit ended on Thursday in Vladivostok.", 0.0),
    ("Putin Visited Pyongyang", 0.0),
    ("وقال ترامب we will make a deal with them very soon للصحفيين", 0.3),
])
def test_arabic_share_of_words_sets_aside_names_numbers_and_markup(text, share):
    assert arabic_word_share(text) == pytest.approx(share, abs=0.05)
