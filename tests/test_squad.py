"""`assistant eval --squad`: Arabic SQuAD normalisation, the file reader, and a real run on ARCD articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.arabic.morphology import answer_tokens
from assistant.evaluation.squad import load_squad
from assistant.evaluation.squad_metrics import best, contains, exact_match, f1
from assistant.evaluation.squad_report import run

ARCD = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "arcd" / "arcd-train.json"


def test_arabic_normalisation_folds_spelling_article_and_proclitics():
    assert answer_tokens("بالمدينةِ المنوّرة") == answer_tokens("المدينه المنورة")
    assert answer_tokens("إلى أحمد") == answer_tokens("الى احمد")
    assert answer_tokens("The Nile.") == answer_tokens("nile")
    assert exact_match("في عام ١٩٩٠", "في عام 1990")


def test_f1_and_containment():
    assert f1("مدينة الرياض", "الرياض") == pytest.approx(2 / 3)
    assert f1("جدة", "الرياض") == 0.0
    assert contains("وصل الوفد إلى الرياض يوم الأحد", "للرياض")
    assert not contains("وصل الوفد إلى جدة", "الرياض")
    assert not contains("الرياض مدينة", "مدينة الرياض")  # in order and together
    assert best(f1, "الرياض", ["جدة", "الرياض"]) == 1.0


def _subset(tmp_path: Path, articles: int) -> Path:
    data = json.loads(ARCD.read_text(encoding="utf-8"))
    path = tmp_path / "arcd-subset.json"
    path.write_text(json.dumps({"version": "1", "data": data["data"][:articles]}, ensure_ascii=False), encoding="utf-8")
    return path


def test_reader_keeps_gold_spans_inside_the_joined_text(tmp_path):
    squad = load_squad(_subset(tmp_path, 5))
    docs = {d.id: d for d in squad.documents}
    assert len(docs) == 5 and squad.questions
    for q in squad.questions:
        assert q.spans, q.id
        assert any(docs[q.doc_id].text[a:b] in q.answers for a, b in q.spans), q.id


def test_unreadable_file_is_one_line_error(tmp_path):
    from assistant.errors import InputError

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable SQuAD file"):
        load_squad(bad)


def test_squad_run_on_real_articles(settings, tmp_path):
    """Three ARCD articles as the corpus, the real embedder and index: the scores are measured, not assumed."""
    report = run(settings, _subset(tmp_path, 3), "extractive", 12, tmp_path / "reports")
    summary, rows = report["summary"], report["questions"]
    assert len(rows) == 12 and report["articles"] == 3
    assert summary["containment"] >= 0.5  # the answer is usually in the quoted sentences
    assert summary["gold_citation"] >= 0.8  # three articles: the right one is cited
    assert summary["off_topic_refused"] >= 0.7  # Wikipedia questions asked of the bundled news (some are vague)
    for key in ("short_f1", "short_em", "wrong_refusals", "near_domain_refused"):
        assert 0.0 <= summary[key] <= 1.0
    assert {p.suffix for p in (tmp_path / "reports").iterdir()} == {".json", ".md", ".png"}


NEWS_REFS = Path(__file__).resolve().parents[1] / "eval" / "train" / "saudinewsnet-train.jsonl"
SAUDINEWSNET = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "saudinewsnet"


def test_news_question_references_rebuild_from_the_archive_zips():
    """The news training set stores no article text: the articles come from the dataset's zips, and every gold
    span is the article's text at the stored offsets (an offset off by one would cut a word)."""
    refs = [json.loads(line) for line in NEWS_REFS.read_text(encoding="utf-8").splitlines()]
    assert not any("context" in r or any("text" in a for a in r["answers"]) for r in refs)
    squad = load_squad(NEWS_REFS, SAUDINEWSNET)
    docs = {d.id: d for d in squad.documents}
    assert len(squad.questions) == len(refs) == len({q.id for q in squad.questions})
    answerable = [q for q in squad.questions if not q.impossible]
    # the near misses written by hand, and only they, are unanswerable (no span came out empty)
    assert len(squad.questions) - len(answerable) == sum(r["is_impossible"] for r in refs) > 0
    by_id = {r["id"]: r for r in refs}
    for q in answerable:
        (a, b), = q.spans
        span = docs[q.doc_id].text[a:b]
        assert span == q.answers[0] and span.strip() == span and span, q.id
        assert len(span) == by_id[q.id]["answers"][0]["answer_end"] - by_id[q.id]["answers"][0]["answer_start"]


def test_missing_archive_or_a_broken_reference_is_one_line_error(tmp_path):
    from assistant.errors import InputError

    with pytest.raises(InputError, match="cannot read the article archive"):
        load_squad(NEWS_REFS, tmp_path)
    first = json.loads(NEWS_REFS.read_text(encoding="utf-8").splitlines()[0])
    for broken, message in (({"index_in_zip": 10 ** 6}, "has no article"),
                            ({"answers": [{"answer_start": 5, "answer_end": 5}]}, "lies outside its article"),
                            ({"answers": [{"answer_start": 0, "answer_end": 10 ** 7}]}, "lies outside its article")):
        path = tmp_path / "refs.jsonl"
        path.write_text(json.dumps({**first, **broken}, ensure_ascii=False) + "\n", encoding="utf-8")
        with pytest.raises(InputError, match=message):
            load_squad(path, SAUDINEWSNET)
