"""Fit and validate the learned answer models on what `train.collect` gathered (scikit-learn, training only).

The ranker (logistic regression) learns which candidate holds the answer (answerable questions only). The
refusal model (LightGBM) learns, from the row of the sentence the ranker puts first, the ranker's confidence
and how much of the question's vocabulary the corpus knows, whether a question asked of its own corpus
(answer) differs from one asked without its article or of the news (refuse). Both are
validated by 5-fold cross-validation over articles; the refusal model is fitted on the ranker's out-of-fold
probabilities, as it will see them for new articles. Its threshold is the highest that keeps wrong refusals
of answerable questions at or under `MAX_WRONG_REFUSALS` in cross-validation.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from assistant.answer.features import FEATURES, refusal_features
from assistant.answer.learned import BoostedModel, LinearModel
from assistant.evaluation.train import Asked

if TYPE_CHECKING:
    from assistant.evaluation.train_follow_ups import FollowUp

FOLDS = 5
MAX_WRONG_REFUSALS = 0.01
RANKER_C = 0.3
REFUSAL_PARAMS = dict(n_estimators=300, learning_rate=0.03, num_leaves=15, min_child_samples=20, verbose=-1)


def fit_linear(rows: np.ndarray, labels: np.ndarray, c: float, features: tuple[str, ...] = FEATURES) -> LinearModel:
    """A standardised logistic regression on columns named `features`, exported as plain numbers."""
    model = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000)).fit(rows, labels)
    scaler, logistic = model.steps[0][1], model.steps[1][1]
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    return LinearModel(features, scaler.mean_, scale,
                       logistic.coef_[0], float(logistic.intercept_[0]))


def precision_at(asked: Sequence[Asked | FollowUp], scores: list[np.ndarray], k: int) -> float:
    """Share of answerable questions with an answer-holding sentence among the `k` best by `scores`."""
    hits = [bool(a.labels[np.argsort(-s, kind="stable")[:k]].any()) for a, s in zip(asked, scores)]
    return float(np.mean(hits)) if hits else 0.0


def folds(asked: list[Asked]) -> list[int]:
    """The fold of each entry: whole articles are held out together."""
    articles = sorted({a.question.doc_id for a in asked})
    fold_of = {doc: i for i, (_, test) in enumerate(GroupKFold(FOLDS).split(articles, groups=articles))
               for doc in np.asarray(articles)[test]}
    return [fold_of[a.question.doc_id] for a in asked]


def cross_validate(asked: list[Asked]) -> tuple[list[np.ndarray], np.ndarray, dict[str, float]]:
    """Out-of-fold ranker probabilities per entry, out-of-fold refusal probabilities, and the figures."""
    fold = folds(asked)
    ranked: list[np.ndarray] = [np.zeros(0)] * len(asked)
    for f in range(FOLDS):
        train = [a for a, g in zip(asked, fold) if g != f and a.condition == "own" and len(a.rows)]
        model = fit_linear(np.vstack([a.rows for a in train]), np.concatenate([a.labels for a in train]), RANKER_C)
        for i, (a, g) in enumerate(zip(asked, fold)):
            if g == f:
                ranked[i] = model.probability(a.rows) if len(a.rows) else np.zeros(0)
    rows, answerable = refusal_rows(asked, ranked)
    refusal = np.zeros(len(asked))
    for f in range(FOLDS):
        train = np.array([g != f for g in fold])
        refusal[~train] = _boosted(rows[train], answerable[train]).predict(rows[~train])
    return ranked, refusal, _figures(asked, ranked, refusal)


def refusal_rows(asked: list[Asked], ranked: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """One row per question and condition, and whether it is answerable (asked of its own corpus)."""
    rows = np.vstack([refusal_features(a.rows, p, a.covered) for a, p in zip(asked, ranked)])
    return rows, np.array([a.condition == "own" for a in asked], dtype=np.int8)


def fit_refusal(asked: list[Asked], ranked: list[np.ndarray], threshold: float) -> BoostedModel:
    """The refusal model on every question, its threshold from cross-validation."""
    rows, answerable = refusal_rows(asked, ranked)
    return BoostedModel(_boosted(rows, answerable).booster_, threshold)


def _boosted(rows: np.ndarray, labels: np.ndarray):  # noqa: ANN202 - lightgbm.LGBMClassifier
    import lightgbm

    return _Probability(lightgbm.LGBMClassifier(**REFUSAL_PARAMS).fit(rows, labels))


class _Probability:
    """A fitted classifier whose `predict` is the probability of the positive class (as the booster's is)."""

    def __init__(self, model) -> None:  # noqa: ANN001
        self.model, self.booster_ = model, model.booster_

    def predict(self, rows: np.ndarray) -> np.ndarray:
        return self.model.predict_proba(rows)[:, 1]


def threshold_for(asked: list[Asked], refusal: np.ndarray) -> float:
    """The highest answer threshold that refuses at most `MAX_WRONG_REFUSALS` of the answerable questions."""
    return keeping_answerable(refusal[[a.condition == "own" for a in asked]])


def keeping_answerable(answerable: np.ndarray) -> float:
    """The highest threshold on these probabilities (of answerable questions) that refuses at most
    `MAX_WRONG_REFUSALS` of them (0.5 when there are none)."""
    ordered = np.sort(answerable)
    return float(ordered[int(np.floor(MAX_WRONG_REFUSALS * len(ordered)))]) if len(ordered) else 0.5


def _figures(asked: list[Asked], ranked: list[np.ndarray], refusal: np.ndarray) -> dict[str, float]:
    own = [i for i, a in enumerate(asked) if a.condition == "own"]
    subset = [asked[i] for i in own]
    figures = {}
    for k in (1, 2, 3):
        figures[f"hand_p@{k}"] = precision_at(subset, [-np.arange(len(a.rows), dtype=float) for a in subset], k)
        figures[f"learned_p@{k}"] = precision_at(subset, [ranked[i] for i in own], k)
    figures["ceiling"] = float(np.mean([a.labels.any() for a in subset]))
    t = threshold_for(asked, refusal)
    by: dict[str, list[bool]] = defaultdict(list)
    for a, p in zip(asked, refusal):
        by[a.condition].append(bool(p < t))
    figures.update({"threshold": t, "wrong_refusals": float(np.mean(by["own"])),
                    "near_domain_refused": float(np.mean(by["without"])), "off_topic_refused": float(np.mean(by["news"]))})
    if by["impossible"]:
        figures["impossible_refused"] = float(np.mean(by["impossible"]))
    sources = sorted({a.source for a in asked})
    for name in sources if len(sources) > 1 else ():  # figures set by set, when there are several
        for condition in ("own", "without", "news", "impossible"):
            chosen = [p < t for a, p in zip(asked, refusal) if a.source == name and a.condition == condition]
            if chosen:
                figures[f"{name}:{condition}_refused"] = float(np.mean(chosen))
    return figures


__all__ = ["cross_validate", "fit_linear", "fit_refusal", "folds", "keeping_answerable", "precision_at",
           "refusal_rows", "threshold_for"]
