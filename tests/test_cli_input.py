"""Bad input on the command line, through real subprocesses: one line, exit code 2, no traceback; a bad line of
a batch gets an error object and the rest are answered; a reader that goes away ends the run quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

QUESTION = "What did Russia begin exporting to North Korea?"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One index for the module's subprocesses (built by the first)."""
    home = tmp_path_factory.mktemp("cli")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    return {**clean, "ASSISTANT_INDEX_DIR": str(home / "index"), "ASSISTANT_USER_CORPUS_DIR": str(home / "user")}


def run(env: dict[str, str], *args: str | bytes) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, env=env, timeout=600)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


def test_bytes_that_are_not_utf8_as_the_question_are_one_line(env):
    assert "not valid Unicode" in one_line_error(run(env, "ask", b"\xff\xfe"))
    assert "not valid Unicode" in one_line_error(run(env, "search", b"\xff\xfe \xd8\xa8"))


@pytest.mark.parametrize("k", ["0", "-1", "51"])
def test_k_outside_1_to_50_is_one_line(env, k):
    assert "--k" in one_line_error(run(env, "search", "بوتين", "--k", k))
    assert "--k" in one_line_error(run(env, "ask", "بوتين", "--k", k))


def test_a_bad_line_of_a_batch_gets_an_error_object_and_the_rest_are_answered(env, tmp_path: Path):
    lines = [json.dumps({"id": "ok1", "question": QUESTION}),
             '{"id": "surrogate", "question": "\\ud800 \\u0645\\u062a\\u0649"}',
             "not json at all",
             json.dumps({"id": "noq"}),
             json.dumps({"id": "ok2", "question": "متى زار كيم إل سونغ موسكو؟"}, ensure_ascii=False)]
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join(lines) + "\n", "utf-8")
    proc = run(env, "ask", "--json", "--questions", str(batch))
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert [o["id"] for o in out] == ["ok1", "surrogate", None, "noq", "ok2"]
    assert "not valid Unicode" in out[1]["error"] and "q.jsonl:3" in out[2]["error"] and "q.jsonl:4" in out[3]["error"]
    assert "النفط" in out[0]["answer"] and "1949" in out[4]["answer"]
    assert len(proc.stderr.decode().strip().splitlines()) == 3  # one line a bad line


def test_a_reader_that_goes_away_ends_the_run_quietly(env, tmp_path: Path):
    batch = tmp_path / "q.jsonl"
    batch.write_text("".join(json.dumps({"id": n, "question": QUESTION}) + "\n" for n in range(3)), "utf-8")
    err = tmp_path / "err.txt"
    command = (f"set -o pipefail; {sys.executable} -m assistant ask --questions {batch} 2>{err} | head -c1 >/dev/null;"
               " echo $?")
    proc = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env, timeout=600)
    assert proc.stdout.strip() in ("0", "141") and err.read_text() == ""
