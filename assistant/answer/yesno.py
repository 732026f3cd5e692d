"""«نعم» or «لا» for a yes/no question, only when the cited sentence states it.

The question is read as a claim (its question word is a stopword) and judged against the sentence by the
citation judge (`support.judge`): the sentence supports it (its words, numbers, rare names and negation
all agree) -> yes; it has the claim's words and numbers but negates what the claim affirms, or the
reverse -> no. Anything else -> no verdict: the quoted sentence is shown without a yes or no.
"""

from __future__ import annotations

from assistant import messages
from assistant.answer.support import SUPPORT_THRESHOLD, Idf, judge


def yes_or_no(question: str, sentence: str, idf: Idf) -> str | None:
    """`messages.YES`, `messages.NO`, or None when the sentence does not settle the question."""
    verdict = judge(question, sentence, idf)
    if verdict.supported:
        return messages.YES
    agrees = verdict.coverage >= SUPPORT_THRESHOLD and not verdict.missing_numbers and not verdict.missing_rare
    return messages.NO if agrees and not verdict.polarity_ok else None


__all__ = ["yes_or_no"]
