"""Faults a process or a disk can cause: kill -9 at random moments, two ingests at once, read-only folders.

Every run is a real `assistant` subprocess on real SaudiNewsNet articles; after each kill the state on disk
is checked: every article given before the kill is either fully present (corpus and index) or absent,
nothing else changed, and `ask` works.
"""

from __future__ import annotations

import os
import re
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from assistant.app.cli import main
from assistant.index.prepare import prepare
from assistant.ingest.corpus import Corpus
from assistant.settings import Settings
from tests.archive import records, run_cli, start_cli, write_zip

RUNS = 20
PER_RUN = 3


def settings_for(home: Path) -> Settings:
    return Settings(home=home, index_dir=home / "index", user_corpus_dir=home / "data" / "user")


def catalog_docs(home: Path) -> dict[str, str]:
    path = (home / "index" / "current").resolve() / "catalog.sqlite3"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as conn:
        return dict(conn.execute("SELECT id, content_hash FROM docs").fetchall())


def kill_after(proc: subprocess.Popen, seconds: float) -> bool:
    """SIGKILL after `seconds` (True), unless the process ended first (False)."""
    try:
        proc.wait(timeout=seconds)
        return False
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return True


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    for name in ("ASSISTANT_INDEX_DIR", "ASSISTANT_USER_CORPUS_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ASSISTANT_HOME", str(tmp_path))
    monkeypatch.setenv("ASSISTANT_INGEST_BATCH_ARTICLES", "1")  # a commit per article: more moments to die in
    assert run_cli(tmp_path, "index").returncode == 0
    return tmp_path


def test_kill_9_during_ingests_and_rebuilds_loses_nothing(home, capsys):
    rows = records("2015-07-25", RUNS * PER_RUN)
    dumps = [write_zip(home / f"part{i}.zip", {f"2015-07-25-p{i}": rows[i * PER_RUN:(i + 1) * PER_RUN]})
             for i in range(RUNS)]
    started = time.perf_counter()
    assert run_cli(home, "ingest", str(dumps[0]), "--quiet").returncode == 0
    full = time.perf_counter() - started
    expected = Corpus(settings_for(home)).hashes()
    rng = random.Random(16)
    killed = 0
    for i in range(1, RUNS):
        rebuild = i % 5 == 0
        args = ("index", "--rebuild") if rebuild else ("ingest", str(dumps[i]), "--quiet")
        killed += kill_after(start_cli(home, *args), rng.uniform(0.2 * full, 1.1 * full))
        given = {f"2015-07-25-p{i}-{n}" for n in range(1, PER_RUN + 1)} if not rebuild else set()
        expected = _check_after_kill(home, expected, given, capsys)
    assert killed >= RUNS // 2  # most runs really were killed mid-way
    assert run_cli(home, "index", "--rebuild").returncode == 0 and not list((home / "index").glob(".build-*"))


def _check_after_kill(home: Path, expected: dict[str, str], given: set[str], capsys) -> dict[str, str]:
    """Each given article fully present or absent, everything else as it was, and `ask` answers."""
    assert main(["ask", "ما الكنيسة التي سيزورها بوتين في كوريا الشمالية؟", "--json"]) == 0  # syncs the index
    capsys.readouterr()
    stored = Corpus(settings_for(home)).hashes()
    indexed = catalog_docs(home)
    assert stored == indexed  # nothing half-present: every stored document is indexed, and only those
    assert {d: h for d, h in stored.items() if d in expected} == expected  # nothing else changed or went
    new = {d for d in stored if d not in expected}
    assert {d.split("__")[0] for d in new} <= given
    return stored


def test_an_interrupted_ingest_resumes_without_embedding_again(home):
    rows = records("2015-07-26", 8)
    dump = write_zip(home / "day.zip", {"2015-07-26": rows})
    proc = start_cli(home, "ingest", str(dump), "--quiet")
    deadline = time.monotonic() + 600
    while proc.poll() is None and time.monotonic() < deadline:
        if len([d for d in catalog_docs(home) if d.startswith("2015-07-26")]) >= 2:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait()
    done = {d for d in catalog_docs(home) if d.startswith("2015-07-26")}
    assert 2 <= len(done) < 8, "the ingest ended before it could be killed mid-way"
    path = (home / "index" / "current").resolve() / "catalog.sqlite3"
    with sqlite3.connect(path) as conn:
        known = {k for (k,) in conn.execute("SELECT key FROM sentences")}
    resumed = run_cli(home, "ingest", str(dump), "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    now = {d for d in catalog_docs(home) if d.startswith("2015-07-26")}
    assert now >= done and len([d for d in now if "__" not in d]) == 8
    remaining = Corpus(settings_for(home)).documents(sorted(now - done))
    todo = {s.key for s in prepare(remaining, 160, 1).sentences} - known
    embedded = int(re.search(r"\((\d+) sentences embedded\)", resumed.stdout).group(1))
    assert 0 < embedded <= len(todo)  # only what the kill cut off (a text already stored is reused, not re-embedded)
    path = (home / "index" / "current").resolve() / "catalog.sqlite3"
    with sqlite3.connect(path) as conn:
        stored = {k for (k,) in conn.execute("SELECT key FROM sentences")}
    assert todo <= stored  # and nothing the kill cut off is missing


def test_two_ingests_at_once_both_get_in(home):
    rows = records("2015-07-27", 6)
    first = write_zip(home / "a.zip", {"a": rows[:3]})
    second = write_zip(home / "b.zip", {"b": rows[3:]})
    procs = [start_cli(home, "ingest", str(p), "--quiet") for p in (first, second)]
    for proc in procs:
        _, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err
    ids = set(catalog_docs(home))
    assert {"a-1", "a-2", "a-3", "b-1", "b-2", "b-3"} <= {d.split("__")[0] for d in ids}
    assert Corpus(settings_for(home)).hashes() == catalog_docs(home)


def _read_only(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """`assistant ARGS` with `folder` mounted read-only for that process only (a private mount namespace:
    root, which CI runs as, would otherwise write anywhere)."""
    import shlex
    import sys

    script = (f"mount --bind {shlex.quote(str(folder))} {shlex.quote(str(folder))} && "
              f"mount -o remount,ro,bind {shlex.quote(str(folder))} && "
              f"exec {shlex.quote(sys.executable)} -m assistant {' '.join(shlex.quote(a) for a in args)}")
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=900,
                          env={**os.environ}, cwd=Path(__file__).resolve().parent.parent)


@pytest.mark.parametrize("which", ["index", "data"])
def test_a_read_only_folder_gives_one_line_and_ask_still_answers(home, which):
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("cannot make a private mount namespace here (unshare -m) to mount a folder read-only")
    new = home / "new.txt"
    new.write_text("خبر جديد\n\nأعلنت وزارة الزراعة أن محصول القمح في مقاطعة هوانغهاي بلغ مليوني طن هذا العام.",
                   "utf-8")
    folder = home / which
    folder.mkdir(exist_ok=True)
    before = Corpus(settings_for(home)).hashes()
    ingest = _read_only(folder, "ingest", str(new), "--quiet")
    assert ingest.returncode == 2 and "Traceback" not in ingest.stderr, ingest.stderr
    errors = [line for line in ingest.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("error:") and "not writable" in errors[0]
    asked = _read_only(folder, "ask", "ما الكنيسة التي سيزورها بوتين في كوريا الشمالية؟")
    assert asked.returncode == 0 and "Traceback" not in asked.stderr and "[1]" in asked.stdout, asked.stderr
    assert Corpus(settings_for(home)).hashes() == before  # nothing was half-added
