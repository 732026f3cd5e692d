"""Faults injected into the worker processes of a local Ray that a test starts, through Ray's own
`runtime_env={"worker_process_setup_hook": "tests.ray_faults.install"}`: production code has no fault branch.

Every worker wraps the clean-and-chunk task (`ray_prepare.clean_and_prepare`) and the embedder actor's
batch call (`ray_embed._Embedder.__call__`). Ray pickles both by reference, so a task run in that worker runs
the wrapper. What a wrapper does is read at each call from RAY_FAULTS_DIR, so one Ray serves several tests:

    <stage>.mode    "raise": every attempt raises; "crash-once": the first attempt kills its worker process
                    (os._exit, as an out-of-memory kill would), later ones run normally; absent: no fault
    <stage>.calls   one line per attempt (how many times Ray ran it, retries included)
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_ENV = "RAY_FAULTS_DIR"
STAGES = ("clean", "embed")


class InjectedFault(RuntimeError):
    """What a wrapped task raises in "raise" mode."""


def strike(stage: str) -> None:
    """Count an attempt of `stage`, then fail it as its mode says."""
    folder = Path(os.environ[DIR_ENV])
    with open(folder / f"{stage}.calls", "a", encoding="utf-8") as calls:
        calls.write(f"{os.getpid()}\n")
    mode = folder / f"{stage}.mode"
    what = mode.read_text("utf-8").strip() if mode.is_file() else ""
    if what == "raise":
        raise InjectedFault(f"fault injected into {stage}")
    if what == "crash-once":
        try:
            os.close(os.open(folder / f"{stage}.fired", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
        os._exit(1)


def install() -> None:
    """The worker setup hook: wrap the two Ray entry points of `assistant ingest --ray`."""
    from assistant.index import ray_embed, ray_prepare

    clean, embed = ray_prepare.clean_and_prepare, ray_embed._Embedder.__call__

    def faulty_clean(batch, *args):
        strike("clean")
        return clean(batch, *args)

    def faulty_embed(self, batch):
        strike("embed")
        return embed(self, batch)

    ray_prepare.clean_and_prepare = faulty_clean
    ray_embed._Embedder.__call__ = faulty_embed


def reset(folder: Path, **modes: str) -> None:
    """Set each stage's mode (a stage not named: no fault) and forget earlier attempts."""
    for stage in STAGES:
        for suffix in ("mode", "calls", "fired"):
            (folder / f"{stage}.{suffix}").unlink(missing_ok=True)
        if modes.get(stage):
            (folder / f"{stage}.mode").write_text(modes[stage], encoding="utf-8")


def attempts(folder: Path, stage: str) -> int:
    calls = folder / f"{stage}.calls"
    return len(calls.read_text("utf-8").split()) if calls.is_file() else 0
