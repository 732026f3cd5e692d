"""`assistant eval`: run the dev set through each backend and print the metrics."""

from __future__ import annotations

import json
from pathlib import Path

from tqdm import tqdm

from assistant.answering import Answerer
from assistant.evaluation.answers import DevCase, load_dev, results_json, run_cases, summarize
from assistant.pipeline import open_pipeline
from assistant.settings import PROJECT_DIR, Settings

DEFAULT_DEV = PROJECT_DIR / "eval" / "dev.jsonl"


def evaluate_backend(answerer: Answerer, cases: list[DevCase], backend: str) -> tuple[dict, list[dict]]:
    pipeline = answerer.pipeline

    def ask(case: DevCase):
        answer = answerer.ask(case.question, backend=backend, qid=case.id)
        retrieved = " ".join(h.chunk.text for h in pipeline.retriever.search(case.question).hits)
        return answer, retrieved

    results = run_cases(tqdm(cases, desc=f"eval {backend}", unit="q", disable=None), ask, pipeline.index.bm25.idf)
    return summarize(results), results_json(results)


def run_answer_eval(settings: Settings, path: Path | None, backends: list[str], limit: int | None,
                    as_json: bool) -> int:
    cases = load_dev(path or DEFAULT_DEV)[:limit]
    answerer = Answerer(open_pipeline(settings))
    report = {}
    for backend in backends:
        summary, per_question = evaluate_backend(answerer, cases, backend)
        report[backend] = {"summary": summary, "questions": per_question}
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(format_summary({b: r["summary"] for b, r in report.items()}))
    return 0


def format_summary(summaries: dict[str, dict]) -> str:
    names = ["key_fact_accuracy", "citation_precision", "citation_recall", "faithfulness", "refusal_precision",
             "refusal_recall", "wrong_refusal_rate", "arabic_rate", "total_p50_ms", "total_p95_ms"]
    backends = list(summaries)
    lines = ["| metric | " + " | ".join(backends) + " |", "|---" * (len(backends) + 1) + "|"]
    for name in names:
        cells = [f"{summaries[b][name]:.0f}" if name.endswith("_ms") else f"{summaries[b][name]:.3f}" for b in backends]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
