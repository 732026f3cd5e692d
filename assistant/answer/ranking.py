"""The answer step's first stages: find the passages, score their sentences, put the likeliest answer first.

`Retrieval` is what `RankingStage.retrieve` found (the passages and the query vectors); `Ranking` is the
candidate sentences, most likely answer first, with the feature rows the order came from, which the refusal
models read. `RankingStage` is the part of `Answerer` that produces them: the sentence ranker for a question
that stands alone, the follow-up ranker for one that carries on, the hand order without learned models.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from assistant.answer.conversation import continue_thread
from assistant.answer.evidence import Scored, ScoredSentence, distinct, follow_up_scores, score_sentences
from assistant.answer.features import sentence_features
from assistant.arabic.instructions import addresses_a_model
from assistant.types import Hit, Question

if TYPE_CHECKING:
    from assistant.answer.follow_ups import FollowUpModels
    from assistant.answer.learned import LinearModel
    from assistant.app.wiring import Pipeline
    from assistant.settings import Settings


@dataclass(frozen=True)
class Retrieval:
    """The passages found for a question, and the query vectors they were found with."""

    hits: list[Hit]
    searched_vector: list[float]
    typed_vector: list[float] | None
    """For a follow-up with words of its own: the vector of the follow-up as typed."""
    around: tuple[Hit, ...] = ()
    """Every passage the two retrievers returned for the question searched (`hits` are the first of them): the
    neighbourhood its words are weighed in (`answer.weights`)."""


@dataclass(frozen=True)
class Ranking:
    """Candidate sentences, most likely answer first, and their feature rows in that order (None: hand order)."""

    sentences: list[ScoredSentence]
    rows: np.ndarray | None
    follow_up: bool = False
    """Ranked by the follow-up ranker: `rows` are its features and `probabilities` its output."""
    probabilities: np.ndarray | None = None


class RankingStage:
    """Retrieve, score and rank for `pipeline` (mixed into `Answerer`, which loads the models)."""

    pipeline: Pipeline
    settings: Settings
    ranker: LinearModel | None
    follow_ups: FollowUpModels | None

    def retrieve(self, question: Question, top_k: int | None = None) -> Retrieval:
        """The passages for the question searched (a follow-up with the question it depends on).

        A follow-up's own words also search on their own (so up to 2 × `top_k` passages): «وكم دامت الجلسة
        الأولى؟» after a question on the summit asks about a passage the summit question does not find."""
        retriever, k = self.pipeline.retriever, top_k or self.settings.top_k
        found = retriever.search(question.searched, k=max(k, self.settings.dense_k + self.settings.bm25_k))
        hits, typed_vector = found.hits[:k], None
        if question.has_own_words:
            seen = {h.chunk.chunk_id for h in hits}
            own = retriever.search(question.typed, k=top_k)
            hits = [*hits, *(h for h in own.hits if h.chunk.chunk_id not in seen)]
            typed_vector = own.vector
        assert found.vector is not None
        return Retrieval(hits, found.vector, typed_vector, tuple(found.hits))

    def rank(self, question: Question, found: Retrieval) -> list[ScoredSentence]:
        """The sentences of the passages, most likely answer first (the learned ranker's order)."""
        return self.ranking(question, found).sentences

    def ranking(self, question: Question, found: Retrieval) -> Ranking:
        """`rank`, with the feature rows the order was computed from (the refusal model reads them too)."""
        scored = self.scored(question, found)
        candidates = self.candidates(question, found, scored)
        if question.follow_up:  # its own ranker (the sentence ranker would pick the earlier answer again)
            if self.follow_ups is None or not candidates:  # no learned models: the thread's hand order
                return Ranking(continue_thread(candidates, question.last_answer), None)
            return self.follow_ups.rank(question, candidates, scored, self.pipeline.store.idf)
        if self.ranker is None or not candidates:
            return Ranking(candidates, None)
        rows = sentence_features(question, candidates, self.pipeline.store.idf)
        probabilities = self.ranker.probability(rows)
        blended = np.array([s.score for s in candidates]) + self.settings.learned_weight * probabilities
        order = np.argsort(-blended, kind="stable")
        return Ranking([replace(candidates[i], learned=float(probabilities[i])) for i in order], rows[order])

    def scored(self, question: Question, found: Retrieval) -> Scored:
        """Every sentence of the passages scored against the question searched and, for a follow-up with words of
        its own, against those words (None otherwise)."""
        embedder, store = self.pipeline.embedder, self.pipeline.store
        searched = score_sentences(question.searched, found.searched_vector, found.hits, embedder, store)
        if found.typed_vector is None:
            return searched, None
        return searched, score_sentences(question.typed, found.typed_vector, found.hits, embedder, store)

    def candidates(self, question: Question, found: Retrieval, scored: Scored | None = None) -> list[ScoredSentence]:
        """The sentences of the passages with their hand scores, best first; none that addresses a language model.
        `scored`: what `scored` gave, if already computed."""
        searched, typed = scored or self.scored(question, found)
        # a follow-up's own words count at least as much as the earlier question's
        ranked = searched if typed is None else follow_up_scores(searched, typed)
        return [s for s in distinct(ranked) if not addresses_a_model(s.text)]


__all__ = ["Ranking", "RankingStage", "Retrieval"]
