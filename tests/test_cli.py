"""The CLI contract, run as a user runs it (a real subprocess for the JSON contract)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from assistant.app.cli import main
from assistant.ingest.corpus import Corpus

HIT_KEYS = {"rank", "doc_id", "chunk_id", "title", "source", "date", "score", "text", "start", "end"}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          timeout=300)


def test_search_json_contract(settings):
    proc = run_cli("search", "متى التقى كيم جونج اون ببوتين للمرة الاولى؟", "--k", "3", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["question"] == "متى التقى كيم جونج اون ببوتين للمرة الاولى؟" and out["filters"] is None
    assert len(out["hits"]) == 3 and set(out["hits"][0]) == HIT_KEYS
    assert set(out["timings_ms"]) == {"embed", "dense", "bm25", "fuse", "total"}
    docs = {d.id: d for d in Corpus(settings).documents()}
    for hit in out["hits"]:
        assert docs[hit["doc_id"]].text[hit["start"]:hit["end"]] == hit["text"]
    assert any("عام 2019 للمرة الأولى" in h["text"] for h in out["hits"])


def test_empty_question_one_line_error_and_nonzero_exit():
    proc = run_cli("search", "  ", "--json")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().count("\n") == 0 and proc.stderr.startswith("error:")


def test_readable_listing(capsys):
    assert main(["search", "ما الكنيسة التي سيزورها بوتين؟", "--k", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("السؤال:") and "[1]" in out and "[2]" in out and "[3]" not in out


def test_docs_and_show(capsys):
    assert main(["docs"]) == 0
    listing = capsys.readouterr().out
    assert "001_7a27a54a086accf8__appended-1" in listing and "الجزيرة" in listing
    assert main(["show", "002_f70547b828967c76"]) == 0
    shown = capsys.readouterr().out
    assert "المصدر: يورونيوز" in shown and "الكاتب: رشيد سعيد قرني" in shown and "Copyright" not in shown
    assert main(["show", "nope"]) == 2
    assert "no document with id 'nope'" in capsys.readouterr().err


def test_ingest_good_and_bad_files_together(tmp_path: Path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("عنوان خبر تجريبي\n\n" + "أعلن المتحدث باسم الكرملين أن مفاعل تيتانيوم سيبنى قرب مدينة خاباروفسك. " * 3,
                    "utf-8")
    bad = tmp_path / "old.txt"
    bad.write_bytes("نص بترميز قديم".encode("cp1256"))
    binary = tmp_path / "pic.txt"
    binary.write_bytes(b"\x00\x01\x02binary")
    code = main(["ingest", str(good), str(bad), str(binary), str(tmp_path / "missing.md")])
    captured = capsys.readouterr()
    assert code == 2
    errors = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    assert "added 1, updated 0, unchanged 0" in captured.out
    assert main(["search", "مفاعل تيتانيوم خاباروفسك", "--k", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"][0]["doc_id"] == "good"
    # the same file again: nothing changes, nothing is embedded
    assert main(["ingest", str(good)]) == 0
    again = capsys.readouterr().out
    assert "unchanged 1" in again and "(0 sentences embedded)" in again


def test_eval_retrieval_prints_the_table(capsys):
    assert main(["eval", "--retrieval"]) == 0
    out = capsys.readouterr().out
    assert "| hybrid |" in out and "| dense |" in out and "| bm25 |" in out


ANSWER_KEYS = {"id", "question", "short_answer", "answer", "refused", "refusal_reason", "fallback_reason",
               "citations", "backend", "verification", "timings_ms"}
CITATION_KEYS = {"n", "doc_id", "chunk_id", "title", "source", "quote", "start", "end"}


def test_ask_json_contract(capsys):
    assert main(["ask", "ما الكنيسة التي سيزورها بوتين في كوريا الشمالية؟", "--json", "--backend", "extractive"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == ANSWER_KEYS and out["id"] is None and out["backend"] == "extractive"
    assert out["citations"] and set(out["citations"][0]) == CITATION_KEYS
    assert set(out["verification"]) == {"sentences", "supported", "removed"}
    assert set(out["timings_ms"]) == {"retrieve", "generate", "verify", "total"}
    assert "[1]" in out["answer"]


def test_ask_questions_file_one_object_per_line(tmp_path: Path, capsys):
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "a", "question": "كم دبابة أرسلت روسيا إلى كوريا الشمالية؟"},
                                    ensure_ascii=False) + "\n"
                         + json.dumps({"id": 7, "question": "What did Russia begin exporting to North Korea?"}) + "\n",
                         "utf-8")
    assert main(["ask", "--json", "--questions", str(questions), "--backend", "extractive"]) == 0
    first, second = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (first["id"], first["refused"], first["citations"]) == ("a", True, [])
    assert first["refusal_reason"] == "no passage is close enough to the question"
    assert second["refusal_reason"] is None and second["fallback_reason"] is None
    assert second["id"] == "7" and not second["refused"] and "النفط" in second["answer"]


def test_ask_bad_input(tmp_path: Path, capsys):
    assert main(["ask", "   ", "--json"]) == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n', "utf-8")
    assert main(["ask", "--questions", str(bad)]) == 2
    assert "bad.jsonl:1" in capsys.readouterr().err
    assert main(["ask", "متى زار بوتين كوريا الشمالية؟", "--refine"]) == 2  # the tests' refiner is off
    err = capsys.readouterr().err
    assert "ASSISTANT_SHORT_ANSWER_REFINER" in err and len(err.strip().splitlines()) == 1
    assert main(["eval", "--squad", str(bad), "--refine"]) == 2  # checked before the file is read
    err = capsys.readouterr().err
    assert "ASSISTANT_SHORT_ANSWER_REFINER" in err and len(err.strip().splitlines()) == 1
