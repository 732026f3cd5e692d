"""Start the assistant on the bundled corpus with the default models.

Until the web UI lands, this is an interactive search prompt in the terminal.
"""

from __future__ import annotations

import sys

from assistant.cli import format_search
from assistant.errors import AssistantError
from assistant.pipeline import open_pipeline
from assistant.settings import Settings


def main() -> int:
    print("جارٍ تحميل الفهرس (يُبنى في أول تشغيل)…", file=sys.stderr)
    pipeline = open_pipeline(Settings.from_env())
    print(f"{len(pipeline.index.chunks)} مقطعاً من {pipeline.index.manifest['n_docs']} مقالات. "
          "اكتب سؤالك (سطر فارغ أو Ctrl-D للخروج).", file=sys.stderr)
    for line in sys.stdin if not sys.stdin.isatty() else iter(lambda: input("سؤالك: "), ""):
        try:
            print(format_search(pipeline.retriever.search(line)))
        except AssistantError as exc:
            print(f"خطأ: {exc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (EOFError, KeyboardInterrupt):
        sys.exit(0)
