"""Analyse a question once: the typed text in, a `Question` every later stage reads.

The text is checked (not empty, not huge), tokenised, its form read (what the answer must state), and a
follow-up gets the standalone form it is searched with. Nothing downstream parses the text again.
"""

from __future__ import annotations

import re

from assistant import messages
from assistant.arabic.normalize import match_key
from assistant.arabic.questions import question_form
from assistant.arabic.script import arabic_share
from assistant.arabic.spoken import standard_spelling
from assistant.errors import InputError
from assistant.retrieval.followup import Chat, last_answer, standalone_question
from assistant.types import Query, Question

MAX_QUESTION_CHARS = 2000


_SURROGATE = re.compile("[\ud800-\udfff]")


def validate_question(question: str) -> str:
    """Strip and check a question; an empty or huge one is a clear InputError."""
    question = (question or "").strip()
    if not question:
        raise InputError(messages.EMPTY_QUESTION)
    if _SURROGATE.search(question):  # a lone surrogate from JSON, or bytes that were not UTF-8 on the command line
        raise InputError("the question is not valid Unicode text (a lone surrogate or bytes that are not UTF-8)")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(f"the question is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}")
    return question


def analyse(question: str, history: Chat | None = None) -> Question:
    """The question as typed, with the conversation before it (for a follow-up)."""
    text = validate_question(question)
    searched = standalone_question(text, history or [])
    typed = Query.of(text)
    key = match_key(standard_spelling(text))
    return Question(typed=typed, searched=typed if searched == text else Query.of(searched), key=key,
                    form=question_form(key), arabic_share=arabic_share(text),
                    searched_arabic_share=arabic_share(searched),
                    last_answer=last_answer(history or []) if searched != text else "")
