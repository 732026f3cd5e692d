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

from dataclasses import replace
from typing import Callable, Sequence

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding

from assistant.answer.conversation import THREAD_FEATURES, thread_features
from assistant.answer.evidence import ScoredSentence, score_sentences
from assistant.answer.features import FEATURES, REFUSAL_FEATURES, coverage, refusal_features, sentence_features
from assistant.answer.learned import LinearModel
from assistant.index.base import Store
from assistant.types import Hit, Question

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


def scored_both_ways(question: Question, hits: list[Hit], searched_vector: Sequence[float],
                     typed_vector: Sequence[float] | None, candidates: Sequence[ScoredSentence],
                     embedder: BaseEmbedding, store: Store) -> tuple[list[ScoredSentence], list[ScoredSentence]]:
    """Each candidate scored against the question searched and against the follow-up as typed (with its own
    vector, or the searched one when it has no words of its own), in the candidates' order."""
    pairs = []
    for query, vector in ((question.searched, searched_vector), (question.typed, typed_vector or searched_vector)):
        scored = {(s.hit.chunk.doc_id, s.start): s for s in score_sentences(query, vector, hits, embedder, store)}
        pairs.append([scored[(s.hit.chunk.doc_id, s.start)] for s in candidates])
    return pairs[0], pairs[1]


def follow_up_rows(question: Question, searched: Sequence[ScoredSentence], typed: Sequence[ScoredSentence],
                   idf: Callable[[str], float]) -> np.ndarray:
    """One row per candidate, columns `FOLLOW_UP_FEATURES`. `searched[i]` and `typed[i]` are the same sentence
    scored against the question searched and against the follow-up as typed."""
    alone = replace(question, searched=question.typed)
    return np.hstack([sentence_features(question, searched, idf), sentence_features(alone, typed, idf),
                      thread_features(searched, question.last_answer, question.has_own_words)])


def rank_follow_up(model: LinearModel, question: Question, searched: Sequence[ScoredSentence],
                   typed: Sequence[ScoredSentence], idf: Callable[[str], float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidates' order (most likely answer first; ties keep the given order), and their rows and the
    ranker's probabilities in that order."""
    rows = follow_up_rows(question, searched, typed, idf)
    probabilities = model.probability(rows) if len(rows) else np.zeros(0)
    order = np.argsort(-probabilities, kind="stable")
    return order, rows[order], probabilities[order]


def answer_probability(model: LinearModel, question: Question, rows: np.ndarray, probabilities: np.ndarray,
                       idf: Callable[[str], float]) -> tuple[float, float]:
    """The follow-up refusal model's probability that the candidates answer, and its threshold."""
    row = refusal_features(rows, probabilities, coverage(question, idf))
    return float(model.probability(row)[0]), model.threshold


__all__ = ["FOLLOW_UP_FEATURES", "FOLLOW_UP_MODEL", "FOLLOW_UP_REFUSAL_FEATURES", "FOLLOW_UP_REFUSAL_MODEL",
           "answer_probability", "follow_up_rows", "rank_follow_up", "scored_both_ways"]
