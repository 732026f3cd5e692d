"""`assistant train`: fit the sentence ranker, the refusal model, the short-answer model and the follow-up
ranker and refusal model on one or more SQuAD-format sets (a file, or references into the news archive,
`squad_refs`); validate by article.

Every answerable question is asked three ways (as in `squad`): of its own corpus (the candidates are labelled:
does the sentence hold a gold answer, or overlap the gold span?), of the corpus without its article, and of the
bundled news (both must be refused); an unanswerable one (SQuAD 2.0) is asked of its own corpus and must be
refused. Features come from `answer.features`, exactly as at run time. Figures are 5-fold cross-validated with
whole articles held out; the shipped models are then fitted on everything.
The follow-up ranker and refusal model learn from follow-ups made of the same questions (`train_follow_ups`).
Output: the five model files and `train.md` with the validation figures (refusal figures set by set).
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from tqdm import tqdm

from assistant.answer.answerer import Answerer
from assistant.answer.evidence import ScoredSentence
from assistant.answer.features import FEATURES, coverage, sentence_features
from assistant.answer.learned import REFUSAL_MODEL, SENTENCE_MODEL
from assistant.answer.learned import SHORT_MODEL
from assistant.evaluation.squad import SquadQuestion, WithoutDocument, load_squad, news_pipeline, open_squad
from assistant.evaluation.squad_metrics import contains
from assistant.retrieval.question import analyse
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.evaluation.train_follow_ups import FollowUp

log = logging.getLogger(__name__)
CONDITIONS = ("own", "without", "news")
"""Own corpus (answerable), corpus without the article and bundled news (both unanswerable)."""
IMPOSSIBLE = "impossible"
"""A SQuAD 2.0 unanswerable question asked of its own corpus: a near miss written by hand (refused)."""


@dataclass
class Asked:
    """One question's candidates under one condition: their features and, for `own`, their labels."""

    question: SquadQuestion
    condition: str
    rows: np.ndarray
    labels: np.ndarray
    candidates: list[ScoredSentence]
    """The sentences the rows describe (kept for `own` only: the short-answer model trains on their words)."""
    covered: np.ndarray
    """`features.coverage` of the question by the corpus it was asked of."""
    source: str = ""
    """The name of the question set (figures are given per set when several are trained on)."""


def collect(settings: Settings, path: Path, limit: int | None = None) -> list[Asked]:
    """Candidates and features for every answerable question of `path`, under the three conditions, and for
    every unanswerable one (SQuAD 2.0) asked of its own corpus."""
    squad = load_squad(path)
    hand = settings.with_overrides(ranker="hand")  # candidates as the hand scores order them, before any model
    own = open_squad(hand, squad)
    answerers = {"own": Answerer(own), "news": Answerer(news_pipeline(hand, own.embedder))}
    answerers[IMPOSSIBLE] = answerers["own"]
    questions = squad.questions[:limit]
    out = []
    for q in tqdm(questions, desc="collect", unit="q", file=sys.stderr):
        blind = dataclasses.replace(own, retriever=WithoutDocument(own.retriever, q.doc_id))
        asked = analyse(q.question)
        for condition in (IMPOSSIBLE,) if q.impossible else CONDITIONS:
            answerer = answerers.get(condition) or answerers["own"].over(blind)
            found = answerer.retrieve(asked)
            answerer = answerer.weighed(found)  # the words weighed as at run time (`settings.word_weights`)
            candidates = answerer.candidates(asked, found)
            rows = sentence_features(asked, candidates, answerer.pipeline.store.idf)
            labels = np.array([_label(q, s.hit.chunk.doc_id, s.start, s.end, s.text) for s in candidates]
                              if condition == "own" else [0] * len(candidates), dtype=np.int8)
            out.append(Asked(q, condition, rows, labels, candidates if condition == "own" else [],
                             coverage(asked, answerer.pipeline.store.idf), squad.name))
    return out


def train(settings: Settings, paths: list[Path], out: Path, report: Path | None, limit: int | None = None) -> dict:
    """Collect from each set, cross-validate, fit on everything; write the model files into `out` and the
    figures to `report`. `limit`: the first N questions of each set."""
    from assistant.evaluation.train_follow_ups import collect_follow_ups

    asked = [a for path in paths for a in collect(settings, path, limit)]
    follow_ups = [f for path in paths for f in collect_follow_ups(settings, path, limit)]
    return fit_all(asked, follow_ups, " + ".join(p.name for p in paths), out, report)


def fit_all(asked: list[Asked], follow_ups: list[FollowUp], name: str, out: Path, report: Path | None) -> dict:
    """Cross-validate, then fit the five models on everything and write them (and the figures)."""
    from assistant.evaluation.fit import RANKER_C, cross_validate, fit_linear, fit_refusal, threshold_for
    from assistant.evaluation.fit_short import cross_validate_short, fit_short, span_sets
    from assistant.evaluation.train_follow_ups import cross_validate_follow_ups, write_follow_up_models

    ranked, refusal, figures = cross_validate(asked)
    spans = span_sets(asked, ranked)
    figures.update(cross_validate_short(spans))
    follow_up_figures, follow_up_refusal = cross_validate_follow_ups(follow_ups)
    figures.update(follow_up_figures)
    own = [a for a in asked if a.condition == "own" and len(a.rows)]
    about = {"trained_on": name, "questions": len({a.question.id for a in asked}),
             "articles": len({a.question.doc_id for a in asked}), "validated": "5-fold by article",
             "figures": {k: round(v, 4) for k, v in figures.items()}}
    ranker = fit_linear(np.vstack([a.rows for a in own]), np.concatenate([a.labels for a in own]), RANKER_C)
    dataclasses.replace(ranker, about=about).save(out / SENTENCE_MODEL)
    fit_refusal(asked, ranked, threshold_for(asked, refusal)).save(out / REFUSAL_MODEL)
    fit_short(spans).save(out / SHORT_MODEL)
    write_follow_up_models(follow_ups, follow_up_refusal, about, out)
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(render(about), encoding="utf-8")
    return about


def render(about: dict) -> str:
    """The validation figures as a markdown report."""
    f = about["figures"]
    lines = [f"# Learned answer models ({about['trained_on']}: {about['questions']} questions, "
             f"{about['articles']} articles; {about['validated']})", "",
             "| | hand scores | learned |", "|---|---|---|"]
    lines += [f"| sentence holding the answer in the top {k} | {f[f'hand_p@{k}']:.3f} | {f[f'learned_p@{k}']:.3f} |"
              for k in (1, 2, 3)]
    lines += [f"| ceiling (any candidate holds it) | {f['ceiling']:.3f} | |", "",
              f"Refusal at threshold {f['threshold']:.3f}: answerable refused {f['wrong_refusals']:.3f}, "
              f"near-domain (article removed) refused {f['near_domain_refused']:.3f}, "
              f"off-topic (bundled news) refused {f['off_topic_refused']:.3f}"
              + (f", hand-written unanswerable questions refused {f['impossible_refused']:.3f}." if
                 "impossible_refused" in f else "."), "", *_per_set(f),
              "Short answer (the span ranker's first span, given for every question): "
              f"F1 {f['short_f1']:.3f}, exact match {f['short_em']:.3f}; the best sentence alone scores F1 "
              f"{f['sentence_f1']:.3f}; the best span of the two best sentences could reach {f['span_oracle_f1']:.3f}.",
              "", *_follow_up_lines(f)]
    return "\n".join(lines)


def _follow_up_lines(f: dict) -> list[str]:
    """The follow-up ranker against the hand order, on follow-ups made from the training questions."""
    if "follow_ups" not in f:
        return []
    cells = " ".join(f"P@{k} {f[f'follow_up_hand_p@{k}']:.3f} → {f[f'follow_up_learned_p@{k}']:.3f}," for k in (1, 2, 3))
    return [f"Follow-ups ({f['follow_ups']:.0f} made from the training questions, `evaluation.train_follow_ups`), "
            f"sentence holding the answer, hand order → follow-up ranker: {cells.rstrip(',')}. Follow-up refusal at "
            f"threshold {f['follow_up_threshold']:.3f}: answerable refused {f['follow_up_wrong_refusals']:.3f}, "
            f"with the sentences holding the answer removed refused {f['follow_up_missing_refused']:.3f}.", ""]


def _per_set(figures: dict) -> list[str]:
    """Refusal rates by training set, when there are several (a table, or nothing)."""
    sets = sorted({k.split(":")[0] for k in figures if ":" in k})
    if not sets:
        return []
    names = {"own": "answerable refused", "without": "near-domain refused", "news": "off-topic refused",
             "impossible": "unanswerable (written) refused"}
    lines = ["| set | " + " | ".join(names.values()) + " |", "|---|" + "---|" * len(names)]
    for name in sets:
        cells = [f"{figures[f'{name}:{c}_refused']:.3f}" if f"{name}:{c}_refused" in figures else ""
                 for c in names]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _label(q: SquadQuestion, doc_id: str, start: int, end: int, text: str) -> int:
    """1 when the sentence holds a gold answer, or (in the gold article) half of a gold span or more."""
    if any(contains(text, a) for a in q.answers):
        return 1
    overlap = (max(0, min(b, end) - max(a, start)) >= 0.5 * (b - a) for a, b in q.spans)
    return int(doc_id == q.doc_id and any(overlap))


__all__ = ["Asked", "CONDITIONS", "FEATURES", "collect", "render", "train"]
