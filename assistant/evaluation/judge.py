"""How often the support judge agrees with hand labels (it guards citations, so it is tested too)."""

from __future__ import annotations

from pathlib import Path

from assistant.answer.support import Idf, judge
from assistant.io import read_jsonl


def judge_accuracy(path: Path, idf: Idf | None) -> dict:
    """{"pairs", "accuracy", "errors": [ids]} on a JSONL of {id, sentence, passage, supported}."""
    rows = [row for _, row in read_jsonl(path)]
    errors = [r["id"] for r in rows if judge(r["sentence"], r["passage"], idf).supported != r["supported"]]
    return {"pairs": len(rows), "accuracy": (len(rows) - len(errors)) / len(rows) if rows else 0.0,
            "errors": errors}
