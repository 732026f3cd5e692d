"""How often the support judge agrees with hand labels (it guards citations, so it is tested too)."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.errors import InputError
from assistant.support import Idf, judge


def judge_accuracy(path: Path, idf: Idf | None) -> dict:
    """{"pairs", "accuracy", "errors": [ids]} on a JSONL of {id, sentence, passage, supported}."""
    try:
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read labelled pairs ({exc})") from None
    errors = [r["id"] for r in rows if judge(r["sentence"], r["passage"], idf).supported != r["supported"]]
    return {"pairs": len(rows), "accuracy": (len(rows) - len(errors)) / len(rows) if rows else 0.0,
            "errors": errors}
