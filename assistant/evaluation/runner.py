"""`assistant eval`: judge accuracy, retrieval and answer metrics per backend, a report, CI thresholds."""

from __future__ import annotations

import json
import sys
import time
import tomllib
from pathlib import Path

from tqdm import tqdm

from assistant.answer.answerer import Answerer
from assistant.app.wiring import open_pipeline
from assistant.errors import ConfigError, InputError
from assistant.evaluation.answers import DevCase, load_dev, results_json, run_cases, summarize
from assistant.evaluation.judge import judge_accuracy
from assistant.evaluation.report import summary_table, write_report
from assistant.evaluation.retrieval import RetrievalCase, evaluate
from assistant.retrieval.question import analyse
from assistant.settings import Settings, checkout_dir

EVAL_DIR = (checkout_dir() or Path.cwd()) / "eval"
"""The eval sets, reports and thresholds live in the source checkout (they are not shipped in the wheel)."""
DEFAULT_DEV = EVAL_DIR / "dev.jsonl"
THRESHOLDS = EVAL_DIR / "thresholds.toml"


def select(cases: list[DevCase], how: str | int) -> list[DevCase]:
    """`"all"`, or N questions spread evenly over the file (so every question type is sampled)."""
    if how == "all" or (isinstance(how, int) and how >= len(cases)):
        return cases
    n = int(how)
    if n < 1:
        raise ConfigError(f"questions = {how!r}: use 'all' or a positive number")
    picks = sorted({round(i * (len(cases) - 1) / max(n - 1, 1)) for i in range(n)})
    return [cases[i] for i in picks]


def evaluate_backend(answerer: Answerer, cases: list[DevCase], backend: str) -> tuple[dict, list[dict]]:
    pipeline = answerer.pipeline

    def ask(case: DevCase):
        history = _conversation(answerer, case, backend)
        answer = answerer.ask(case.question, backend=backend, qid=case.id, history=history)
        retrieved = " ".join(h.chunk.text for h in answerer.retrieve(analyse(case.question, history)).hits)
        return answer, retrieved

    results = run_cases(tqdm(cases, desc=f"eval {backend}", unit="q", file=sys.stderr), ask, pipeline.store.idf)
    summary = summarize(results)
    retrieval_cases = [RetrievalCase(c.id, _searched(c), c.gold_docs, c.evidence) for c in cases if c.answerable]
    if retrieval_cases:
        [hybrid] = [s for s in evaluate(pipeline.retriever, retrieval_cases, pipeline.corpus.documents())
                    if s.mode == "hybrid"]
        summary.update(recall_at_1=hybrid.recall_at_1, recall_at_5=hybrid.recall_at_5, mrr=hybrid.mrr)
    return summary, results_json(results)


def _conversation(answerer: Answerer, case: DevCase, backend: str) -> list[dict[str, str]]:
    """The chat before a follow-up as a user would have had it: each earlier question answered in turn."""
    chat: list[dict[str, str]] = []
    for question in case.history:
        answer = answerer.ask(question, backend=backend, history=chat)
        chat += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]
    return chat


def _searched(case: DevCase) -> str:
    """What the answerer searches for: a follow-up together with the question it depends on (only the
    user's turns matter for that, so the earlier questions need not be answered here)."""
    return analyse(case.question, [{"role": "user", "content": q} for q in case.history]).searched.text


def run_answer_eval(settings: Settings, path: Path | None, backends: list[str], limit: int | None,
                    as_json: bool, ci: bool = False, write: bool = True) -> int:
    dev_path = path or DEFAULT_DEV
    if not dev_path.is_file():
        raise InputError(f"{dev_path}: no such eval file; give --file")
    cases = load_dev(dev_path)
    thresholds = load_thresholds() if ci else None
    plan = ({b: spec.get("questions", "all") for b, spec in thresholds["backends"].items()} if thresholds
            else {b: (limit or "all") for b in backends})
    answerer = Answerer(open_pipeline(settings))
    judge = judge_accuracy(EVAL_DIR / "support_pairs.jsonl", answerer.pipeline.store.idf)
    root = EVAL_DIR.parent
    report: dict = {"created": time.strftime("%Y-%m-%d %H:%M"), "dev_set": str(dev_path.relative_to(root))
                    if dev_path.is_relative_to(root) else str(dev_path), "judge": judge, "backends": {}}
    for backend, how in plan.items():
        summary, per_question = evaluate_backend(answerer, select(cases, how), backend)
        report["backends"][backend] = {"summary": summary, "questions": per_question}
    failures = check_thresholds(report, thresholds) if thresholds else None
    report["threshold_failures"] = failures
    if write:
        paths = write_report(report, EVAL_DIR / "reports")
        print(f"report: {paths['markdown']}, {paths['json']}, {paths['chart']}", file=sys.stderr)
    print(json.dumps(report, ensure_ascii=False, indent=1) if as_json else summary_table(report))
    if failures:
        print("\n".join(f"threshold not met: {f}" for f in failures), file=sys.stderr)
        return 1
    return 0


def load_thresholds(path: Path = THRESHOLDS) -> dict:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read thresholds ({exc})") from None
    if not data.get("backends"):
        raise ConfigError(f"{path}: no [backends.*] sections")
    return data


def check_thresholds(report: dict, thresholds: dict) -> list[str]:
    """Every `min_x` / `max_x` in the thresholds file, checked against the report."""
    failures = []
    judge_min = thresholds.get("judge", {}).get("min_accuracy")
    if judge_min is not None and report["judge"]["accuracy"] < judge_min:
        failures.append(f"judge accuracy {report['judge']['accuracy']:.3f} < {judge_min}")
    for backend, spec in thresholds["backends"].items():
        summary = report["backends"][backend]["summary"]
        for key, bound in spec.items():
            if key == "questions":
                continue
            kind, metric = key.split("_", 1)
            if metric not in summary or kind not in ("min", "max"):
                raise ConfigError(f"thresholds: unknown key {backend}.{key}")
            value = summary[metric]
            if (kind == "min" and value < bound) or (kind == "max" and value > bound):
                failures.append(f"{backend}.{metric} = {value:.3f}, {'below' if kind == 'min' else 'above'} {bound}")
    return failures
