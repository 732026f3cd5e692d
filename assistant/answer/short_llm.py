"""The short answer copied by the LLM from the best sentences, kept only where it stands in one of them.

On questions written blind on SaudiNewsNet articles the bundled 1.5B model, asked to copy the shortest
phrase that answers, beat the span model's F1 (docs/experiments.md); what it returns is searched for, word
for word after SQuAD's Arabic normalisation, in the sentences it was shown, and becomes a `Span` of that
sentence, so the short answer stays a verified quote. A phrase found nowhere, an error or an empty reply
leaves the span model's answer in place.

`copy_from_quotes` does the same from an answer's quotes alone: the refinement of an instant (extractive)
answer, made after it is shown (`Answerer.refine`).
"""

from __future__ import annotations

import logging
from typing import Sequence

from assistant.answer.evidence import ScoredSentence
from assistant.answer.prompts import Prompts
from assistant.answer.short import SENTENCES, Span
from assistant.arabic.morphology import answer_tokens
from assistant.arabic.phrases import TRIM, phrase_words, span_text
from assistant.errors import LLMError
from assistant.llm.base import ChatModel

log = logging.getLogger(__name__)
MAX_TOKENS = 40
"""A short answer is a few words; a longer reply is cut and will rarely be found."""


def copy_short_answer(model: ChatModel, prompts: Prompts, question: str,
                      sentences: Sequence[ScoredSentence]) -> Span | None:
    """The model's phrase as a span of one of the best sentences, or None."""
    shown = list(sentences[:SENTENCES])
    if not shown:
        return None
    reply = _reply(model, prompts, question, [s.text for s in shown])
    return locate(reply, shown) if reply else None


def copy_from_quotes(model: ChatModel, prompts: Prompts, question: str, quotes: Sequence[str]) -> str | None:
    """The model's phrase as it stands in one of `quotes` (its exact text there), or None."""
    shown = list(dict.fromkeys(quotes))[:SENTENCES]
    reply = _reply(model, prompts, question, shown) if shown else ""
    found = _run_of(reply, shown) if reply else None
    if found is None:
        return None
    which, start, end = found
    return span_text(shown[which], start, end) or None


def locate(phrase: str, sentences: Sequence[ScoredSentence]) -> Span | None:
    """The first run of words of the sentences whose normalised tokens are exactly the phrase's."""
    found = _run_of(phrase, [s.text for s in sentences])
    return Span(sentences[found[0]], found[1], found[2]) if found else None


def _reply(model: ChatModel, prompts: Prompts, question: str, texts: list[str]) -> str:
    """The model's phrase, trimmed ("" when it failed)."""
    try:
        reply = "".join(model.stream(prompts.short_messages(question, texts), MAX_TOKENS))
    except LLMError as exc:
        log.info("short answer: the model failed (%s); the span model's stays", exc)
        return ""
    return reply.strip().strip(TRIM)


def _run_of(phrase: str, texts: Sequence[str]) -> tuple[int, int, int] | None:
    """(which text, start, end) of the first run of words whose normalised tokens are exactly the phrase's."""
    wanted = answer_tokens(phrase)
    if not wanted:
        return None
    for which, text in enumerate(texts):
        words = phrase_words(text)
        tokens = [answer_tokens(text[w.start:w.end]) for w in words]
        for i in range(len(words)):
            run: list[str] = []
            for j in range(i, len(words)):
                run += tokens[j]
                if run == wanted:
                    return which, words[i].start, words[j].end
                if len(run) >= len(wanted) or run != wanted[:len(run)]:
                    break
    return None


__all__ = ["copy_from_quotes", "copy_short_answer", "locate"]
