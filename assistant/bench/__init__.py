"""`assistant bench`: where time and memory go, side by side with llama-index's defaults.

Writes eval/reports/bench.json, bench.md and bench_latency.png. Figures are medians and p95
over repeated runs on this machine; ratios are measured in the same run.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

from assistant.bench.quality import baseline_quality
from assistant.app.wiring import open_pipeline
from assistant.bench.retrieval import bench_size, real_retriever_latency
from assistant.bench.system import answering, cold_start, ingestion, peak_rss_mb
from assistant.evaluation.retrieval import load_cases
from assistant.evaluation.runner import EVAL_DIR
from assistant.evaluation.stats import median, percentile
from assistant.settings import Settings

REPORTS = EVAL_DIR / "reports"
RETRIEVAL_DEV = EVAL_DIR / "retrieval_dev.jsonl"


def run_bench(settings: Settings, sizes: list[int], repeats: int, backends: list[str], cold: bool) -> dict:
    """Everything `render` reports. Sizes above 10^5 skip the SimpleVectorStore baseline (minutes per query)."""
    pipeline = open_pipeline(settings)
    questions = [c.question for c in load_cases(RETRIEVAL_DEV)]
    report: dict = {"created": time.strftime("%Y-%m-%d %H:%M"), "questions": len(questions), "repeats": repeats}
    # Answering first: peak memory must be that of answering, not of the scaled corpora below.
    _log("answering")
    answer_questions = questions[:: max(1, len(questions) // 8)][:8]
    report["answering"] = {b: {"ttft_ms": _stats(v["ttft_ms"]), "total_ms": _stats(v["total_ms"]),
                               "prompt_tokens": _stats(v["prompt_tokens"]), "peak_rss_mb": v["peak_rss_mb"]}
                           for b, v in answering(pipeline, answer_questions, backends).items()}
    _log("retrieval on the real index")
    report["real_retriever_ms"] = _stats(real_retriever_latency(pipeline, questions, repeats))
    report["scaling"] = []
    for size in sizes:
        _log(f"retrieval at {size:,} passages")
        for times in bench_size(pipeline, questions, size, repeats, baseline=size <= 100_000):
            row = asdict(times)
            for stage in ("embed", "dense", "bm25", "fuse", "total", "baseline_dense"):
                row[stage] = _stats(row[stage])
            report["scaling"].append(row)
        report["scaling"][-1]["peak_rss_mb"] = peak_rss_mb()
    _log("baseline quality")
    report["quality"] = baseline_quality(pipeline, RETRIEVAL_DEV)
    _log("ingestion")
    report["ingestion"] = ingestion(settings, pipeline)
    if cold:
        _log("cold start")
        report["cold_start_s"] = {"with_index": asdict(cold_start(settings, True)),
                                  "without_index": asdict(cold_start(settings, False))}
    return report


def write_bench(report: dict, folder: Path = REPORTS) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    (folder / "bench.md").write_text(render(report), "utf-8")
    _plot(report, folder / "bench_latency.png")
    return [folder / "bench.md", folder / "bench.json", folder / "bench_latency.png"]


def render(report: dict) -> str:
    lines = [f"# Benchmarks ({report['created']}, 2 cores)", "",
             f"{report['questions']} questions × {report['repeats']} repeats; milliseconds, median / p95.", "",
             f"Real index, product path (llama-index retriever + BM25 + RRF): "
             f"**{_fmt(report['real_retriever_ms'])}**", "",
             "## Retrieval per stage by corpus size", "",
             "| passages | FAISS | embed | dense | BM25 | fuse | total | recall@10 vs exact | "
             "SimpleVectorStore dense | dense speed-up |", "|---" * 10 + "|"]
    for row in report["scaling"]:
        base = row["baseline_dense"]
        ratio = f"{base['median'] / row['dense']['median']:.0f}×" if base["median"] and row["dense"]["median"] else "—"
        lines.append(f"| {row['size']:,} | {row['index_type']} | {_fmt(row['embed'])} | {_fmt(row['dense'])} | "
                     f"{_fmt(row['bm25'])} | {_fmt(row['fuse'])} | {_fmt(row['total'])} | {row['recall_at_10']:.3f} | "
                     f"{_fmt(base) if base['median'] else '—'} | {ratio} |")
    memory = [f"{r['size']:,}: {r['peak_rss_mb'] / 1024:.1f} GB" for r in report["scaling"] if "peak_rss_mb" in r]
    if memory:
        lines += ["", "Peak memory of the benchmark process after each size (vectors, BM25, both FAISS indexes): "
                  + ", ".join(memory) + "."]
    lines += ["", "## Retrieval quality on eval/retrieval_dev.jsonl", "", "| retriever | recall@1 | recall@5 | MRR |",
              "|---|---|---|---|"]
    for name, q in report["quality"].items():
        if "error" in q:
            lines.append(f"| {name} | {q['error']} | | |")
        else:
            lines.append(f"| {name} | {q['recall_at_1']:.3f} | {q['recall_at_5']:.3f} | {q['mrr']:.3f} |")
    ing = report["ingestion"]
    lines += ["", "## Ingestion", "",
              f"{ing['documents']} documents → {ing['chunks']} chunks and {ing['sentences']} sentences: cleaning "
              f"{ing['clean_s']:.2f} s, index build {ing['build_s']:.1f} s ({ing['chunks_per_s']:.1f} chunks/s incl. "
              f"sentence vectors). Re-ingesting the unchanged corpus: {ing['reingest_s']:.1f} s, "
              f"{ing['reingest_embedded']} passages embedded.", "", "## Answering", "",
              "| backend | first text | whole answer | prompt tokens | peak RSS |", "|---|---|---|---|---|"]
    for backend, a in report["answering"].items():
        tokens = _fmt(a["prompt_tokens"]) if a["prompt_tokens"]["n"] else "—"
        lines.append(f"| {backend} | {_fmt(a['ttft_ms'])} | {_fmt(a['total_ms'])} | {tokens} | "
                     f"{a['peak_rss_mb']:.0f} MB |")
    if "cold_start_s" in report:
        c = report["cold_start_s"]
        built, building = c["with_index"], c["without_index"]
        lines += ["", f"Cold start of `python app.py` to a page that answers: {built['page_s']:.1f} s with a built "
                      f"index, {building['page_s']:.1f} s building it (served; a question asked at once waits for the "
                      f"index, open at {built['answers_s']:.1f} s and {building['answers_s']:.1f} s)."]
    lines += ["", "## Goals", ""] + goals(report)
    return "\n".join(lines) + "\n"


def goals(report: dict) -> list[str]:
    """Each goal of the benchmark issue, met or not; an unmet one names the stage holding it back."""
    out = []
    at_1e5 = [r for r in report["scaling"] if r["size"] == 100_000]
    if at_1e5:
        best = min(at_1e5, key=lambda r: r["total"]["p95"])
        slowest = max(("embed", "dense", "bm25", "fuse"), key=lambda st: best[st]["p95"])
        met = best["total"]["p95"] <= 30
        out.append(f"- retrieval p95 ≤ 30 ms at 10⁵: {best['total']['p95']:.1f} ms ({best['index_type']}) — "
                   + ("met" if met else f"NOT met, {slowest} takes {best[slowest]['p95']:.1f} ms"))
        base = best["baseline_dense"]["median"]
        if base:
            ratio = base / best["total"]["median"]
            out.append(f"- ≥ 10× faster than SimpleVectorStore at 10⁵: {ratio:.0f}× — {'met' if ratio >= 10 else 'NOT met'}")
        out.append("- HNSW recall@10 ≥ 0.95: " + ", ".join(
            f"{r['size']:,}: {r['recall_at_10']:.3f}" for r in report["scaling"] if r["index_type"] == "hnsw"))
    local = report["answering"].get("local")
    if local:
        ttft, whole = local["ttft_ms"]["median"] / 1000, local["total_ms"]["median"] / 1000
        out.append(f"- bundled LLM first text p50 ≤ 6 s: {ttft:.1f} s — {'met' if ttft <= 6 else 'NOT met (prompt processing)'}")
        out.append(f"- bundled LLM whole answer p50 ≤ 15 s: {whole:.1f} s — {'met' if whole <= 15 else 'NOT met (generation)'}")
        out.append(f"- peak memory ≤ 3 GB: {local['peak_rss_mb'] / 1024:.1f} GB — "
                   f"{'met' if local['peak_rss_mb'] <= 3072 else 'NOT met'}")
    if "cold_start_s" in report:
        c = report["cold_start_s"]["with_index"]["page_s"]
        out.append(f"- cold start with a built index ≤ 10 s: {c:.1f} s — {'met' if c <= 10 else 'NOT met'}")
    return out


def _plot(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    for kind in ("flat", "hnsw"):
        rows = [r for r in report["scaling"] if r["index_type"] == kind]
        ax.plot([r["size"] for r in rows], [r["total"]["p95"] for r in rows], marker="o", label=f"hybrid p95 ({kind})")
    base = [r for r in report["scaling"] if r["index_type"] == "flat" and r["baseline_dense"]["median"]]
    ax.plot([r["size"] for r in base], [r["baseline_dense"]["p95"] for r in base], marker="s",
            label="SimpleVectorStore dense p95")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("passages")
    ax.set_ylabel("ms")
    ax.set_title("Retrieval latency vs corpus size")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _stats(values: list[float]) -> dict[str, float]:
    return {"median": median(values), "p95": percentile(values, 95), "n": len(values)}


def _fmt(stats: dict[str, float]) -> str:
    return f"{stats['median']:.1f} / {stats['p95']:.1f}"


def _log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)
