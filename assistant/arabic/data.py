"""Read the word lists shipped in `resources/` (package data, so an installed wheel has them too)."""

from __future__ import annotations

import hashlib
from importlib import resources


def read(name: str) -> str:
    """The text of `resources/<name>`."""
    return resources.files(__package__).joinpath("resources", name).read_text("utf-8")


def entries(name: str) -> list[str]:
    """Non-empty lines of `resources/<name>` that are not `#` comments, stripped."""
    return [line.strip() for line in read(name).splitlines() if line.strip() and not line.lstrip().startswith("#")]


def digest(*names: str) -> str:
    """A short hash of some resource files: a built index is stale when the lists it used change."""
    sha = hashlib.sha256()
    for name in names:
        sha.update(resources.files(__package__).joinpath("resources", name).read_bytes())
    return sha.hexdigest()[:12]
