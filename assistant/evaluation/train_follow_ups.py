"""Follow-ups made from a SQuAD set, to train and validate the follow-up ranker (`answer.follow_ups`).

No set of real follow-ups is large enough to learn from (the eval sets hold 106, and they judge the result).
Crowd-written sets ask several questions of one article, mostly on one subject, so each question is turned into
a follow-up of the one before it on the same article: the words it shares with that one are taken out and it
opens with «و» («متى ولد نجيب محفوظ؟» then «في أي مدينة ولد نجيب محفوظ؟» gives «وفي أي مدينة؟»). The earlier question is
answered first (hand order, so the data does not depend on the shipped models) and its answer is the history.
Candidates are labelled as for the sentence ranker; figures are cross-validated with whole articles held out.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold
from tqdm import tqdm

from assistant.answer.answerer import Answerer
from assistant.answer.conversation import continue_thread
from assistant.answer.features import coverage, refusal_features
from assistant.answer.follow_ups import (FOLLOW_UP_FEATURES, FOLLOW_UP_MODEL, FOLLOW_UP_REFUSAL_FEATURES,
                                        FOLLOW_UP_REFUSAL_MODEL, follow_up_rows, scored_both_ways)
from assistant.answer.learned import LinearModel
from assistant.arabic.questions import as_follow_up, plain
from assistant.evaluation.fit import FOLDS, fit_linear, keeping_answerable, precision_at
from assistant.evaluation.squad import SquadQuestion, load_squad, open_squad
from assistant.retrieval.question import analyse
from assistant.settings import Settings

FOLLOW_UP_C = 0.3
FOLLOW_UP_REFUSAL_C = 0.1


@dataclass
class FollowUp:
    """One made-up follow-up's candidates: their rows (`FOLLOW_UP_FEATURES`), labels, and the hand order."""

    doc_id: str
    rows: np.ndarray
    labels: np.ndarray
    hand_order: np.ndarray
    covered: np.ndarray
    """`features.coverage` of the follow-up (searched with the question before it) by its corpus."""
    missing_rows: np.ndarray
    """The rows of the candidates without those holding the answer: the article is there, the answer is not (a
    near miss the refusal model must refuse; empty when no candidate held it)."""


def collect_follow_ups(settings: Settings, path: Path, limit: int | None = None) -> list[FollowUp]:
    """Made-up follow-ups for the answerable questions of `path` (each after the one before it on its article)
    and their candidates' rows, labelled. `limit`: the first N questions of the set."""
    from assistant.evaluation.train import _label

    squad = load_squad(path)
    answerer = Answerer(open_squad(settings.with_overrides(ranker="hand"), squad))
    questions = [q for q in squad.questions[:limit] if not q.impossible]
    pairs = [(a, b) for a, b in zip(questions, questions[1:]) if a.doc_id == b.doc_id]
    out = []
    for before, question in tqdm(pairs, desc="follow-ups", unit="q", file=sys.stderr):
        made = _made(answerer, before, question)
        if made is None:
            continue
        asked, scored, candidates, idf = made
        searched, typed = scored_both_ways(candidates, *scored)
        rows = follow_up_rows(asked, searched, typed, idf)
        labels = np.array([_label(question, s.hit.chunk.doc_id, s.start, s.end, s.text) for s in candidates],
                          dtype=np.int8)
        hand = {id(s): i for i, s in enumerate(continue_thread(candidates, asked.last_answer))}
        rest = [i for i, label in enumerate(labels) if not label]
        missing = (follow_up_rows(asked, [searched[i] for i in rest], [typed[i] for i in rest], idf)
                   if labels.any() and rest else np.zeros((0, rows.shape[1]), dtype=np.float32))
        out.append(FollowUp(question.doc_id, rows, labels, np.array([hand[id(s)] for s in candidates]),
                            coverage(asked, idf), missing))
    return out


def _made(answerer: Answerer, before: SquadQuestion, question: SquadQuestion):  # noqa: ANN202
    """The follow-up asked after `before` was answered: (question, `Answerer.scored`, candidates, the idf its
    words are weighed by), or None when it is no follow-up (nothing shared, or not read as one) or nothing was
    found."""
    text = as_follow_up(before.question, question.question)
    if text is None:
        return None
    first = plain(before.question) + "؟"
    history = [{"role": "user", "content": first},
               {"role": "assistant", "content": answerer.ask(first, backend="extractive").answer}]
    asked = analyse(text, history)
    if not asked.follow_up:
        return None
    found = answerer.retrieve(asked)
    answerer = answerer.weighed(found)
    scored = answerer.scored(asked, found)
    candidates = answerer.candidates(asked, found, scored)
    return (asked, scored, candidates, answerer.pipeline.store.idf) if candidates else None


def cross_validate_follow_ups(items: list[FollowUp]) -> tuple[dict[str, float], RefusalData | None]:
    """P@1..3 of the hand order and of the follow-up ranker, and the follow-up refusal model's rates, 5-fold by
    article; with the refusal model's training rows (built on the ranker's out-of-fold probabilities, as it
    will see them for new articles) and its threshold."""
    usable = [f for f in items if f.labels.any()]
    articles = sorted({f.doc_id for f in usable})
    if len(articles) < FOLDS:
        return {}, None
    group = {doc: i for i, doc in enumerate(articles)}
    groups = [group[f.doc_id] for f in usable]
    learned: list[np.ndarray] = [np.zeros(0)] * len(usable)
    rows, labels, row_groups = [], [], []
    for train, test in GroupKFold(FOLDS).split(usable, groups=groups):
        model = fit_follow_ups([usable[i] for i in train])
        for i in test:
            f = usable[i]
            learned[i] = model.probability(f.rows)
            for condition, found in ((1, f.rows), (0, f.missing_rows)):
                if len(found):
                    rows.append(refusal_features(found, model.probability(found), f.covered)[0])
                    labels.append(condition)
                    row_groups.append(groups[i])
    figures = {"follow_ups": float(len(usable))}
    for k in (1, 2, 3):
        figures[f"follow_up_hand_p@{k}"] = precision_at(usable, [-f.hand_order.astype(float) for f in usable], k)
        figures[f"follow_up_learned_p@{k}"] = precision_at(usable, learned, k)
    data = RefusalData(np.array(rows, dtype=np.float32), np.array(labels, dtype=np.int8), 0.5)
    refusal = np.zeros(len(data.labels))
    for train, test in GroupKFold(FOLDS).split(data.rows, groups=row_groups):
        refusal[test] = _fit_refusal(data.rows[train], data.labels[train]).probability(data.rows[test])
    data.threshold = keeping_answerable(refusal[data.labels == 1])
    figures.update({"follow_up_threshold": data.threshold,
                    "follow_up_wrong_refusals": float(np.mean(refusal[data.labels == 1] < data.threshold)),
                    "follow_up_missing_refused": float(np.mean(refusal[data.labels == 0] < data.threshold))})
    return figures, data


@dataclass
class RefusalData:
    """The follow-up refusal model's rows: each follow-up with all its candidates (answerable, 1) and without
    those that hold the answer (0), and the threshold chosen in cross-validation."""

    rows: np.ndarray
    labels: np.ndarray
    threshold: float


def fit_follow_ups(items: list[FollowUp]) -> LinearModel:
    """The follow-up ranker on `items` (those whose candidates hold the answer)."""
    usable = [f for f in items if f.labels.any()]
    return fit_linear(np.vstack([f.rows for f in usable]), np.concatenate([f.labels for f in usable]), FOLLOW_UP_C,
                      FOLLOW_UP_FEATURES)


def write_follow_up_models(items: list[FollowUp], refusal: RefusalData | None, about: dict, out: Path) -> None:
    """Fit the follow-up ranker and refusal model on everything and write them into `out`, with `about` (what
    they were trained on) and their own validation figures."""
    about = {**about, "figures": follow_up_figures(about.get("figures", {}))}
    dataclasses.replace(fit_follow_ups(items), about=about).save(out / FOLLOW_UP_MODEL)
    if refusal is not None:
        model = _fit_refusal(refusal.rows, refusal.labels)
        dataclasses.replace(model, threshold=refusal.threshold, about=about).save(out / FOLLOW_UP_REFUSAL_MODEL)


def follow_up_figures(figures: dict) -> dict:
    """The follow-up models' figures among all of a training run's."""
    return {k: v for k, v in figures.items() if k.startswith("follow_up")}


def _fit_refusal(rows: np.ndarray, labels: np.ndarray) -> LinearModel:
    return fit_linear(rows, labels, FOLLOW_UP_REFUSAL_C, FOLLOW_UP_REFUSAL_FEATURES)


__all__ = ["FollowUp", "RefusalData", "collect_follow_ups", "cross_validate_follow_ups", "fit_follow_ups",
           "follow_up_figures", "write_follow_up_models"]
