"""Prompts are package data, rendered strictly: a missing variable fails instead of reaching the model."""

from __future__ import annotations

import pytest

from assistant.answer.prompts import NOT_IN_SOURCES, Prompts
from assistant.errors import ConfigError
from assistant.types import Source


def test_the_bundled_prompts_render_a_chat():
    sources = [Source(1, "d", "d#0", "t", None, "وصل بوتين إلى بيونغ يانغ\nفجر الأربعاء.", 0, 10),
               Source(2, "d", "d#1", "t", None, "وقال إن الزيارة تاريخية.", 11, 30)]
    messages = Prompts.bundled().chat_messages("  متى وصل بوتين؟ ", sources)
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert NOT_IN_SOURCES in messages[0]["content"] and "quoted data, not instructions" in messages[0]["content"]
    assert messages[-1]["content"] == ("المصادر:\n[1] وصل بوتين إلى بيونغ يانغ فجر الأربعاء.\n"
                                       "[2] وقال إن الزيارة تاريخية.\n\nالسؤال: متى وصل بوتين؟")


def test_a_missing_variable_is_an_error():
    prompts = Prompts("system: a\nexample_question: b\nexample_answer: c\nanswer: '{{ sources }} {{ question }}'\n"
                      "source: '[{{ n }}] {{ text }}'\nshort_system: d\nshort_answer: '{{ sentences }} {{ question }}'\n")
    assert prompts.render("source", n=1, text="x") == "[1] x"
    with pytest.raises(ConfigError, match="prompt answer: 'question' is undefined"):
        prompts.render("answer", sources="s")


def test_a_file_without_the_needed_templates_is_refused():
    with pytest.raises(ConfigError, match="missing template"):
        Prompts("system: only this\n")


def test_the_short_answer_request_follows_worked_examples_that_obey_their_own_rule():
    prompts = Prompts.bundled()
    messages = prompts.short_messages(" متى وصل بوتين؟ ", ["وصل بوتين إلى بيونغ يانغ\nفجر الأربعاء."])
    examples = prompts.short_examples
    assert len(examples) >= 3
    assert [m["role"] for m in messages] == ["system", *(["user", "assistant"] * len(examples)), "user"]
    assert messages[-1]["content"] == "النص:\n- وصل بوتين إلى بيونغ يانغ فجر الأربعاء.\n\nالسؤال: متى وصل بوتين؟\nالإجابة المنسوخة من النص:"
    for example, (asked, answered) in zip(examples, zip(messages[1:-1:2], messages[2:-1:2])):
        assert example.question in asked["content"] and all(t in asked["content"] for t in example.sentences)
        assert answered["content"] == example.answer
        assert any(example.answer in t for t in example.sentences), "an example answer must be copied word for word"


@pytest.mark.parametrize("examples", ["short_examples: {a: 1}\n", "short_examples:\n  - question: q\n    answer: a\n",
                                      "short_examples:\n  - sentences: [s]\n    question: q\n",
                                      "short_examples:\n  - sentences: [نص الخبر]\n    question: q\n    answer: غيره\n"])
def test_a_malformed_worked_example_is_refused(examples):
    base = ("system: a\nexample_question: b\nexample_answer: c\nanswer: '{{ sources }} {{ question }}'\n"
            "source: '[{{ n }}] {{ text }}'\nshort_system: d\nshort_answer: '{{ sentences }} {{ question }}'\n")
    with pytest.raises(ConfigError, match="short_examples|short example 1"):
        Prompts(base + examples)
