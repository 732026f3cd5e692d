"""What the answer step hands from stage to stage: the passages found, and the candidate sentences in order.

`Retrieval` is what `Answerer.retrieve` found (the passages and the query vectors); `Ranking` is the candidate
sentences, most likely answer first, with the feature rows the order came from, which the refusal models read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.answer.evidence import ScoredSentence
from assistant.types import Hit


@dataclass(frozen=True)
class Retrieval:
    """The passages found for a question, and the query vectors they were found with."""

    hits: list[Hit]
    searched_vector: list[float]
    typed_vector: list[float] | None
    """For a follow-up with words of its own: the vector of the follow-up as typed."""


@dataclass(frozen=True)
class Ranking:
    """Candidate sentences, most likely answer first, and their feature rows in that order (None: hand order)."""

    sentences: list[ScoredSentence]
    rows: np.ndarray | None
    follow_up: bool = False
    """Ranked by the follow-up ranker: `rows` are its features and `probabilities` its output."""
    probabilities: np.ndarray | None = None


__all__ = ["Ranking", "Retrieval"]
