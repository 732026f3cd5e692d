"""The evaluation harness: data files, metrics, the judge's accuracy, thresholds and the report."""

from __future__ import annotations

import json

import pytest

from assistant.answer.answerer import Answerer
from assistant.types import Answer, Citation, Verification
from assistant.evaluation.answers import DevCase, fact_found, load_dev, score_case, summarize
from assistant.evaluation.judge import judge_accuracy
from assistant.evaluation.report import write_report
from assistant.evaluation.runner import (DEFAULT_DEV, EVAL_DIR, check_thresholds, evaluate_backend, load_thresholds,
                                         select)


def test_dev_set_shape_and_coverage():
    cases = load_dev(DEFAULT_DEV)
    assert len(cases) >= 40
    types = {c.type for c in cases}
    assert {"single_fact", "number", "date", "why", "how", "multi_doc", "unanswerable", "spelling", "english"} <= types
    for c in cases:
        assert c.answerable == (c.type != "unanswerable")
        assert (not c.answerable) or (c.key_facts and c.gold_docs and c.evidence and c.answer)


@pytest.mark.parametrize("name", ["dev.jsonl", "holdout.jsonl", "forms.jsonl", "yesno.jsonl", "followups.jsonl",
                                  "followups_subject.jsonl"])
def test_every_evidence_string_and_key_fact_is_in_its_document(real_pipeline, name):
    docs = {d.id: d for d in real_pipeline.corpus.documents()}
    cases = load_dev(EVAL_DIR / name)
    assert len({c.id for c in cases}) == len(cases)
    for case in cases:
        assert case.answerable == (case.type != "unanswerable"), case.id
        for evidence in case.evidence:
            assert any(evidence in docs[g].text for g in case.gold_docs), (case.id, evidence)
        for fact in case.key_facts:  # a key fact is something the articles say
            assert any(fact_found(fact, docs[g].text) for g in case.gold_docs), (case.id, fact)


def test_a_follow_up_case_is_asked_after_its_conversation(real_pipeline):
    case = DevCase(id="c", question="وما عنوانه؟", type="followup", answer="آفاق الصداقة والتعاون",
                   key_facts=["آفاق الصداقة"], gold_docs=["003_48eeebc7d8fccadc"], evidence=[],
                   history=["في أي صحيفة نشر بوتين مقالا قبل زيارته؟"])
    alone = DevCase(**{**case.__dict__, "history": []})
    answerer = Answerer(real_pipeline)
    _, [with_history] = evaluate_backend(answerer, [case], "extractive")
    _, [without] = evaluate_backend(answerer, [alone], "extractive")
    assert with_history["key_fact_recall"] == 1.0
    assert without["refused"] or without["key_fact_recall"] == 0.0  # alone, «عنوانه» points nowhere


def test_support_judge_accuracy_on_labelled_pairs(real_pipeline):
    pairs = [json.loads(line) for line in (EVAL_DIR / "support_pairs.jsonl").read_text("utf-8").splitlines()]
    assert len(pairs) >= 30
    kinds = " ".join(p["kind"] for p in pairs)
    for kind in ("paraphrase", "wrong number", "wrong name", "negation"):
        assert kind in kinds
    result = judge_accuracy(EVAL_DIR / "support_pairs.jsonl", real_pipeline.store.idf)
    print(f"support judge accuracy: {result['accuracy']:.3f} on {result['pairs']} pairs")
    assert result["accuracy"] >= 0.9


def test_key_facts_match_across_spellings_and_number_words():
    assert fact_found("بيونغ يانغ", "زار بوتين بيونج يانج أمس")
    assert fact_found("3", "التقيا ثلاث مرات")
    assert fact_found("ثلاث", "التقيا 3 مرات")
    assert fact_found("الإسلحة", "بتزويد روسيا بالاسلحه")
    assert not fact_found("1949", "في عام 1948")


def test_scoring_one_answer():
    case = DevCase("x", "q", "number", "20", ["20"], ["d"], ["e"])
    quote = "عبر حوالي 20 جنديا كوريا شماليا الحدود البرية بين الكوريتين."
    good = Answer("q", "عبر نحو 20 جنديا كوريا شماليا الحدود البرية [1].", False,
                  [Citation(1, "d", "d#0", "t", "s", quote, 0, len(quote))], "extractive", Verification(), {})
    result = score_case(case, good, quote, None)
    assert (result.key_fact_recall, result.citations, result.supported_citations) == (1.0, 1, 1)
    assert result.faithful_sentences == 1 and result.arabic
    wrong = Answer("q", "عبر 200 جندي الحدود البرية [1].", False, good.citations, "extractive", Verification(), {})
    bad = score_case(case, wrong, quote, None)
    assert bad.key_fact_recall == 0.0 and bad.supported_citations == 0
    summary = summarize([result, bad])
    assert summary["citation_precision"] == 0.5 and summary["key_fact_accuracy"] == 0.5


def test_select_spreads_over_the_file():
    cases = load_dev(DEFAULT_DEV)
    chosen = select(cases, 12)
    assert len(chosen) == 12 and chosen[0] is cases[0] and chosen[-1] is cases[-1]
    assert any(not c.answerable for c in chosen)
    assert select(cases, "all") == cases


def test_thresholds_file_and_checks():
    thresholds = load_thresholds()
    assert set(thresholds["backends"]) == {"extractive", "local"}
    assert thresholds["backends"]["local"]["questions"] >= 10
    report = {"judge": {"accuracy": 0.95},
              "backends": {"extractive": {"summary": {"key_fact_accuracy": 0.80, "wrong_refusal_rate": 0.1}}}}
    spec = {"judge": {"min_accuracy": 0.9},
            "backends": {"extractive": {"min_key_fact_accuracy": 0.85, "max_wrong_refusal_rate": 0.0}}}
    failures = check_thresholds(report, spec)
    assert len(failures) == 2 and "below 0.85" in failures[0] and "above 0.0" in failures[1]


def test_report_files_and_comparison(tmp_path):
    summary = {"questions": 2.0, "key_fact_accuracy": 0.5, "citation_precision": 1.0, "total_p50_ms": 100.0}
    question = {"id": "d1", "question": "س", "type": "number", "answerable": True, "answer": "ج", "refused": False,
                "key_fact_recall": 0.0, "citation_docs": ["doc"], "fallback_reason": None}
    report = {"created": "now", "dev_set": "eval/dev.jsonl", "judge": {"pairs": 36, "accuracy": 0.9},
              "backends": {"extractive": {"summary": summary, "questions": [question]}}, "threshold_failures": []}
    write_report(report, tmp_path)
    better = json.loads(json.dumps(report))
    better["backends"]["extractive"]["summary"]["key_fact_accuracy"] = 0.75
    paths = write_report(better, tmp_path)
    markdown = paths["markdown"].read_text("utf-8")
    assert "| extractive | key_fact_accuracy | 0.500 | 0.750 | better |" in markdown
    assert "**d1**" in markdown and "All met." in markdown
    assert paths["chart"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "previous.json").exists()


@pytest.mark.parametrize("bad", ["{}", "[backends]\n"])
def test_bad_thresholds_file(tmp_path, bad):
    from assistant.errors import ConfigError

    path = tmp_path / "t.toml"
    path.write_text(bad, "utf-8")
    with pytest.raises(ConfigError):
        load_thresholds(path)


def test_readme_table_is_replaced_between_markers():
    from assistant.evaluation.report import with_summary_table

    report = {"judge": {"pairs": 36, "accuracy": 0.917},
              "backends": {"extractive": {"summary": {"questions": 50.0, "key_fact_accuracy": 0.875}}}}
    text = with_summary_table("intro\n<!-- eval:start -->\nold\n<!-- eval:end -->\nrest\n", report)
    assert "old" not in text and "| key_fact_accuracy | 0.875 |" in text and text.endswith("rest\n")
