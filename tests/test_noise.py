"""Code, SQL, shell lines and keyboard noise are not questions: refused with a reason, never answered."""

from __future__ import annotations

import json

import pytest

from assistant.answer.answerer import Answerer
from assistant.arabic.noise import code_or_noise
from tests.conftest import EVAL_DIR

NOT_QUESTIONS = [
    ("'; DROP TABLE articles; -- OR 1=1", "SQL"),
    ("SELECT * FROM articles WHERE source='sabq'", "SQL"),
    ("1' OR 1=1 --", "SQL"),
    ("UNION SELECT username, password FROM users;", "SQL"),
    ("rm -rf / --no-preserve-root", "a shell command"),
    ("$(curl http://127.0.0.1:8000/x)", "a shell command"),
    ("sudo cat /etc/passwd", "a shell command"),
    ("ls -la && cat ~/.ssh/id_rsa", "a shell command"),
    ("echo $PATH | sh", "a shell command"),
    ("<script>alert(1)</script>", "code"),
    ("def f(x): return x+1", "code"),
    ("console.log('مرحبا');", "code"),
    ("for (i=0;i<10;i++) { x[i] = 0; }", "code"),
    ("import os", "code"),
    ("}{][;;;==", "code"),
    ("asdfghjkl", "keyboard noise"),
    ("ضصثقفغعه", "keyboard noise"),
    ("شسيبلات نمكط", "keyboard noise"),
    ("qwerty qwerty", "keyboard noise"),
    ("jjjjjjjj", "keyboard noise"),
    ("ههههههههه", "keyboard noise"),
    ("xkcdqzv", "keyboard noise"),
]
QUESTIONS_THAT_NAME_CODE = [
    "What did North Korea import from Russia?",
    "When did Kim return to Pyongyang?",
    "Which weapons did Russia select from the exhibition?",
    "ما هي لغة SQL؟",
    "ما الفرق بين Python و Java؟",
    "هل قال بوتين إن روسيا ستدعم كوريا؟ (بحسب رويترز)",
    "كم نسبة (%) التبادل التجاري؟",
]


@pytest.mark.parametrize("text,kind", NOT_QUESTIONS)
def test_code_sql_shell_and_keyboard_noise_are_told_apart(text, kind):
    assert code_or_noise(text) == kind


@pytest.mark.parametrize("text", QUESTIONS_THAT_NAME_CODE)
def test_a_question_that_names_code_is_still_a_question(text):
    assert code_or_noise(text) is None


def test_no_eval_question_is_taken_for_code_or_noise():
    asked = []
    for path in sorted(EVAL_DIR.glob("*.jsonl")):
        for row in map(json.loads, path.open(encoding="utf-8")):
            history = [turn if isinstance(turn, str) else turn.get("question", "") for turn in row.get("history") or []]
            asked += [q for q in [row.get("question"), *history] if q]
    assert len(asked) > 400
    assert [q for q in asked if code_or_noise(q)] == []


@pytest.mark.parametrize("text,kind", NOT_QUESTIONS[::4])
def test_the_answerer_refuses_them_with_the_reason(real_pipeline, text, kind):
    answer = Answerer(real_pipeline).ask(text, backend="extractive")
    assert answer.refused and not answer.citations
    assert answer.refusal_reason == f"{kind}, not a question about the articles"
