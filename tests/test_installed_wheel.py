"""The built wheel, installed in a fresh virtual environment, answers and refuses outside the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from assistant.messages import REFUSAL
from tests.conftest import ROOT


def run(*args: str, cwd: Path, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_the_wheel_answers_from_its_own_package_data(tmp_path):
    # build the wheel from the checkout, as `pip install .` would
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                str(tmp_path / "dist"), str(ROOT), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    [wheel] = list((tmp_path / "dist").glob("assistant-*.whl"))
    # a fresh venv: the wheel itself, its dependencies seen through a .pth (installing them again is minutes)
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    site = Path(run(str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                    cwd=tmp_path).stdout.strip())
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    installed = run(str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel), cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_") and k != "PYTHONPATH"}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data"))
    where = run(str(python), "-c", "import assistant; print(assistant.__file__)", cwd=elsewhere, env=env)
    assert where.stdout.startswith(str(site)), where.stdout + where.stderr  # not the checkout
    assistant = str(target / "bin" / "assistant")

    answered = run(assistant, "ask", "ما الكنيسة التي سيزورها بوتين في كوريا الشمالية؟", "--json",
                   cwd=elsewhere, env=env)
    assert answered.returncode == 0, answered.stderr
    answer = json.loads(answered.stdout)
    assert not answer["refused"] and "كنيسة ثالوث واهب الحياة" in answer["answer"] and answer["citations"]
    refused = run(assistant, "ask", "كم دبابة أرسلت روسيا إلى كوريا الشمالية؟", "--json", cwd=elsewhere, env=env)
    assert json.loads(refused.stdout)["refused"] and json.loads(refused.stdout)["answer"] == REFUSAL
    # the index went to the user's data folder, not into site-packages or the working directory
    assert (tmp_path / "data" / "assistant" / "index" / "current" / "catalog.sqlite3").is_file()
    assert not (elsewhere / "index").exists() and not (site / "index").exists()
