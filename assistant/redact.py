"""Secrets out of anything shown: a URL's user and password (`http://user:secret@host/v1`) are dropped."""

from __future__ import annotations

import re

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")


def strip_userinfo(text: str) -> str:
    """`text` with the `user:password@` part of every URL in it removed."""
    return _USERINFO.sub(r"\1", text)
