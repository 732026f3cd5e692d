"""Write the eval report: latest.json (everything), latest.md (summary, changes, failures), metrics.png."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

# Metrics where a higher value is better, in the order tables show them.
HIGHER_IS_BETTER = ["key_fact_accuracy", "citation_precision", "citation_recall", "faithfulness",
                    "refusal_precision", "refusal_recall", "arabic_rate", "recall_at_1", "recall_at_5", "mrr"]
LOWER_IS_BETTER = ["wrong_refusal_rate", "retrieve_p50_ms", "retrieve_p95_ms", "generate_p50_ms",
                   "generate_p95_ms", "verify_p50_ms", "total_p50_ms", "total_p95_ms"]
CHART_METRICS = ["key_fact_accuracy", "citation_precision", "citation_recall", "faithfulness",
                 "refusal_recall", "arabic_rate", "recall_at_5"]


def write_report(report: dict, folder: Path) -> dict[str, Path]:
    """Keep the previous latest.json as previous.json, then write the new files."""
    folder.mkdir(parents=True, exist_ok=True)
    latest, previous = folder / "latest.json", folder / "previous.json"
    if latest.exists():
        shutil.copyfile(latest, previous)
    before = json.loads(previous.read_text("utf-8")) if previous.exists() else None
    latest.write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    markdown = folder / "latest.md"
    markdown.write_text(render_markdown(report, before), "utf-8")
    chart = folder / "metrics.png"
    draw_chart(report, chart)
    return {"json": latest, "markdown": markdown, "chart": chart}


def with_summary_table(document: str, report: dict) -> str:
    """`document` with the block between `<!-- eval:start -->` and `<!-- eval:end -->` replaced by the summary
    table (unchanged without the markers). The writing is left to `make eval`, never done by the library."""
    start, end = "<!-- eval:start -->", "<!-- eval:end -->"
    if start not in document or end not in document:
        return document
    head, rest = document.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{summary_table(report)}\n{end}{tail}"


def summary_table(report: dict) -> str:
    """One column per backend; judge accuracy as its own line."""
    backends = list(report["backends"])
    rows = ["| metric | " + " | ".join(f"{b} ({report['backends'][b]['summary']['questions']:.0f} q)"
                                       for b in backends) + " |",
            "|---" * (len(backends) + 1) + "|"]
    for name in HIGHER_IS_BETTER + LOWER_IS_BETTER:
        values = [report["backends"][b]["summary"].get(name) for b in backends]
        if all(v is None for v in values):
            continue
        rows.append(f"| {name} | " + " | ".join(_fmt(name, v) for v in values) + " |")
    judge = report.get("judge")
    if judge:
        rows.append("")
        rows.append(f"Support judge accuracy on {judge['pairs']} hand-labelled pairs: **{judge['accuracy']:.3f}**")
    return "\n".join(rows)


def render_markdown(report: dict, before: dict | None) -> str:
    parts = [f"# Evaluation report ({report['created']})", "", f"Dev set: `{report['dev_set']}`", "",
             summary_table(report), ""]
    if report.get("threshold_failures") is not None:
        failures = report["threshold_failures"]
        parts += ["## Thresholds (`eval/thresholds.toml`)", "",
                  "All met." if not failures else "\n".join(f"- FAILED: {f}" for f in failures), ""]
    parts += ["## Compared with the previous report", "", _changes(report, before), ""]
    parts += ["## Failures", ""]
    for backend, data in report["backends"].items():
        failed = [q for q in data["questions"] if _failed(q)]
        parts.append(f"### {backend}: {len(failed)} of {len(data['questions'])} questions")
        parts.append("")
        for q in failed:
            why = ("wrongly refused" if q["answerable"] and q["refused"] else
                   "answered an unanswerable question" if not q["answerable"] else
                   f"key facts {q['key_fact_recall']:.2f}")
            parts.append(f"- **{q['id']}** ({q['type']}, {why}): {q['question']}")
            parts.append(f"  - answer: {q['answer']}")
            if q.get("citation_docs"):
                parts.append(f"  - cited: {', '.join(q['citation_docs'])}")
            if q.get("fallback_reason"):
                parts.append(f"  - fallback: {q['fallback_reason']}")
            if q.get("refusal_reason"):
                parts.append(f"  - refused because: {q['refusal_reason']}")
        parts.append("")
    return "\n".join(parts)


def draw_chart(report: dict, path: Path) -> None:
    """Grouped bars: quality metrics (0..1) per backend."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    backends = list(report["backends"])
    width = 0.8 / max(len(backends), 1)
    fig, ax = plt.subplots(figsize=(10, 4.5), dpi=100)
    for i, backend in enumerate(backends):
        summary = report["backends"][backend]["summary"]
        values = [summary.get(m, 0.0) or 0.0 for m in CHART_METRICS]
        positions = [x + i * width for x in range(len(CHART_METRICS))]
        bars = ax.bar(positions, values, width, label=f"{backend} ({summary['questions']:.0f} q)")
        ax.bar_label(bars, fmt="%.2f", fontsize=7)
    ax.set_xticks([x + width * (len(backends) - 1) / 2 for x in range(len(CHART_METRICS))])
    ax.set_xticklabels([m.replace("_", "\n") for m in CHART_METRICS], fontsize=8)
    ax.set_ylim(0, 1.1)
    ax.set_title(f"Answer quality per backend ({report['created']})")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _changes(report: dict, before: dict | None) -> str:
    if not before:
        return "No previous report."
    lines = ["| backend | metric | before | now | |", "|---|---|---|---|---|"]
    for backend, data in report["backends"].items():
        old = before.get("backends", {}).get(backend, {}).get("summary")
        if not old:
            continue
        for name in HIGHER_IS_BETTER + LOWER_IS_BETTER:
            new_value, old_value = data["summary"].get(name), old.get(name)
            if new_value is None or old_value is None or abs(new_value - old_value) < (1.0 if name.endswith("_ms") else 1e-3):
                continue
            better = (new_value > old_value) == (name in HIGHER_IS_BETTER)
            if name.endswith("_ms") and abs(new_value - old_value) / max(old_value, 1.0) < 0.1:
                continue  # timing noise
            lines.append(f"| {backend} | {name} | {_fmt(name, old_value)} | {_fmt(name, new_value)} | "
                         f"{'better' if better else 'WORSE'} |")
    return "\n".join(lines) if len(lines) > 2 else "No metric changed."


def _failed(q: dict) -> bool:
    if q["answerable"]:
        return q["refused"] or (q["key_fact_recall"] or 0.0) < 1.0
    return not q["refused"]


def _fmt(name: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if name.endswith("_ms") else f"{value:.3f}"
