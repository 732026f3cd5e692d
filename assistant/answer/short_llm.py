"""The short answer copied by the LLM from the best sentences, kept only where it stands in one of them.

On questions written blind on SaudiNewsNet articles the bundled 1.5B model, asked to copy the shortest
phrase that answers, beat the span model's F1 (docs/experiments.md); what it returns is searched for, word
for word after SQuAD's Arabic normalisation, in the sentences it was shown, and becomes a `Span` of that
sentence, so the short answer stays a verified quote. A phrase found nowhere, an error or an empty reply
leaves the span model's answer in place.
"""

from __future__ import annotations

import logging
from typing import Sequence

from assistant.answer.evidence import ScoredSentence
from assistant.answer.prompts import Prompts
from assistant.answer.short import SENTENCES, Span
from assistant.arabic.morphology import answer_tokens
from assistant.arabic.phrases import TRIM, phrase_words
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
    try:
        reply = "".join(model.stream(prompts.short_messages(question, [s.text for s in shown]), MAX_TOKENS))
    except LLMError as exc:
        log.info("short answer: the model failed (%s); the span model's stays", exc)
        return None
    return locate(reply.strip().strip(TRIM), shown)


def locate(phrase: str, sentences: Sequence[ScoredSentence]) -> Span | None:
    """The first run of words of the sentences whose normalised tokens are exactly the phrase's."""
    wanted = answer_tokens(phrase)
    if not wanted:
        return None
    for sentence in sentences:
        words = phrase_words(sentence.text)
        tokens = [answer_tokens(sentence.text[w.start:w.end]) for w in words]
        for i in range(len(words)):
            run: list[str] = []
            for j in range(i, len(words)):
                run += tokens[j]
                if run == wanted:
                    return Span(sentence, words[i].start, words[j].end)
                if len(run) >= len(wanted) or run != wanted[:len(run)]:
                    break
    return None


__all__ = ["copy_short_answer", "locate"]
