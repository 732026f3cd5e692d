"""The Milvus store on embedded milvus-lite (a temporary .db) with the real model: it ranks as the FAISS store
ranks, writes and removes by document, filters, copies a FAISS index's vectors, and fails in one line."""

from __future__ import annotations

import re
import socket

import numpy as np
import pytest

pytest.importorskip("pymilvus")

from assistant.app.cli import main  # noqa: E402
from assistant.arabic.morphology import tokenize  # noqa: E402
from assistant.arabic.sentences import sentence_spans  # noqa: E402
from assistant.errors import StorageError  # noqa: E402
from assistant.index.faiss_store import FaissStore  # noqa: E402
from assistant.index.milvus_store import MilvusStore  # noqa: E402
from assistant.ingest.corpus import Corpus  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.types import Document, SearchFilters  # noqa: E402
from tests.test_faiss_store import CountingEmbedder, small_docs  # noqa: E402

QUESTIONS = ("متى التقى كيم جونغ اون ببوتين لاول مرة؟", "ما الكنيسة التي سيزورها بوتين؟",
             "What did Trump say about North Korea?", "كم بلغ محصول القمح؟")


@pytest.fixture(scope="module")
def both(tmp_path_factory, embedder):
    """The bundled corpus in a FAISS store and, from its vectors, in a Milvus store (lite)."""
    root = tmp_path_factory.mktemp("milvus")
    settings = Settings(index_dir=root / "index", user_corpus_dir=root / "user", store="milvus")
    docs = Corpus(settings).documents()
    faiss = FaissStore(settings, embedder)
    faiss.sync(docs)
    milvus = MilvusStore(settings, embedder)
    return faiss, milvus, milvus.sync(docs), docs


def test_the_two_stores_rank_alike_and_milvus_copied_every_vector(both, embedder):
    faiss, milvus, stats, docs = both
    assert stats.embedded == 0 and stats.reused > 100  # the local FAISS index's vectors, not the model
    assert milvus.count() == faiss.count() and milvus.describe()["n_docs"] == len(docs)
    for question in QUESTIONS:
        vector, tokens = embedder.get_query_embedding(question), tokenize(question)
        ours, theirs = milvus.dense_search(vector, 10), faiss.dense_search(vector, 10)
        assert [c for c, _ in ours] == [c for c, _ in theirs]
        assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], abs=1e-5)
        ours, theirs = milvus.lexical_search(tokens, 10), faiss.lexical_search(tokens, 10)
        assert [c for c, _ in ours] == [c for c, _ in theirs]
        ratio = np.array([s for _, s in ours]) / np.array([s for _, s in theirs])
        assert not ours or np.allclose(ratio, ratio[0], rtol=1e-4)  # Milvus scales BM25 by k1 + 1; the order is the same
        for token in tokens + ["كلمة-لا-ترد"]:
            assert milvus.idf(token) == pytest.approx(faiss.idf(token))
    assert milvus.vocabulary() == faiss.vocabulary() and milvus.sources() == faiss.sources()
    assert sorted(milvus.chunks(), key=lambda c: c.chunk_id) == sorted(faiss.chunks(), key=lambda c: c.chunk_id)


def test_sentences_come_back_with_their_stored_vector_and_stems(both):
    faiss, milvus, _, docs = both
    for doc in docs[:3]:
        for span in sentence_spans(doc.text):
            ours, theirs = milvus.sentence(doc.id, span.start, span.end), faiss.sentence(doc.id, span.start, span.end)
            assert ours is not None and np.array_equal(ours.vector, theirs.vector) and ours.tokens == theirs.tokens
    assert milvus.sentence(docs[0].id, 0, 1) is None and milvus.sentence("nope", 0, 5) is None


def test_server_side_hybrid_search_fuses_as_reciprocal_rank_does(both, embedder):
    _, milvus, _, _ = both
    from assistant.retrieval.hybrid import reciprocal_rank_fusion
    from assistant.index import milvus_search

    question = QUESTIONS[0]
    vector, tokens = embedder.get_query_embedding(question), tokenize(question)
    s = milvus.settings
    dense = [c for c, _ in milvus_search._ranked(  # the server fuses the chunk-vector ranking and BM25's
        (h["chunk_id"], h["distance"]) for h in milvus_search._search(milvus, "chunks", "dense", vector,
                                                                      s.dense_k, None, ["chunk_id"]))]
    fused = reciprocal_rank_fusion([dense, [c for c, _ in milvus.lexical_search(tokens, s.bm25_k)]], s.rrf_k)
    ours = milvus.hybrid_search(vector, tokens, 5)
    assert [c for c, _ in ours] == sorted(fused, key=lambda c: -fused[c])[:5]
    assert [s for _, s in ours] == pytest.approx(sorted(fused.values(), reverse=True)[:5], rel=1e-5)


def test_filters_by_publisher_and_date(settings, embedder):
    docs = small_docs(6) + [Document(id="undated", title="خبر", source="وكالة", text=small_docs(1)[0].text)]
    faiss, milvus = FaissStore(settings, embedder), MilvusStore(settings.with_overrides(store="milvus"), embedder)
    faiss.sync(docs)
    milvus.sync(docs)
    vector, tokens = embedder.get_query_embedding("الخبر رقم 3 عن موسكو"), tokenize("الخبر رقم 3 عن موسكو")
    for filters in (SearchFilters(sources=("وكالة",)), SearchFilters(since="2015-07-12"),
                    SearchFilters(until="2015-07-11"), SearchFilters(sources=("اختبار",), since="2015-07-12")):
        for search, query in ((MilvusStore.dense_search, vector), (MilvusStore.lexical_search, tokens)):
            ours = search(milvus, query, 10, filters)
            assert [c for c, _ in ours] == [c for c, _ in getattr(faiss, search.__name__)(query, 10, filters)]
            allowed = tuple(f"{d.id}#" for d in docs if _allowed(d, filters))
            assert ours and all(c.startswith(allowed) for c, _ in ours)
    assert milvus.dense_search(vector, 5, SearchFilters(sources=("لا أحد",))) == []


def _allowed(doc: Document, filters: SearchFilters) -> bool:
    day = (doc.date or "")[:10]
    return ((not filters.sources or doc.source in filters.sources) and (not filters.since or day >= filters.since)
            and (not filters.until or (bool(day) and day <= filters.until)))


def test_sync_upsert_delete_and_a_second_client_sees_them(settings, tmp_path):
    settings = settings.with_overrides(store="milvus", milvus_uri=str(tmp_path / "m" / "store.db"),
                                       milvus_index="FLAT")
    counting = CountingEmbedder()
    store = MilvusStore(settings, counting)
    stats = store.sync(small_docs(3))
    assert stats.embedded == 4 and counting.count == 4 and store.count() == 3  # 3 first sentences + 1 shared
    assert store.sync(small_docs(3)) is None  # nothing changed: nothing read but the meta row
    assert store.sync(small_docs(4)).embedded == 1 and counting.count == 5  # only doc3's first sentence
    changed = Document(id="doc1", title="خبر معدل", source="اختبار", date="2015-08-01",
                       text="أعلنت وزارة الزراعة أن محصول القمح في مقاطعة هوانغهاي بلغ مليوني طن.")
    store.upsert([changed])
    assert [c.text for c in store.chunks() if c.doc_id == "doc1"] == [changed.text]
    assert store.lexical_search(tokenize("محصول القمح في هوانغهاي"), 3)[0][0] == "doc1#0"
    assert store.delete(["doc0", "nope"]) == 1
    assert sorted({c.doc_id for c in store.chunks()}) == ["doc1", "doc2", "doc3"] and store.count() == 3
    assert store.sentence("doc0", 0, small_docs(1)[0].text.index(".") + 1) is None
    assert store.dense_search(counting.get_query_embedding("القمح"), 5, SearchFilters(since="2015-08-01")) \
        and {c for c, _ in store.dense_search(counting.get_query_embedding("القمح"), 5,
                                              SearchFilters(since="2015-08-01"))} == {"doc1#0"}
    del store
    again = MilvusStore(settings, counting)  # what was written is what a new client reads
    assert again.count() == 3 and again.sync([changed, *small_docs(4)[2:]]) is None
    assert counting.count == 6  # the changed article's one sentence, and nothing since


def test_a_changed_chunking_rewrites_the_store_reusing_every_vector(settings, tmp_path, embedder):
    settings = settings.with_overrides(store="milvus", milvus_uri=str(tmp_path / "store.db"))
    MilvusStore(settings, embedder).sync(small_docs())
    counting = CountingEmbedder()
    store = MilvusStore(settings.with_overrides(chunk_max_words=5), counting)
    assert store.sync(small_docs(2)) is not None and counting.count == 0
    assert store.describe()["chunking"].startswith("max_words=5")
    assert store.db.count("sentences", 'doc_id == "doc2"') == 0  # kept for reuse, gone once the rewrite is done
    assert store.db.count("sentences") == 4 and {c.doc_id for c in store.chunks()} == {"doc0", "doc1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_server_is_one_line_and_exit_code_2(monkeypatch, capsys, embedder):
    uri = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(StorageError, match=f"cannot reach Milvus at {uri}"):
        MilvusStore(Settings.load(store="milvus", milvus_uri=uri, milvus_timeout_s=2), embedder)
    monkeypatch.setenv("ASSISTANT_MILVUS_URI", uri)
    monkeypatch.setenv("ASSISTANT_MILVUS_TIMEOUT_S", "2")
    assert main(["index", "--store", "milvus"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"error: cannot reach Milvus at {uri}") and "Traceback" not in "".join(err)


def test_a_bad_uri_is_a_settings_error():
    from assistant.errors import ConfigError

    with pytest.raises(ConfigError, match="ASSISTANT_MILVUS_URI='milvus.sqlite': give a path ending in .db"):
        Settings.load(milvus_uri="milvus.sqlite")


def test_index_store_milvus_migrates_a_faiss_index_without_embedding(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    assert main(["index"]) == 0
    built = capsys.readouterr().out
    assert main(["index", "--store", "milvus"]) == 0
    out = capsys.readouterr().out
    assert "milvus.db" in out and ", 0 embedded," in out and " 0 reused" not in out, out
    counts = re.compile(r"(\d+) documents, (\d+) chunks")
    assert counts.search(out).groups() == counts.search(built).groups()
