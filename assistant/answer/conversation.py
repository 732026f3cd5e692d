"""A follow-up continues the passage the conversation is in.

«وكيف وصف زيارة كيم؟» after an answer quoting the analyst Bersanov asks what *Bersanov* said, but its own
words fit a sentence in which Putin describes Kim better. News articles report one speaker or event over a
run of sentences, so the sentences next to the ones the last answer quoted are the likeliest to hold what the
follow-up asks. The last answer's sentences are found by their words (an extractive answer quotes them, a
model's answer reuses most of their words), and their neighbours in the same article are moved up.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from assistant.answer.evidence import ScoredSentence
from assistant.answer.support import CITATION_MARKER
from assistant.arabic.morphology import tokenize

QUOTED_SHARE = 0.7
"""A sentence whose stems are this much in the last answer was quoted (or paraphrased) by it."""
NEIGHBOUR_BONUS = (0.03, 0.03, 0.02)
"""Added to a sentence's score, for ordering only, at 0, 1 and 2 sentences from a quoted one. Small: it
settles near ties. Larger bonuses (0.05–0.08) lost follow-ups whose answer lies elsewhere
(docs/experiments.md)."""


NEW_WITHIN = 4
"""How far down a follow-up's ranking a sentence the last answer did not quote is looked for."""


def quoted(sentences: Sequence[ScoredSentence], answer: str) -> set[tuple[str, int]]:
    """(document, start) of the sentences the answer quoted."""
    said = set(tokenize(CITATION_MARKER.sub(" ", answer)))
    found = set()
    for s in sentences:
        own = set(tokenize(s.text))
        if own and len(own & said) / len(own) >= QUOTED_SHARE:
            found.add((s.hit.chunk.doc_id, s.start))
    return found


def continue_thread(ranked: list[ScoredSentence], answer: str) -> list[ScoredSentence]:
    """`ranked` re-ordered so that the neighbours of what the last answer quoted come first among near
    equals; unchanged when the answer quoted none of them (a refusal, a new topic)."""
    anchors = quoted(ranked, answer) if answer else set()
    if not anchors:
        return ranked
    positions = _positions(ranked)

    def bonus(s: ScoredSentence) -> float:
        gap = min(_gaps(s, anchors, positions), default=len(NEIGHBOUR_BONUS))
        return NEIGHBOUR_BONUS[gap] if gap < len(NEIGHBOUR_BONUS) else 0.0

    return sorted(ranked, key=lambda s: -(s.score + bonus(s)))


def something_new(ranked: Sequence[ScoredSentence], answer: str, within: int = NEW_WITHIN) -> ScoredSentence | None:
    """When the best sentence is one the last answer already quoted: the best of the next `within` that it did
    not quote, so that the follow-up's answer adds to what was said (else None)."""
    if not ranked or not answer:
        return None
    said = quoted(ranked[:within + 1], answer)
    if (ranked[0].hit.chunk.doc_id, ranked[0].start) not in said:
        return None
    return next((s for s in ranked[1:within + 1] if (s.hit.chunk.doc_id, s.start) not in said), None)


THREAD_FEATURES = ("quoted", "next_to_quoted", "two_from_quoted", "same_article_as_quoted", "answer_quoted",
                   "own_words")
"""Where a candidate stands relative to the sentences the last answer quoted (`thread_features`)."""


def thread_features(sentences: Sequence[ScoredSentence], answer: str, own_words: bool) -> np.ndarray:
    """One row per sentence, columns `THREAD_FEATURES`: whether it was quoted, is 1 or 2 sentences from a quoted
    one (among the candidates of its article), shares its article with one; whether the answer quoted any, and
    whether the follow-up has words of its own. The follow-up ranker learns what `NEIGHBOUR_BONUS` sets by hand."""
    anchors = quoted(sentences, answer) if answer else set()
    positions = _positions(sentences)
    rows = []
    for s in sentences:
        gaps = _gaps(s, anchors, positions)
        gap = min(gaps, default=len(NEIGHBOUR_BONUS))
        rows.append([gap == 0, gap == 1, gap == 2, bool(gaps), bool(anchors), own_words])
    return np.array(rows, dtype=np.float32).reshape(len(sentences), len(THREAD_FEATURES))


def _gaps(s: ScoredSentence, anchors: set[tuple[str, int]], positions: dict[tuple[str, int], int]) -> list[int]:
    """How many candidates of its article lie between `s` and each quoted sentence of that article."""
    index = positions[(s.hit.chunk.doc_id, s.start)]
    return [abs(index - positions[a]) for a in anchors if a[0] == s.hit.chunk.doc_id]


def _positions(sentences: Sequence[ScoredSentence]) -> dict[tuple[str, int], int]:
    """Each sentence's rank by position among the candidates of its document."""
    by_doc: dict[str, list[int]] = {}
    for s in sentences:
        by_doc.setdefault(s.hit.chunk.doc_id, []).append(s.start)
    return {(doc, start): i for doc, starts in by_doc.items() for i, start in enumerate(sorted(starts))}
