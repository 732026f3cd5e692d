"""A follow-up's candidate sentences, ranked by a model trained on follow-ups.

A follow-up («ومن رافقه؟» after «متى زار بوتين بيونغ يانغ؟») holds two questions: the one it continues,
searched together with it, and its own words. The sentence ranker was trained on questions that stand alone:
given the searched text it picks the earlier answer again, given the typed words it has no subject. This model
reads both of a sentence's `features.FEATURES` rows side by side (against the searched question and against
the follow-up as typed) and where the sentence stands relative to what the last answer quoted
(`conversation.thread_features`). It is trained (`evaluation.train_follow_ups`) on follow-ups made from the
training questions: the next question on the same article, with the words it shares with the one before
taken out. It replaced the hand order (mean of both scores plus a bonus next to the quoted sentences):
measured in docs/experiments.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np

from assistant.answer.conversation import THREAD_FEATURES, thread_features
from assistant.answer.evidence import Scored, ScoredSentence
from assistant.answer.features import FEATURES, REFUSAL_FEATURES, coverage, refusal_features, sentence_features
from assistant.answer.learned import LinearModel, load_model
from assistant.answer.ranking import Ranking
from assistant.types import Question

FOLLOW_UP_MODEL = "follow_up_ranker.json"
FOLLOW_UP_REFUSAL_MODEL = "follow_up_refusal.json"
FOLLOW_UP_FEATURES: tuple[str, ...] = (*(f"searched_{n}" for n in FEATURES), *(f"typed_{n}" for n in FEATURES),
                                       *THREAD_FEATURES)
FOLLOW_UP_REFUSAL_FEATURES: tuple[str, ...] = (*FOLLOW_UP_FEATURES, *REFUSAL_FEATURES[len(FEATURES):])
"""As for a question that stands alone (`features.refusal_features`): the best candidate's row, how sure the
follow-up ranker is, and how much of the question's vocabulary the corpus knows. A logistic regression trained
to tell a made-up follow-up from the same one with the sentences holding its answer taken out. With `both` it
only lets a sure follow-up past the hand bounds: refusing on its own it lost answerable follow-ups people wrote
and caught none of their near misses (docs/experiments.md)."""


def scored_both_ways(candidates: Sequence[ScoredSentence], searched: Sequence[ScoredSentence],
                     typed: Sequence[ScoredSentence] | None) -> tuple[list[ScoredSentence], list[ScoredSentence]]:
    """Each candidate as scored against the question searched and against the follow-up as typed, in the
    candidates' order. Without words of its own (`typed` None: «ولماذا؟») a follow-up shares no word with any
    sentence and has no vector of its own: its typed score is the searched one's meaning and no overlap."""
    by_searched = {(s.hit.chunk.doc_id, s.start): s for s in searched}
    by_typed = {(s.hit.chunk.doc_id, s.start): s for s in typed or ()}
    keys = [(s.hit.chunk.doc_id, s.start) for s in candidates]
    first = [by_searched[k] for k in keys]
    return first, [by_typed[k] for k in keys] if typed is not None else [replace(s, lexical=0.0) for s in first]


def follow_up_rows(question: Question, searched: Sequence[ScoredSentence], typed: Sequence[ScoredSentence],
                   idf: Callable[[str], float]) -> np.ndarray:
    """One row per candidate, columns `FOLLOW_UP_FEATURES`. `searched[i]` and `typed[i]` are the same sentence
    scored against the question searched and against the follow-up as typed."""
    alone = replace(question, searched=question.typed)
    return np.hstack([sentence_features(question, searched, idf), sentence_features(alone, typed, idf),
                      thread_features(searched, question.last_answer, question.has_own_words)])


@dataclass(frozen=True)
class FollowUpModels:
    """The follow-up ranker and, when refusal is learned, the follow-up refusal model."""

    ranker: LinearModel
    refusal: LinearModel | None

    @classmethod
    def bundled(cls, refusal: bool) -> FollowUpModels:
        """The shipped files (the refusal model only if `refusal`)."""
        return cls(load_model(FOLLOW_UP_MODEL, FOLLOW_UP_FEATURES),
                   load_model(FOLLOW_UP_REFUSAL_MODEL, FOLLOW_UP_REFUSAL_FEATURES) if refusal else None)

    def rank(self, question: Question, candidates: Sequence[ScoredSentence], scored: Scored,
             idf: Callable[[str], float]) -> Ranking:
        """The candidates, most likely answer first (ties keep the given order), with their rows and the ranker's
        probabilities in that order."""
        searched, typed = scored_both_ways(candidates, *scored)
        rows = follow_up_rows(question, searched, typed, idf)
        probabilities = self.ranker.probability(rows) if len(rows) else np.zeros(0)
        order = np.argsort(-probabilities, kind="stable")
        return Ranking([candidates[i] for i in order], rows[order], follow_up=True,
                       probabilities=probabilities[order])

    def answer_probability(self, question: Question, rows: np.ndarray, probabilities: np.ndarray,
                           idf: Callable[[str], float], refuses: bool) -> tuple[float, float] | None:
        """The refusal model's probability that the candidates answer, and the threshold under which it refuses:
        its own if `refuses`, else 0 (it then only lets a sure follow-up past the hand bounds). None: no model."""
        if self.refusal is None:
            return None
        row = refusal_features(rows, probabilities, coverage(question, idf))
        return float(self.refusal.probability(row)[0]), self.refusal.threshold if refuses else 0.0


__all__ = ["FOLLOW_UP_FEATURES", "FOLLOW_UP_MODEL", "FOLLOW_UP_REFUSAL_FEATURES", "FOLLOW_UP_REFUSAL_MODEL",
           "FollowUpModels", "follow_up_rows", "scored_both_ways"]
