"""The learned answer models: their file format, the shipped files, the short answer, and `assistant train`."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from assistant.answer.answerer import Answerer
from assistant.answer.features import FEATURES, REFUSAL_FEATURES
from assistant.answer.follow_ups import FOLLOW_UP_FEATURES, FOLLOW_UP_MODEL
from assistant.answer.learned import REFUSAL_MODEL, SENTENCE_MODEL, BoostedModel, LinearModel, load_model
from assistant.answer.short import SPAN_FEATURES, ShortAnswerModel
from assistant.errors import ConfigError
from assistant.arabic.normalize import match_key
from assistant.arabic.words import states_date

ARCD = "../shared/datasets/arcd/arcd-train.json"
NEWS = "eval/train/saudinewsnet-train.jsonl"


def test_linear_model_round_trip_and_feature_check(tmp_path):
    model = LinearModel(("a", "b"), np.array([1.0, 2.0]), np.array([2.0, 1.0]), np.array([0.5, -1.0]), 0.1)
    model.save(tmp_path / "m.json")
    loaded = load_model("m.json", ("a", "b"), tmp_path)
    rows = np.array([[3.0, 2.0], [1.0, 5.0]])
    assert np.allclose(loaded.probability(rows), model.probability(rows))
    assert loaded.probability(rows)[0] > loaded.probability(rows)[1]
    with pytest.raises(ConfigError, match="other features"):
        load_model("m.json", ("a", "c"), tmp_path)
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a usable model file"):
        load_model("bad.json", ("a", "b"), tmp_path)


def test_shipped_models_load_and_say_how_they_were_validated():
    ranker = load_model(SENTENCE_MODEL, FEATURES)
    refusal = BoostedModel.load(REFUSAL_MODEL, len(REFUSAL_FEATURES))
    figures = ranker.about["figures"]
    assert ranker.about["validated"] == "5-fold by article"
    assert figures["learned_p@1"] > figures["hand_p@1"]  # it earns its place over the hand scores
    assert figures["short_f1"] > figures["sentence_f1"]  # the short answer beats quoting the sentence
    assert 0 < refusal.threshold < 1
    follow_up = load_model(FOLLOW_UP_MODEL, FOLLOW_UP_FEATURES).about["figures"]
    assert follow_up["follow_up_learned_p@1"] > follow_up["follow_up_hand_p@1"]  # it earns its place too
    assert ShortAnswerModel.bundled().threshold == float("-inf")  # a ranker: its scores are not F1s
    with pytest.raises(ConfigError, match="other features"):
        BoostedModel.load(REFUSAL_MODEL, len(SPAN_FEATURES))


@pytest.mark.parametrize("question, kind", [("متى التقى كيم جونج اون ببوتين للمرة الاولى؟", "date"),
                                            ("كم عاملا كوريا شماليا ناقش المسؤولون الروس توظيفهم؟", "number")])
def test_short_answer_is_a_verified_phrase_of_a_cited_sentence(real_pipeline, question, kind):
    answer = Answerer(real_pipeline).ask(question, backend="extractive")
    assert not answer.refused and answer.short_answer
    assert len(answer.short_answer.split()) < len(answer.citations[0].quote.split())
    assert any(answer.short_answer in c.quote for c in answer.citations)
    words = match_key(answer.short_answer).split()
    if kind == "date":  # the answer type steers the span: «متى» gets a date, «كم» a number
        assert any(states_date(w) for w in words)
    else:
        assert any(ch.isdigit() for ch in answer.short_answer)
    assert answer.to_json()["short_answer"] == answer.short_answer


def test_yes_no_verdict_only_when_the_sentence_settles_it():
    from assistant.answer.yesno import yes_or_no
    from assistant.messages import NO, YES

    question = "هل يتجه كيم إلى فلاديفوستوك بقطاره المدرع؟"
    flat = lambda _token: 1.0  # noqa: E731 - every word weighs the same
    assert yes_or_no(question, "يتجه زعيم كوريا الشمالية كيم جونج أون بقطاره المدرع إلى مدينة فلاديفوستوك.", flat) == YES
    assert yes_or_no(question, "لم يتجه كيم بقطاره المدرع إلى فلاديفوستوك هذه المرة.", flat) == NO
    assert yes_or_no(question, "وصل الرئيس الروسي إلى بيونغ يانغ فجر الأربعاء.", flat) is None


def test_train_writes_models_that_load(tmp_path):
    """A small real training run (real index, real retrieval, scikit-learn and LightGBM) on both kinds of set:
    a SQuAD file and the news questions stored as references into the archive (with hand-written unanswerable
    ones), whose refusal figures are given set by set."""
    out = tmp_path / "models"
    proc = subprocess.run([sys.executable, "-m", "assistant", "train", "--squad", ARCD, "--squad", NEWS,
                           "--limit", "40", "--out", str(out)], capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Learned answer models" in proc.stdout
    assert "| saudinewsnet-train |" in proc.stdout and "unanswerable questions refused" in proc.stdout
    load_model(SENTENCE_MODEL, FEATURES, out)
    BoostedModel.load(REFUSAL_MODEL, len(REFUSAL_FEATURES), out)
    ShortAnswerModel.bundled(out)
    load_model(FOLLOW_UP_MODEL, FOLLOW_UP_FEATURES, out)
    assert "Follow-ups (" in proc.stdout
    assert json.loads((out / SENTENCE_MODEL).read_text(encoding="utf-8"))["about"]["questions"] == 80


def test_short_answer_spans_keep_quotes_and_brackets_they_close():
    """A span's edge punctuation is trimmed, but not the closing half of a quote or bracket it opens («25 يوليو
    (تموز» and «لـ«الشرق الأوسط» were short answers)."""
    from assistant.arabic.phrases import phrase_words, span_text

    sentence = "وقال إن الرهينة يعمل لشركة طيران «يو تي إير» الروسية، منذ 25 يوليو (تموز) الماضي."
    words = phrase_words(sentence)
    at = {sentence[w.start:w.end]: i for i, w in enumerate(words)}

    def text(first: str, last: str) -> str:
        return span_text(sentence, words[at[first]].start, words[at[last]].end)

    assert text("«يو", "إير»") == "يو تي إير"
    assert text("طيران", "إير»") == "طيران «يو تي إير»"
    assert text("25", "(تموز)") == "25 يوليو (تموز)"
    assert text("(تموز)", "الماضي.") == "(تموز) الماضي"
    assert text("طيران", "تي") == "طيران «يو تي"  # a pair the span cuts stays cut: SQuAD's gold spans cut them too


def test_follow_ups_are_made_from_the_question_before():
    """Training follow-ups: the words a question shares with the one before it go, its question word stays,
    and it carries on with «و» (a crowd-written list dash and text after the question mark are dropped)."""
    from assistant.arabic.questions import as_follow_up

    assert as_follow_up("متى ولد نجيب محفوظ؟", "في أي مدينة ولد نجيب محفوظ؟") == "وفي أي مدينة؟"
    assert as_follow_up(" - من هو جمال خاشقجي؟ ", " - متى ولد جمال خاشقجي وتوفي؟ ال") == "ومتى ولد وتوفي؟"
    assert as_follow_up("متى ولد نجيب محفوظ؟", "ما عاصمة مصر؟") is None  # nothing shared: not a follow-up
