"""`assistant bench --llm-memory N`: does a batch of local-backend answers grow the process?

Each prompt-cache size (`Settings.llm_prompt_cache_mib`) runs in a fresh process, so the model is loaded once
per setting and the figures are not mixed: it answers N dev questions (cycled) with the local backend and
reports its resident memory after the first answer and after the last, the peak, and the seconds per answer.
The runs are side by side in one invocation, as the machine is shared: only their ratios mean much.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from itertools import cycle, islice
from pathlib import Path

from assistant.bench.system import settings_env
from assistant.evaluation.answers import load_dev
from assistant.evaluation.runner import EVAL_DIR
from assistant.evaluation.stats import median
from assistant.io import write_atomic
from assistant.settings import Settings

CACHES_MIB = (8192, 256, 0)
"""llama.cpp's default, a bound, none (shipped)."""


def resident_mb() -> float:
    """This process's resident memory now (VmRSS), in MB: the model file's mapped pages included."""
    with open("/proc/self/status", encoding="ascii") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kb / 1024


def probe(questions: int) -> None:
    """Run in a fresh process: answer `questions` dev questions with the local backend; print one JSON line."""
    import resource

    from assistant.answer.answerer import Answerer
    from assistant.app.wiring import open_pipeline

    answerer = Answerer(open_pipeline(Settings.load()))
    asked = [c.question for c in load_dev(EVAL_DIR / "dev.jsonl") if c.answerable]
    rss, seconds, fallbacks = [], [], 0
    for question in islice(cycle(asked), questions):
        started = time.perf_counter()
        answer = answerer.ask(question, backend="local")
        seconds.append(time.perf_counter() - started)
        fallbacks += bool(answer.fallback_reason)
        rss.append(resident_mb())
    print(json.dumps({"rss_mb": rss, "seconds": seconds, "fallbacks": fallbacks,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def llm_memory_bench(settings: Settings, questions: int, caches: tuple[int, ...] = CACHES_MIB) -> dict:
    """One fresh process per prompt-cache size, in turn."""
    runs = {}
    for mib in caches:
        env = {**os.environ, **settings_env(settings), "ASSISTANT_LLM_PROMPT_CACHE_MIB": str(mib)}
        done = subprocess.run([sys.executable, "-c", f"from assistant.bench.llm_memory import probe; probe({questions:d})"],
                              env=env, capture_output=True, text=True, timeout=7200, check=True)
        runs[str(mib)] = json.loads(done.stdout.strip().splitlines()[-1])
    return {"created": time.strftime("%Y-%m-%d %H:%M"), "questions": questions,
            "shipped_mib": settings.llm_prompt_cache_mib, "runs": runs}


def render(report: dict) -> str:
    lines = [f"# Local backend: memory over a batch ({report['questions']} dev questions, {report['created']})", "",
             "One fresh process per prompt-cache size (`ASSISTANT_LLM_PROMPT_CACHE_MIB`), run one after the other "
             "on a shared 2-core machine. Resident memory counts the model file's mapped pages (about 1.1 GB).", "",
             "| prompt cache | after the first answer | after the last | growth | peak | s per answer (median) |"
             " fallbacks |", "|---|---|---|---|---|---|---|"]
    for mib, run in report["runs"].items():
        first, last = run["rss_mb"][0], run["rss_mb"][-1]
        shipped = " (shipped)" if int(mib) == report["shipped_mib"] else ""
        lines.append(f"| {mib} MiB{shipped} | {first / 1024:.2f} GB | {last / 1024:.2f} GB | {last - first:+.0f} MB "
                     f"| {run['peak_rss_mb'] / 1024:.2f} GB | {median(run['seconds']):.1f} | {run['fallbacks']} |")
    return "\n".join(lines) + "\n"


def write(report: dict, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "bench_llm_memory.json", folder / "bench_llm_memory.md"]
    write_atomic(paths[0], json.dumps(report, ensure_ascii=False, indent=1))
    write_atomic(paths[1], render(report))
    return paths


__all__ = ["CACHES_MIB", "llm_memory_bench", "probe", "render", "resident_mb", "write"]
