"""The service the page uses, with real parts: the real e5 embedder and FAISS index, real files, a real
`assistant ingest` in another process. Only the LLM is scripted (a slow model that never ends), so that
lanes, progress and stopping can be watched."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
import time

import pytest

from assistant import messages as msg
from assistant.app.generation import Progress
from assistant.app.service import AssistantService
from assistant.app.wiring import open_pipeline
from assistant.llm import model_files
from assistant.settings import Settings
from assistant.types import Answer

QUESTION = "كم عاملا كوريا شماليا ناقش المسؤولون الروس توظيفهم؟"
NEW_ARTICLE = ("مزرعة السلاحف في تيخوريتسك\n\nافتتحت بلدية مدينة تيخوريتسك مزرعة لتربية السلاحف النادرة تضم "
               "ثلاثمئة وأربعين سلحفاة جُلبت من بحيرة قريبة.\n")


class EndlessModel:
    """A chat model that writes one piece every 50 ms until it is closed; records that it was closed."""

    name = "scripted:endless"

    def __init__(self) -> None:
        self.closed = threading.Event()

    def stream(self, chat, max_tokens):
        try:
            while True:
                time.sleep(0.05)
                yield "كلمة "
        finally:
            self.closed.set()


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("service")


@pytest.fixture
def service(home, embedder, monkeypatch):
    for name in ("INDEX_DIR", "USER_CORPUS_DIR", "FEEDBACK_FILE"):
        monkeypatch.setenv(f"ASSISTANT_{name}", str(home / name.lower()))
    settings = Settings.load()
    models: list[EndlessModel] = []

    def make(backend):
        models.append(EndlessModel())
        return models[-1]

    svc = AssistantService(settings, open_pipeline(settings, embedder=embedder), make_model=make)
    svc.scripted = models
    return svc


def until(items, stage: str, limit: int = 400) -> list:
    seen = []
    for item in items:
        seen.append(item)
        if isinstance(item, Progress) and item.stage == stage or len(seen) > limit:
            return seen
    return seen


def test_an_extractive_answer_comes_with_progress_and_never_raw_text(service):
    items = list(service.stream(QUESTION, "extractive", [], 5))
    assert items[0] == Progress("searching") and isinstance(items[-1], Answer)
    assert not any(isinstance(i, str) for i in items) and "50 ألف" in items[-1].answer


def test_a_slow_generation_blocks_no_one_and_stopping_it_frees_its_lane(service):
    service.models.get("local")  # loaded already: no preparation step
    first = service.stream(QUESTION, "local", [], 5)
    stages = [i.stage for i in until(first, "writing") if isinstance(i, Progress)]
    assert stages[0] == "searching" and "reading" in stages and stages[-1] == "writing"

    second = service.stream(QUESTION, "local", [], 5)
    assert next(second) == Progress("waiting", ahead=1)  # one local generation at a time
    answer = list(service.stream(QUESTION, "extractive", [], 5))[-1]  # meanwhile, extractive is not queued
    assert isinstance(answer, Answer) and answer.citations

    first.close()  # the page stopped it, or closed
    [model] = service.scripted
    assert model.closed.wait(5), "the model's stream was not closed"
    stages = [i.stage for i in until(second, "writing") if isinstance(i, Progress)]
    assert stages[-1] == "writing"  # its turn came
    cancel = threading.Event()
    cancel.set()
    second.close()
    assert list(service.stream(QUESTION, "local", [], 5, cancel)) in ([], [Progress("searching")])


def test_first_use_of_the_local_model_reports_preparing_with_percentages(service, tmp_path, monkeypatch):
    parts = []
    for i in range(3):
        part = tmp_path / f"part{i}"
        part.write_bytes(os.urandom(3 << 20))
        parts.append(part)
    whole = b"".join(p.read_bytes() for p in parts)
    monkeypatch.setattr(model_files, "part_paths", lambda: parts)
    monkeypatch.setattr(model_files, "SIZE", len(whole))
    monkeypatch.setattr(model_files, "SHA256", hashlib.sha256(whole).hexdigest())
    service.settings = service.settings.with_overrides(model_cache_dir=tmp_path / "cache")
    stream = service.stream(QUESTION, "local", [], 5)
    items = until(stream, "writing")
    stream.close()
    stages = [i.stage for i in items if isinstance(i, Progress)]
    percents = [i.percent for i in items if isinstance(i, Progress) and i.stage == "preparing"]
    assert stages.index("preparing") < stages.index("loading") < stages.index("reading") < stages.index("writing")
    assert percents == sorted(percents) and percents[-1] == 100 and len(set(percents)) >= 3
    assert (tmp_path / "cache" / f"{model_files.MODEL_NAME}.gguf").read_bytes() == whole


def test_the_service_follows_an_ingest_by_another_process(service, tmp_path):
    assert not any("السلاحف" in d.title for d in service.documents())
    article = tmp_path / "turtles.txt"
    article.write_text(NEW_ARTICLE, "utf-8")
    proc = subprocess.run([sys.executable, "-m", "assistant", "ingest", str(article)], capture_output=True,
                          text=True, timeout=600, env=os.environ.copy())
    assert proc.returncode == 0, proc.stderr
    assert any("السلاحف" in d.title for d in service.documents())  # no restart
    answer = list(service.stream("كم سلحفاة في مزرعة تيخوريتسك؟", "extractive", [], 5))[-1]
    assert answer.citations and answer.citations[0].doc_id == "turtles"
    assert "ثلاثمئة وأربعين" in service.context(answer.citations[0]).citation.quote


def test_uploads_report_each_file_and_delete_removes_only_that_article(service, tmp_path):
    good = tmp_path / "upload" / "good-news.txt"
    bad = tmp_path / "upload" / "scan.pdf"
    good.parent.mkdir()
    good.write_text(NEW_ARTICLE.replace("السلاحف", "الطواويس").replace("سلحفاة", "طاووس"), "utf-8")
    bad.write_bytes(b"%PDF")
    steps = list(service.upload([good, bad]))
    seen = [(s.stage, s.index) for s in steps[:-1] if s.index]
    assert list(dict.fromkeys(seen)) == [("reading", 1), ("indexing", 1), ("reading", 2)]  # per file, as it goes
    result = steps[-1]
    assert [(f.name, f.added, f.errors) for f in result.files] == [
        ("good-news.txt", ["good-news"], []), ("scan.pdf", [], [msg.UPLOAD_UNSUPPORTED])]
    assert result.embedded > 0
    before = {d.id: d.text for d in service.documents()}
    assert service.deletable("good-news") and not service.deletable("000_c14e09f40aa48331")
    assert not service.deletable("../corpus/good-news") and not service.deletable("")  # a name, never a path
    assert service.delete(["../upload/good-news"]).errors and service.delete(["000_c14e09f40aa48331"]).errors
    assert service.delete(["good-news"]).updated == ["good-news"]
    after = {d.id: d.text for d in service.documents()}
    assert set(before) - set(after) == {"good-news"} and all(after[k] == before[k] for k in after)
    answer = list(service.stream("كم طاووسا في مزرعة تيخوريتسك؟", "extractive", [], 5))[-1]
    assert all(c.doc_id != "good-news" for c in answer.citations)


def test_only_configured_backends_are_offered_and_no_address_is_shown(service):
    assert "hosted" not in service.backends
    configured = service.settings.with_overrides(llm_base_url="http://user:s3cret@127.0.0.1:9/v1",
                                                 llm_model="qwen-test")
    service.settings = configured
    assert "hosted" in service.backends
    described = service.describe("hosted")
    assert "qwen-test" in described and "127.0.0.1" not in described and "s3cret" not in described


def test_a_news_dump_uploads_through_the_importer_with_a_count_and_one_line_per_reason(service, tmp_path):
    records = [{"id": f"farm-{n}", "title": f"مزرعة {n}", "text": NEW_ARTICLE.replace("ثلاثمئة", f"{n} و")}
               for n in range(3)] + [{"title": "بلا نص"}, {"title": "بلا نص أيضاً"}]
    dump = tmp_path / "dump.json"
    dump.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    steps = list(service.upload([dump]))
    counted = [s for s in steps[:-1] if s.stage == "indexing"]
    assert counted and counted[-1].done == counted[-1].articles == 5
    [file] = steps[-1].files
    assert file.name == "dump.json" and sorted(file.added) == ["farm-0", "farm-1", "farm-2"]
    assert file.errors == [msg.UPLOAD_BAD_JSONL]  # two bad records, said once, in Arabic, without a path
    assert {"farm-0", "farm-1", "farm-2"} <= set(service.added().values())


class CopyingModel(EndlessModel):
    """Asked for a short answer, copies the first three words of the first sentence it was shown (or `reply`);
    asked for an answer, writes forever (so it can hold its lane)."""

    name = "scripted:copying"

    def __init__(self, reply: str | None = None) -> None:
        super().__init__()
        self.reply, self.asked = reply, []

    def stream(self, chat, max_tokens):
        if "الإجابة المنسوخة" not in chat[-1]["content"]:
            yield from super().stream(chat, max_tokens)
            return
        shown = [line[2:] for line in chat[-1]["content"].splitlines() if line.startswith("- ")]
        self.asked.append(shown)
        yield self.reply if self.reply is not None else " ".join(shown[0].split()[:3])


def refining_service(home, embedder, monkeypatch, model: CopyingModel) -> AssistantService:
    for name in ("INDEX_DIR", "USER_CORPUS_DIR", "FEEDBACK_FILE"):
        monkeypatch.setenv(f"ASSISTANT_{name}", str(home / name.lower()))
    settings = Settings.load().with_overrides(short_answer_refiner="local")
    svc = AssistantService(settings, open_pipeline(settings, embedder=embedder), make_model=lambda backend: model)
    svc.models.get("local")  # loaded already: no preparation step
    return svc


def test_an_instant_answer_comes_first_then_its_short_answer_copied_by_the_model_in_its_turn(
        home, embedder, monkeypatch):
    model = CopyingModel()
    svc = refining_service(home, embedder, monkeypatch, model)
    busy = svc.stream(QUESTION, "local", [], 5)
    until(busy, "writing")  # a local generation holds the model's lane
    stream = svc.stream(QUESTION, "extractive", [], 5)
    seen = until(stream, "waiting")
    [instant] = [i for i in seen if isinstance(i, Answer)]
    assert seen.index(instant) < seen.index(Progress("refining")) < seen.index(Progress("waiting", ahead=1))
    assert not model.asked  # the refinement waits for its turn; the instant answer did not
    busy.close()
    rest = list(stream)
    [refined] = [i for i in rest if isinstance(i, Answer)]
    assert model.asked == [list(dict.fromkeys(" ".join(c.quote.split()) for c in instant.citations))[:2]]
    assert refined.short_answer != instant.short_answer and len(refined.short_answer.split()) == 3
    assert refined.short_answer in instant.citations[0].quote  # a verified quote, as the instant one
    assert (refined.answer, refined.citations) == (instant.answer, instant.citations)
    assert refined.timings_ms["refine"] > 0


def test_a_copy_that_stands_in_no_cited_sentence_leaves_the_instant_answer(home, embedder, monkeypatch):
    model = CopyingModel(reply="كاتدرائية موسكو الكبرى")
    svc = refining_service(home, embedder, monkeypatch, model)
    items = list(svc.stream(QUESTION, "extractive", [], 5))
    answers = [i for i in items if isinstance(i, Answer)]
    assert len(answers) == 1 and model.asked and Progress("refining") in items
    refused = list(svc.stream("ما لون سيارة رئيس وزراء نيوزيلندا؟", "extractive", [], 5))
    assert refused[-1].refused and Progress("refining") not in refused  # nothing to refine
    assert svc.refiner(answers[0]) == "local"
    svc.settings = svc.settings.with_overrides(short_answer_refiner="hosted")  # no server is configured here
    assert "hosted" not in svc.backends and svc.refiner(answers[0]) is None  # so it is never asked


class UnsupportedWriter(CopyingModel):
    """Writes an answer no source supports (so the extractive answer stands, as a fallback)."""

    def stream(self, chat, max_tokens):
        if "الإجابة المنسوخة" in chat[-1]["content"]:
            yield from super().stream(chat, max_tokens)
            return
        yield "هبطت مركبة روسية على سطح المريخ أمس [1]."


def test_an_llm_answer_that_falls_back_is_not_refined_and_frees_the_models_lane(home, embedder, monkeypatch):
    model = UnsupportedWriter()
    svc = refining_service(home, embedder, monkeypatch, model)
    stream = svc.stream(QUESTION, "local", [], 5)
    items = until(stream, "waiting", limit=200)  # a refinement here would queue behind its own run's lane
    stream.close()
    [answer] = [i for i in items if isinstance(i, Answer)]
    assert answer.backend == "extractive" and answer.fallback_reason
    assert Progress("refining") not in items and not model.asked and svc.refiner(answer) is None
    assert next(svc.stream(QUESTION, "local", [], 5)) == Progress("searching")  # the lane is free again
