"""Score the answers to a SQuAD file and report them: per question, in summary, as markdown and a chart."""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from tqdm import tqdm

from assistant.answer.support import without_markers
from assistant.evaluation.squad import Asked, SquadSet, ask_all, load_squad
from assistant.evaluation.squad_metrics import best, contains, exact_match, f1
from assistant.evaluation.stats import percentile
from assistant.settings import Settings

SUMMARY = [("containment", "gold answer inside the answer"), ("short_f1", "short-answer F1"),
           ("short_em", "short-answer exact match"), ("gold_citation", "answers citing the gold article"),
           ("wrong_refusals", "answerable questions refused"), ("median_words", "median words (short answer + sentences)"),
           ("near_domain_refused", "refused without their article"), ("off_topic_refused", "refused on the news corpus"),
           ("unanswerable_refused", "unanswerable questions of the file refused"),
           ("latency_p50_ms", "latency p50 (ms)"), ("latency_p95_ms", "latency p95 (ms)")]


def score(asked: Asked) -> dict:
    """One question: what was answered and how it scores against the gold answers."""
    q, a = asked.question, asked.answer
    text = without_markers(a.answer) if not a.refused else ""
    short = a.short_answer or text
    full = f"{a.short_answer or ''} {text}".strip()
    golds = list(q.answers)
    return {"id": q.id, "question": q.question, "doc_id": q.doc_id, "impossible": q.impossible, "gold": golds,
            "short_answer": a.short_answer, "answer": a.answer, "refused": a.refused,
            "refusal_reason": a.refusal_reason, "cited": sorted({c.doc_id for c in a.citations}),
            "contains": bool(golds) and not a.refused and best(contains, full, golds) > 0,
            "f1": 0.0 if a.refused else best(f1, short, golds), "em": 0.0 if a.refused else best(exact_match, short, golds),
            "words": len(full.split()), "latency_ms": a.timings_ms.get("total", 0.0),
            "near_refused": None if asked.without_article is None else asked.without_article.refused,
            "off_refused": asked.off_topic.refused}


def summarize(rows: list[dict]) -> dict[str, float]:
    answerable = [r for r in rows if not r["impossible"]]
    answered = [r for r in answerable if not r["refused"]]
    impossible = [r for r in rows if r["impossible"]]
    latencies = [r["latency_ms"] for r in rows]

    def mean(values: list[float]) -> float:
        return statistics.fmean(values) if values else 0.0

    return {
        "questions": float(len(rows)),
        "containment": mean([float(r["contains"]) for r in answerable]),
        "short_f1": mean([r["f1"] for r in answerable]),
        "short_em": mean([r["em"] for r in answerable]),
        "gold_citation": mean([float(r["doc_id"] in r["cited"]) for r in answered]),
        "wrong_refusals": mean([float(r["refused"]) for r in answerable]),
        "median_words": float(statistics.median([r["words"] for r in answered])) if answered else 0.0,
        "near_domain_refused": mean([float(r["near_refused"]) for r in answerable]),
        "off_topic_refused": mean([float(r["off_refused"]) for r in rows]),
        "unanswerable_refused": mean([float(r["refused"]) for r in impossible]) if impossible else float("nan"),
        "latency_p50_ms": percentile(latencies, 50), "latency_p95_ms": percentile(latencies, 95),
    }


def run(settings: Settings, path: Path, backend: str, limit: int | None, folder: Path | None,
        refiner: str | None = None) -> dict:
    """Ask, score, summarise; write squad-<name>.{json,md,png} into `folder` (None: write nothing). `refiner`:
    each instant answer is scored after that model copied its short answer (`Answerer.refine`)."""
    squad = load_squad(path)
    questions = squad.questions if not limit else squad.questions[:: max(1, len(squad.questions) // limit)][:limit]
    asked = ask_all(settings, squad, questions, backend, refiner=refiner)
    name = f"{backend}+{refiner}" if refiner and backend == "extractive" else backend
    rows = [score(a) for a in tqdm(asked, total=len(questions), desc=f"squad {name}", unit="q", file=sys.stderr)]
    report = {"created": time.strftime("%Y-%m-%d %H:%M"), "file": str(path), "backend": name,
              "articles": len(squad.documents), "summary": summarize(rows), "questions": rows}
    if folder is not None:
        write(report, squad, folder)
    return report


def table(report: dict) -> str:
    s = report["summary"]
    lines = [f"| metric | {report['backend']} ({s['questions']:.0f} q, {report['articles']} articles) |", "|---|---|"]
    for key, label in SUMMARY:
        value = s[key]
        shown = f"{value:.0f}" if key.endswith("_ms") or key == "median_words" else f"{value:.3f}"
        lines.append(f"| {label} | {shown} |")
    return "\n".join(lines)


def write(report: dict, squad: SquadSet, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"squad-{squad.name}"
    (folder / f"{stem}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    misses = [r for r in report["questions"] if not r["impossible"] and not r["contains"]][:40]
    lines = [f"# {squad.name}: {report['backend']} ({report['created']})", "", table(report), "",
             f"## Answerable questions whose answer lacks the gold answer ({len(misses)} shown)", ""]
    for r in misses:
        why = f"refused: {r['refusal_reason']}" if r["refused"] else f"short: {r['short_answer']}"
        lines += [f"- **{r['id']}** {r['question'].strip()} — gold: {r['gold'][0]} — {why}",
                  f"  - answer: {r['answer'][:300]}"]
    (folder / f"{stem}.md").write_text("\n".join(lines) + "\n", "utf-8")
    _chart(report, folder / f"{stem}.png")


def _chart(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = ["containment", "short_f1", "short_em", "gold_citation", "wrong_refusals", "near_domain_refused",
            "off_topic_refused"]
    values = [report["summary"][k] for k in keys]
    fig, ax = plt.subplots(figsize=(9, 4), dpi=100)
    bars = ax.bar(range(len(keys)), values)
    ax.bar_label(bars, fmt="%.2f", fontsize=8)
    ax.set_xticks(range(len(keys)))
    ax.set_xticklabels([k.replace("_", "\n") for k in keys], fontsize=8)
    ax.set_ylim(0, 1.1)
    ax.set_title(f"{Path(report['file']).name}: {report['backend']} ({report['created']})")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
