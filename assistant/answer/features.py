"""What the learned sentence ranker and refusal model see: one row of numbers per candidate sentence.

Input: the analysed question and its candidate sentences (`evidence.score_sentences`, hand-scored, any
order). Output: a matrix, one row per sentence, columns named by `FEATURES`. Training (`evaluation.train`)
and answering call the same function, so the shipped model sees at run time exactly what it was fitted on.

Each sentence is described on its own (e5 similarity, idf-weighted overlap with the question, overlap that
the article's title does not explain, proximity of the question's words, retrieval ranks, position, length,
whether it states a date or a number), then relative to the best candidate and by rank among them, because
what matters is which of the candidates answers, not an absolute score. The answer type of the question
(`arabic.answer_types`) and whether the sentence states what that type asks for are columns too.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np

from assistant.answer.evidence import ScoredSentence, subject_share, subject_weights
from assistant.answer.support import unseen_idf
from assistant.arabic.answer_types import ANSWER_TYPES, answer_type
from assistant.arabic.morphology import tokenize
from assistant.arabic.normalize import match_key
from assistant.arabic.words import states_date, states_quantity
from assistant.types import Question

OWN = ("dense", "lexical", "focus_lexical", "title_lexical", "before_lexical", "hit_rank", "dense_rank",
       "bm25_rank", "length", "novelty", "proximity", "max_idf", "position", "first", "date", "number",
       "local_lexical", "local_missing")
"""Columns that describe a sentence on its own; each also appears relative to the best and as a rank."""
FEATURES: tuple[str, ...] = (*OWN, *(f"rel_{n}" for n in OWN), *(f"rank_{n}" for n in OWN),
                             *(f"type_{t}" for t in ANSWER_TYPES), "date_asked_and_stated",
                             "number_asked_and_stated")
REFUSAL_FEATURES: tuple[str, ...] = (*FEATURES, "best", "second", "margin", "candidates", "known_share",
                                     "unknown_words", "question_words")
"""The refusal model sees the best sentence's row, the ranker's two best probabilities, how many candidates
there were, and how much of the question's vocabulary the corpus uses at all (`coverage`)."""
UNRANKED = 31
"""The rank given to a passage one retriever did not return (beyond any top-k used)."""


def sentence_features(question: Question, sentences: Sequence[ScoredSentence],
                      idf: Callable[[str], float]) -> np.ndarray:
    """A (len(sentences), len(FEATURES)) matrix for `sentences` as candidate answers to `question`."""
    if not sentences:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    asked = set(question.searched.tokens)
    titles = {title: set(tokenize(title)) for title in {s.hit.chunk.title for s in sentences}}
    hits = {s.hit.chunk.chunk_id: s.hit for s in sentences}
    local = subject_weights(question.searched, list(hits.values()))
    own = np.array([_own(asked, s, idf, titles[s.hit.chunk.title], local) for s in sentences], dtype=np.float64)
    relative = own - own.max(axis=0)
    ranks = np.log1p(np.argsort(np.argsort(-own, axis=0, kind="stable"), axis=0))
    kind = answer_type(question.key)
    types = np.tile([float(kind == t) for t in ANSWER_TYPES], (len(sentences), 1))
    matches = np.column_stack([own[:, OWN.index("date")] * (kind == "date"),
                               own[:, OWN.index("number")] * (kind == "number")])
    return np.hstack([own, relative, ranks, types, matches]).astype(np.float32)


def coverage(question: Question, idf: Callable[[str], float]) -> np.ndarray:
    """How much of the question's vocabulary the corpus uses: the share of its stems with a document frequency,
    how many it lacks, and how many it has (log). A question on another subject asks in other words."""
    tokens = set(question.searched.tokens)
    unseen = unseen_idf(idf)
    known = sum(idf(t) < unseen for t in tokens)
    return np.array([known / max(1, len(tokens)), len(tokens) - known, math.log1p(len(tokens))], dtype=np.float32)


def refusal_features(rows: np.ndarray, probabilities: np.ndarray, covered: np.ndarray) -> np.ndarray:
    """One row for the question: the features of its most probable answer sentence, how sure the ranker was,
    and the question's `coverage`."""
    if not len(rows):
        return np.concatenate([np.zeros(len(FEATURES) + 4, dtype=np.float32), covered])[None, :]
    order = np.argsort(-probabilities, kind="stable")
    best = float(probabilities[order[0]])
    second = float(probabilities[order[1]]) if len(order) > 1 else 0.0
    extra = np.array([best, second, best - second, np.log1p(len(rows))], dtype=np.float32)
    return np.concatenate([rows[order[0]], extra, covered])[None, :]


def _own(asked: set[str], s: ScoredSentence, idf: Callable[[str], float], title: set[str],
         local: dict[str, float]) -> list[float]:
    chunk = s.hit.chunk
    tokens = tokenize(s.text)
    present = set(tokens)
    shared = asked & present
    before = chunk.text[:s.start - chunk.start].rstrip().rsplit("\n", 1)[-1]
    focus = asked - title or asked
    positions = [i for i, t in enumerate(tokens) if t in asked]
    words = match_key(s.text).split()
    return [
        s.dense, s.lexical,
        _share(focus & present, focus, idf), _share(asked & (present | title), asked, idf),
        _share(asked & set(tokenize(before)), asked, idf),
        math.log(s.hit.rank), math.log(s.hit.dense_rank or UNRANKED), math.log(s.hit.bm25_rank or UNRANKED),
        math.log1p(len(tokens)), len(present - asked) / max(1, len(present)),
        (max(positions) - min(positions) + 1) / len(shared) if len(shared) > 1 else 1.0,
        max((idf(t) for t in shared), default=0.0), math.log1p(s.start), float(s.start == 0),
        float(any(states_date(w) for w in words)),
        float(any(states_quantity(w, words[i + 1] if i + 1 < len(words) else "") for i, w in enumerate(words))),
        *_local(local, present),
    ]


def _local(weights: dict[str, float], present: set[str]) -> list[float]:
    """The question's words weighed by their rarity among the passages found (`evidence.subject_weights`): the
    share the sentence holds, and the weight of the rarest one it lacks. The index's idf says how rare a word is
    in the whole corpus, which changes with its size; among the passages found, the words they all share are the
    subject and the rare ones what is asked, among 7 articles as among 10^5."""
    top = max(weights.values(), default=0.0)
    if not top:
        return [0.0, 0.0]
    missing = max((w for t, w in weights.items() if t not in present), default=0.0)
    return [subject_share(weights, present), missing / top]


def _share(found: set[str], wanted: set[str], idf: Callable[[str], float]) -> float:
    """The idf-weighted share of `wanted` that is `found`."""
    total = sum(idf(t) for t in wanted)
    return sum(idf(t) for t in found) / total if total else 0.0


__all__ = ["FEATURES", "REFUSAL_FEATURES", "coverage", "refusal_features", "sentence_features"]
