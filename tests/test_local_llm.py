"""The bundled local model: file assembly and verification, then real answers (slow)."""

from __future__ import annotations

import json
import os

import pytest

from assistant.llm import model_files
from assistant.answer.answerer import Answerer
from assistant.app.cli import main
from assistant.llm.model_files import ModelFileError
from assistant.arabic.script import arabic_share


def test_assembly_refuses_parts_that_do_not_add_up(tmp_path):
    parts = []
    for i in range(3):
        part = tmp_path / f"part{i}.bin"
        part.write_bytes(b"GGUF" * 10)
        parts.append(part)
    target = tmp_path / "cache" / "model.gguf"
    with pytest.raises(ModelFileError, match="expected 1,117,320,768"):
        model_files.assemble(parts, target)
    assert not target.exists() and not list(target.parent.glob(".assemble-*"))


def test_a_file_of_the_right_size_but_wrong_hash_is_refused(tmp_path):
    fake = tmp_path / "model.gguf"
    with open(fake, "wb") as handle:
        handle.truncate(model_files.SIZE)  # sparse: all zeros, right size
    with pytest.raises(ModelFileError, match="does not match the pinned"):
        model_files.verify(fake)


@pytest.mark.slow
def test_real_parts_assemble_to_the_pinned_model(settings):
    path = model_files.ensure_model(settings.model_cache_dir)
    assert path.stat().st_size == model_files.SIZE
    assert os.path.basename(path).startswith("Qwen2.5-Coder-1.5B")


@pytest.mark.slow
def test_local_backend_answers_in_arabic_with_verified_citations(real_pipeline):
    answerer = Answerer(real_pipeline)
    docs = {d.id: d for d in real_pipeline.corpus.documents()}
    answer = answerer.ask("What did Russia begin exporting to North Korea?", backend="local")
    assert not answer.refused and answer.backend == "local" and answer.fallback_reason is None  # the model's own answer
    assert "النفط" in answer.answer and arabic_share(answer.answer) >= 0.8
    assert answer.citations and all(docs[c.doc_id].text[c.start:c.end] == c.quote for c in answer.citations)
    assert answer.verification.supported >= 1
    refused = answerer.ask("كم دبابة أرسلت روسيا إلى كوريا الشمالية؟", backend="local")
    assert refused.refused and not refused.citations


@pytest.mark.slow
def test_ask_refine_waits_for_the_bundled_models_copy_of_the_short_answer(capsys, monkeypatch):
    monkeypatch.setenv("ASSISTANT_SHORT_ANSWER_REFINER", "local")
    question = "اين التقى كيم وبوتين في روسيا؟"
    assert main(["ask", question, "--json"]) == 0
    instant = json.loads(capsys.readouterr().out)
    assert main(["ask", question, "--json", "--refine"]) == 0
    refined = json.loads(capsys.readouterr().out)
    assert (refined["answer"], refined["citations"]) == (instant["answer"], instant["citations"])
    assert refined["short_answer"] != instant["short_answer"] and "فلاديفوستوك" in refined["short_answer"]
    assert refined["short_answer"] in " ".join(c["quote"] for c in refined["citations"])  # a verified quote
    assert refined["timings_ms"]["refine"] > 0
