"""Put the summary table of eval/reports/latest.json into README.md (run by `make eval`)."""

import json
import pathlib

from assistant.evaluation.report import with_summary_table

root = pathlib.Path(__file__).resolve().parent.parent
report = json.loads((root / "eval" / "reports" / "latest.json").read_text("utf-8"))
readme = root / "README.md"
readme.write_text(with_summary_table(readme.read_text("utf-8"), report), "utf-8")
