"""The package's shape: stages in folders, small modules, Arabic knowledge and user-facing Arabic in one place each."""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "assistant"
MODULES = sorted(PACKAGE.rglob("*.py"))
ARABIC_HOME = PACKAGE / "arabic"
MESSAGES = PACKAGE / "messages.py"


def _is_arabic_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L") and "ARABIC" in unicodedata.name(ch, "")


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings: of modules, classes, functions, and attributes
    (a bare string right after an assignment)."""
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for stmt in body:
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
                found.add(id(stmt.value))
    return found


def arabic_literals(path: Path) -> list[str]:
    """String literals (not docstrings or comments) that contain an Arabic letter."""
    tree = ast.parse(path.read_text("utf-8"))
    skip = _docstrings(tree)
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
            and any(_is_arabic_letter(ch) for ch in node.value)]


def test_the_checker_sees_literals_but_not_docstrings(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""وثيقة"""\nX = "كلمة"  # تعليق\n"""شرح"""\ndef f():\n    """وصف"""\n    return f"ال{X}"\n', "utf-8")
    assert arabic_literals(sample) == ["كلمة", "ال"]


@pytest.mark.parametrize("path", [p for p in MODULES if ARABIC_HOME not in p.parents and p != MESSAGES],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_arabic_words_outside_the_arabic_package_and_the_messages_file(path):
    assert arabic_literals(path) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_300_lines(path):
    assert len(path.read_text("utf-8").splitlines()) <= 300


@pytest.mark.parametrize("path", sorted(ARABIC_HOME.glob("*.py")), ids=lambda p: p.name)
def test_the_arabic_package_imports_nothing_else_from_assistant(path):
    tree = ast.parse(path.read_text("utf-8"))
    imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert [m for m in imported if m.startswith("assistant") and not m.startswith("assistant.arabic")] == []


@pytest.mark.parametrize("folder", sorted(p for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()),
                         ids=lambda p: p.name)
def test_every_stage_says_what_flows_in_and_out(folder):
    doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text("utf-8")))
    assert doc and len(doc) > 80
