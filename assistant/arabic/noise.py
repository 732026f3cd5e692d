"""Input that is not a question in any language: code, SQL, a shell line, keyboard noise.

Such input gets a refusal with a reason, like a greeting, never an answer: e5 puts «'; DROP TABLE
articles; --» near some article as it puts any text, and a cited answer to it would be chance. Each
check needs a form that prose does not take (an SQL statement with its punctuation, a shell operator,
a keyboard row), so a question that names SQL or a program is still a question.
"""

from __future__ import annotations

import re

from assistant.arabic.data import entries

_SQL = re.compile(r"\b(?:select\b.{0,80}\bfrom|insert\s+into|update\s+\w+\s+set|delete\s+from|drop\s+(?:table|database)|"
                  r"union\s+(?:all\s+)?select|alter\s+table|create\s+table|truncate\s+table)\b|\bor\s+1\s*=\s*1\b",
                  re.IGNORECASE | re.DOTALL)
_SQL_PUNCTUATION = re.compile(r"[;*=]|--")
_SHELL = re.compile(r"^\s*(?:\$\s|sudo\s|rm\s+-|cd\s+[/~.]|ls\s+-|curl\s|wget\s|chmod\s|chown\s|cat\s+/|echo\s|"
                    r"export\s+\w+=|python3?\s+-|bash\s|sh\s+-c)|\$\([^)]*\)|`[^`]+`|\|\s*(?:sh|bash)\b|&&|\|\||"
                    r"/etc/passwd|/bin/(?:ba)?sh|>\s*/dev/")
_CODE = re.compile(r"\bdef\s+\w+\s*\(|\bfunction\s*\w*\s*\([^)]*\)\s*\{|^\s*(?:from\s+[\w.]+\s+)?import\s+[\w.]+\s*$|"
                   r"#include\b|console\.\w+\(|\bprint\s*\(|</?(?:script|img|iframe|svg|div|a)\b|=>|"
                   r"\b(?:var|let|const)\s+\w+\s*=|System\.out|\w+\s*\([^()]*\)\s*[;{]|\{\s*\}|\w+\s*=\s*\w+\s*;",
                   re.MULTILINE)
_SYMBOLS = re.compile(r"[{}\[\]()<>;=$&|\\`^~#@*/+%]")
_WORD = re.compile(r"[^\W\d_]+")
_ROWS = tuple(entries("keyboard_rows.txt"))
_VOWELS = re.compile(r"[aeiouy]", re.IGNORECASE)
_REPEATED = re.compile(r"(.)\1{3,}")
MIN_NOISE_WORD = 4


def code_or_noise(text: str) -> str | None:
    """What the input is when it is not a question («SQL», «a shell command», «code», «keyboard noise»), else None."""
    if _SQL.search(text) and _SQL_PUNCTUATION.search(text):
        return "SQL"
    if _SHELL.search(text):
        return "a shell command"
    symbols = len(_SYMBOLS.findall(text))
    if _CODE.search(text) or symbols >= 4 and symbols > len(text) * 0.12:
        return "code"
    words = _WORD.findall(text)
    if words and all(_is_noise(w) for w in words):
        return "keyboard noise"
    return None


def _is_noise(word: str) -> bool:
    """A run along a keyboard row («asdfgh», «ضصثقف»), a Latin run with no vowel («xkcdqz»), one letter
    held down («ههههه»), or a single letter."""
    lower = word.lower()
    if len(lower) == 1 or _REPEATED.search(lower):
        return True
    if len(lower) >= MIN_NOISE_WORD and any(lower in row or lower in row[::-1] for row in _ROWS):
        return True
    return lower.isascii() and len(lower) >= MIN_NOISE_WORD + 1 and not _VOWELS.search(lower)
