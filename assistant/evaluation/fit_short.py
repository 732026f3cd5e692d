"""Fit and validate the short-answer span model (LightGBM LambdaRank over each question's candidate spans).

Training spans come from the two sentences the ranker puts first (its out-of-fold probabilities, as for new
articles) and from the first sentence that holds the answer, so the model also learns where answers stand
when the ranker misses. Validation scores only what the product would do: the best predicted span of the two
best sentences, or, below the threshold, no short answer (the question is then scored on its best sentence).
The model ranks a question's spans against each other, graded by their F1 against the gold answer (0-4);
ranking beat regressing each span's F1 on both F1 and exact match (docs/experiments.md), since what matters is
which span comes first, not its predicted score. Its scores are not F1s, so there is no threshold: a span of a
cited sentence is verified by construction, and the regressor's best threshold was already "always".

The word priors (`span_priors`) are counted from the training answers. A training row takes them from the other
half of the training articles, as a new article's spans have never been counted; the model is then used with
the priors of all its training articles.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from assistant.answer.short import SENTENCES, ShortAnswerModel, Span, candidate_spans
from assistant.answer.span_priors import SpanPriors
from assistant.arabic.answer_types import AnswerType, answer_type
from assistant.evaluation.fit import FOLDS, folds
from assistant.evaluation.squad_metrics import best, exact_match, f1
from assistant.evaluation.train import Asked
from assistant.retrieval.question import analyse

PARAMS = dict(n_estimators=400, learning_rate=0.05, num_leaves=31, min_child_samples=20, subsample=0.8,
              subsample_freq=1, colsample_bytree=0.8, verbose=-1)
GRADES = 4
"""A span's relevance for the ranker: its F1 in quarters (4 = the gold answer exactly)."""
ALWAYS = float("-inf")


@dataclass
class SpanSet:
    """The candidate spans of one question, their rows and targets; `shown` marks those the product would see."""

    asked: Asked
    kind: AnswerType
    spans: list[Span]
    rows: np.ndarray
    """`candidate_spans`'s columns (the priors are added where a model is fitted or used)."""
    targets: np.ndarray
    shown: np.ndarray
    fallback: float
    """F1 of the best sentence itself: what the question scores without a short answer."""


def span_sets(asked: list[Asked], ranked: list[np.ndarray]) -> list[SpanSet]:
    """Candidate spans for each answerable question, ordered by the ranker's out-of-fold probabilities."""
    out = []
    for a, probabilities in zip(asked, ranked):
        if a.condition != "own" or not a.candidates or a.question.impossible:
            continue
        order = np.argsort(-probabilities, kind="stable")
        sentences = [replace(a.candidates[i], learned=float(probabilities[i])) for i in order]
        extra = next((sentences[k] for k, i in enumerate(order) if a.labels[i]), None)
        chosen = sentences[:SENTENCES]
        if extra is not None and extra not in chosen:
            chosen = [*chosen, extra]
        question = analyse(a.question.question)
        asked_stems, kind = set(question.searched.tokens), answer_type(question.key)
        spans, rows = candidate_spans(asked_stems, kind, chosen)
        if not spans:
            continue
        golds = list(a.question.answers)
        targets = np.array([best(f1, s.text, golds) for s in spans], dtype=np.float32)
        shown = np.array([s.sentence in chosen[:SENTENCES] for s in spans])
        out.append(SpanSet(a, kind, spans, rows, targets, shown, best(f1, sentences[0].text, golds)))
    return out


def cross_validate_short(sets: list[SpanSet]) -> dict[str, float]:
    """Cross-validated short-answer F1 and exact match of the ranker's first span."""
    fold = folds([s.asked for s in sets])
    predicted = [np.zeros(0)] * len(sets)
    for f in range(FOLDS):
        model = fit_short([s for s, g in zip(sets, fold) if g != f])
        for i, g in enumerate(fold):
            if g == f:
                predicted[i] = model.predict(model.rows(sets[i].spans, sets[i].rows, sets[i].kind))
    f1_at, em_at = _score(sets, predicted)
    oracle = float(np.mean([s.targets[s.shown].max() if s.shown.any() else 0.0 for s in sets]))
    return {"short_f1": f1_at, "short_em": em_at,
            "sentence_f1": float(np.mean([s.fallback for s in sets])), "span_oracle_f1": oracle}


def _fit(sets: list[SpanSet], priors_of: Callable[[SpanSet], SpanPriors]):  # noqa: ANN202 - lightgbm.LGBMRanker
    import lightgbm

    grades = np.concatenate([np.minimum(np.round(s.targets * GRADES), GRADES).astype(int) for s in sets])
    rows = np.vstack([np.hstack([s.rows, priors_of(s).columns(s.spans, s.kind)]) for s in sets])
    return lightgbm.LGBMRanker(**PARAMS).fit(rows, grades, group=[len(s.spans) for s in sets])


def learn_priors(sets: list[SpanSet]) -> SpanPriors:
    """The edge words of each question's best span, where it matches a gold answer at least half."""
    return SpanPriors.learn((s.spans[int(np.argmax(s.targets))], s.kind) for s in sets if s.targets.max() >= 0.5)


def _halves(sets: list[SpanSet]) -> dict[str, int]:
    """Each training article's half (0 or 1), alternating in the order of their ids."""
    return {doc: i % 2 for i, doc in enumerate(sorted({s.asked.question.doc_id for s in sets}))}


def _score(sets: list[SpanSet], predicted: list[np.ndarray]) -> tuple[float, float]:
    """Mean F1 and exact match of the best-scored span among those the product would see, for each question."""
    f1s, ems = [], []
    for s, p in zip(sets, predicted):
        top = int(np.argmax(np.where(s.shown, p, -np.inf)))
        f1s.append(float(s.targets[top]))
        ems.append(best(exact_match, s.spans[top].text, list(s.asked.question.answers)))
    return float(np.mean(f1s)), float(np.mean(ems))


def fit_short(sets: list[SpanSet]) -> ShortAnswerModel:
    """The span model, its training rows given the priors of the other half of the articles."""
    half = _halves(sets)
    other = [learn_priors([s for s in sets if half[s.asked.question.doc_id] != h]) for h in (0, 1)]
    booster = _fit(sets, lambda s: other[half[s.asked.question.doc_id]]).booster_
    return ShortAnswerModel(booster, ALWAYS, learn_priors(sets))


__all__ = ["SpanSet", "cross_validate_short", "fit_short", "span_sets"]
