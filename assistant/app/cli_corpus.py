"""The corpus commands of the CLI: `ingest` (with a progress bar and an ETA), `delete`, `docs`, `show`."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from tqdm import tqdm

from assistant import messages as msg
from assistant.app import importer
from assistant.app.wiring import Pipeline, open_pipeline
from assistant.ingest.corpus import Corpus
from assistant.ingest.loaders import SUPPORTED_SUFFIXES
from assistant.ingest.records import DEFAULT_FIELDS, FieldMap
from assistant.settings import Settings

EXIT_ERROR = 2


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help=f"add articles ({' '.join(SUPPORTED_SUFFIXES)}; files, folders, dumps)")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--replace", action="store_true",
                   help="an article whose id is taken replaces the stored one (default: it gets a new id)")
    p.add_argument("--map", action="append", metavar="FIELD=NAME",
                   help=f"read FIELD ({', '.join(DEFAULT_FIELDS)}) from the record field NAME (repeatable)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--ray", nargs="?", const="local", metavar="ADDRESS",
                   help="clean, chunk and embed on a Ray cluster (ray://host:10001 or host:6379; alone: a local Ray on this "
                        "machine's CPUs); needs the [ray] extra")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("delete", help="remove added articles (and their passages) by id")
    p.add_argument("ids", nargs="+")
    p.set_defaults(func=cmd_delete)

    p = sub.add_parser("docs", help="list the documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("show", help="print a cleaned document with its metadata")
    p.add_argument("doc_id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    fields = FieldMap.parse(args.map)
    if args.ray:
        from assistant.app.ray_wiring import ray_ingest

        with ray_ingest(settings, address=None if args.ray == "local" else args.ray) as ray:
            code = _ingest(args, ray.pipeline.settings, fields, ray.pipeline, ray.preparer.clean)
            print(f"on Ray: {ray.preparer.prepared} documents cleaned and chunked, embedded by {ray.actors} actors")
            return code
    return _ingest(args, settings, fields, open_pipeline(settings))


def _ingest(args: argparse.Namespace, settings: Settings, fields: FieldMap, pipeline: Pipeline,
            cleaner: importer.Cleaner | None = None) -> int:
    with tqdm(desc="ingest", unit=" articles", disable=args.quiet or None, file=sys.stderr,
              smoothing=0.1) as bar:
        def progress(report: importer.IngestReport) -> None:
            bar.total = report.total
            bar.update(report.done - bar.n)
            bar.set_postfix(words_s=f"{report.words / bar.format_dict['elapsed']:.0f}" if bar.format_dict["elapsed"]
                            else "-", embedded=report.embedded, refresh=False)

        report = importer.ingest(pipeline, args.paths, replace=args.replace, fields=fields,
                                 max_bytes=settings.max_upload_bytes, progress=progress, cleaner=cleaner)
    for message in report.errors:
        print(f"error: {message}", file=sys.stderr)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
          f"errors {len(report.errors)}")
    print(f"index: {pipeline.store.count()} chunks ({report.embedded} sentences embedded)")
    return EXIT_ERROR if report.errors else 0


def cmd_delete(args: argparse.Namespace, settings: Settings) -> int:
    report = importer.delete(open_pipeline(settings), args.ids)
    for message in report.errors:
        print(f"error: {message}", file=sys.stderr)
    print(f"deleted {len(report.updated)}")
    return EXIT_ERROR if report.errors else 0


def cmd_docs(args: argparse.Namespace, settings: Settings) -> int:
    docs = Corpus(settings).catalog()
    if args.json:
        print(json.dumps([asdict(d) for d in docs], ensure_ascii=False, indent=2))
        return 0
    for d in docs:
        flag = msg.CLI_APPENDED_FLAG.format(host=d.appended_to) if d.appended_to else ""
        print(f"{d.id}\t{d.source or '—'}\t{d.date or '—'}\t{d.title}{flag}")
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
