"""A folder of index versions that is never seen half-written.

    root/current -> v-<stamp>/     a symlink, swapped in one rename once a version is complete
    root/.build-*                   a version being written (removed if the writer dies)
    root/.lock                      one writer at a time

A crash, Ctrl-C or kill at any moment leaves `current` pointing at the last complete version.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterator


class VersionedFolder:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.current = root / "current"

    def exists(self) -> bool:
        return self.current.exists()

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """One writer at a time; leftovers of interrupted writers are removed under the lock."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            for stale in self.root.glob(".build-*"):
                shutil.rmtree(stale, ignore_errors=True)
            yield

    @contextlib.contextmanager
    def new_version(self) -> Iterator[Path]:
        """A fresh folder to write into; on a clean exit it becomes `current` (call under `lock`)."""
        tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=self.root))
        try:
            yield tmp
            final = self.root / f"v-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{tmp.name[-6:]}"
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self._point_current_to(final)

    def _point_current_to(self, target: Path) -> None:
        """Swap the `current` symlink in one rename, then drop versions nobody points to."""
        link_tmp = self.root / f".current-{os.getpid()}"
        link_tmp.unlink(missing_ok=True)
        link_tmp.symlink_to(target.name)
        if self.current.exists() and not self.current.is_symlink():
            shutil.rmtree(self.current)  # an old, non-symlink layout
        os.replace(link_tmp, self.current)
        for old in self.root.glob("v-*"):
            if old.name != target.name:
                shutil.rmtree(old, ignore_errors=True)
