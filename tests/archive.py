"""A real subset of SaudiNewsNet for tests, read from ../shared at test time (never committed: CC BY-NC-SA)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAUDINEWSNET = ROOT.parent / "shared" / "datasets" / "saudinewsnet"


def records(day: str, n: int, skip: int = 0, min_words: int = 40, max_words: int = 120) -> list[dict]:
    """`n` articles of one day's zip (short ones, so the suite stays fast), in the file's order."""
    path = SAUDINEWSNET / f"{day}.zip"
    if not path.is_file():
        pytest.skip(f"SaudiNewsNet is not at {SAUDINEWSNET} (it is never committed; put the dataset's zips "
                    f"there to run the archive tests)")
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read(f"{day}.json"))
    chosen = [r for r in data if min_words <= len(str(r.get("content") or "").split()) <= max_words]
    return chosen[skip:skip + n]


def write_zip(path: Path, days: dict[str, list[dict]]) -> Path:
    """A dump shaped like SaudiNewsNet's: one JSON array per day, zipped."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for day, rows in days.items():
            archive.writestr(f"{day}.json", json.dumps(rows, ensure_ascii=False))
    return path


def cli_env(home: Path) -> dict[str, str]:
    """This environment (a test's ASSISTANT_* settings too), with every folder under `home`."""
    env = {k: v for k, v in os.environ.items() if k not in ("ASSISTANT_INDEX_DIR", "ASSISTANT_USER_CORPUS_DIR")}
    return {**env, "ASSISTANT_HOME": str(home)}


def run_cli(home: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          env=cli_env(home), cwd=ROOT, timeout=timeout)


def start_cli(home: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "assistant", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=cli_env(home), cwd=ROOT)
