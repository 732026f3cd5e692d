"""The stored corpus: ids that never collide silently, cleaning once, a hash kept current, bad rows set aside."""

from __future__ import annotations

import json
import logging
import sqlite3
import zlib

import pytest

from assistant.errors import StorageError
from assistant.ingest import corpus as corpus_module
from assistant.ingest.corpus import Corpus
from assistant.ingest.docstore import set_hash_item
from assistant.types import RawArticle

TEXT = "أعلنت وزارة الزراعة أن محصول القمح في مقاطعة هوانغهاي بلغ مليوني طن هذا العام. وقال مسؤول إن المحصول تضاعف."


def article(article_id: str, text: str = TEXT, origin: str = "") -> RawArticle:
    return RawArticle(id=article_id, text=text, title="محصول القمح", source="وكالة", origin=origin or f"{article_id}.txt")


def recomputed_hash(corpus: Corpus) -> str:
    value = 0
    for doc_id, content_hash in corpus.hashes().items():
        value ^= set_hash_item(doc_id, content_hash)
    return f"{value:032x}"


def test_bundled_articles_are_cleaned_once_and_start_up_reads_a_hash(settings, monkeypatch):
    first = Corpus(settings)
    bundled = [d.id for d in first.catalog()]
    assert len(bundled) == 7 and first.corpus_hash() == recomputed_hash(first)

    def no_cleaning(*args, **kwargs):
        raise AssertionError("cleaning ran at start-up")

    monkeypatch.setattr(corpus_module, "clean_article", no_cleaning)
    monkeypatch.setattr("assistant.ingest.bundled.clean_article", no_cleaning)
    again = Corpus(settings)
    assert again.corpus_hash() == first.corpus_hash()
    assert again.get(bundled[0]).text == first.get(bundled[0]).text


def test_a_bundled_id_is_never_replaced_silently(settings):
    corpus = Corpus(settings)
    bundled = corpus.catalog()[0].id
    original = corpus.get(bundled).text
    result = corpus.add([article(bundled)])
    assert result.added == [f"{bundled}-2"] and "--replace" in result.renamed[0]
    assert corpus.get(bundled).text == original and corpus.get(f"{bundled}-2").text.startswith("أعلنت")
    assert corpus.add([article(bundled)]).unchanged == [f"{bundled}-2"]  # the same upload again: a no-op
    replaced = corpus.add([article(bundled, TEXT + " وأضاف أن التصدير سيبدأ.")], replace=True)
    assert replaced.updated == [bundled] and corpus.get(bundled).text.startswith("أعلنت")
    assert corpus.corpus_hash() == recomputed_hash(corpus)


def test_inputs_mapping_to_one_id_in_a_batch_get_distinct_ids(settings):
    corpus = Corpus(settings)
    result = corpus.add([article("index", origin="a/index.txt"), article("index", TEXT + " ثانية.", "b/index.txt"),
                         article("index", origin="c/index.txt")], replace=True)
    assert result.added == ["index", "index-2"] and result.unchanged == ["index"]
    assert "b/index.txt" in result.renamed[0] and "in this batch" in result.renamed[0]
    again = corpus.add([article("index", origin="a/index.txt"), article("index", TEXT + " ثانية.", "b/index.txt")])
    assert again.unchanged == ["index", "index-2"] and not again.added


def test_the_article_list_comes_a_page_at_a_time_searched_with_spelling_folded(settings):
    corpus = Corpus(settings)
    corpus.add([RawArticle(id=f"n{i:03d}", text=f"{TEXT} رقم {i}.", title="خبر الأسد",
                           source="وكالة الأنباء" if i % 2 else "الجزيرة", date=f"2015-03-{i % 28 + 1:02d}",
                           origin=f"n{i}.txt") for i in range(120)])
    first = corpus.page(per_page=50)
    assert (first.total, first.matched, first.added, first.page, first.pages) == (127, 127, 120, 0, 3)
    assert len(first.rows) == 50 and not first.rows[0].added and first.rows[-1].added  # bundled first
    last = corpus.page(page=99, per_page=50)  # clamped to the last page
    assert last.page == 2 and len(last.rows) == 27
    found = corpus.page("الاسد الجزيره", per_page=50)  # hamza and ta marbuta folded, every word must match
    assert found.matched == 60 and all(r.source == "الجزيرة" for r in found.rows) and found.total == 127
    assert corpus.page("2015-03-05", per_page=50).matched == 5
    assert corpus.page("لا يوجد", per_page=50).rows == []
    shown = {r.id for p in range(3) for r in corpus.page(page=p, per_page=50).rows}
    assert len(shown) == 127
    assert corpus.added_article("n001") == "n001" and corpus.added_article(first.rows[0].id) is None  # bundled
    assert corpus.added_article("no-such-document") is None


def test_the_article_list_searches_the_texts_with_spelling_folded_and_follows_every_change(settings):
    corpus = Corpus(settings)
    pilgrims = "وصل آلاف الحجاج إلى مكة المكرمة أمس لأداء المناسك. وقالت السلطات إن الخدمات جاهزة."
    corpus.add([article(f"h{i:02d}", f"{pilgrims} الفوج {i}.") for i in range(60)]
               + [article("wheat"), article("place", "اجتمع الوزراء في المكان نفسه أمس وناقشوا الميزانية.")])
    # every title is «محصول القمح»: only the texts tell them apart; «مكان» is not «مكة» (Light10: both «مك»)
    found = corpus.page("مكه", per_page=50)  # ة typed as ه, the word as written in no title
    assert (found.matched, found.pages, len(found.rows)) == (60, 2, 50)
    assert {r.id for r in corpus.page("مكه", page=1, per_page=50).rows} == {"h50", "h51", "h52", "h53", "h54",
                                                                            "h55", "h56", "h57", "h58", "h59"}
    assert corpus.page("المكرمه حجاج", per_page=50).matched == 60  # the article stripped, every word must match
    assert corpus.page("بمكة", per_page=50).matched == 60 and corpus.page("مكة القمح", per_page=50).matched == 60
    assert corpus.page("هوانغهاي", per_page=50).matched >= 1 and corpus.page("مكة هوانغهاي", per_page=50).matched == 0
    corpus.delete(["h00", "h01"])
    corpus.add([article("h02", "أعلنت الوزارة أن القطار السريع بدأ رحلاته بين المدينتين.")], replace=True)
    assert corpus.page("مكه", per_page=50).matched == 57 and corpus.page("القطار", per_page=50).matched == 1
    with sqlite3.connect(settings.user_corpus_dir / "corpus.sqlite3") as conn:  # as written before the table
        conn.execute("DELETE FROM document_words")
        conn.execute("DELETE FROM meta WHERE key = 'fulltext_tokens'")
    assert corpus.page("مكه", per_page=50).matched == 0
    assert Corpus(settings).page("مكه", per_page=50).matched == 57  # indexed once when opened


def test_delete_removes_user_articles_not_bundled_ones(settings):
    corpus = Corpus(settings)
    corpus.add([article("mine")])
    before = len(corpus)
    result = corpus.delete(["mine", corpus.catalog()[0].id, "nope"])
    assert result.removed == ["mine"] and len(corpus) == before - 1 and len(result.errors) == 2
    assert corpus.corpus_hash() == recomputed_hash(corpus)


def test_a_corrupt_stored_document_is_set_aside_and_the_rest_serves(settings, caplog):
    corpus = Corpus(settings)
    corpus.add([article("broken"), article("fine", TEXT + " أيضا.")])
    path = settings.user_corpus_dir / "corpus.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE documents SET body = ? WHERE id = 'broken'",
                     (zlib.compress(json.dumps({"id": "broken", "title": "x", "text": None}).encode()),))
    with caplog.at_level(logging.WARNING):
        docs = Corpus(settings).documents()
    assert "broken" not in {d.id for d in docs} and "fine" in {d.id for d in docs}
    assert sum("broken" in r.getMessage() and "quarantine" in r.getMessage() for r in caplog.records) == 1
    healed = Corpus(settings)
    assert healed.corpus_hash() == recomputed_hash(healed)  # set aside for good: no warning again
    assert healed.add([article("broken")]).added == ["broken"]  # and ingesting it again repairs it


def test_records_of_older_versions_are_imported_and_bad_ones_quarantined(settings, caplog):
    settings.user_corpus_dir.mkdir(parents=True)
    (settings.user_corpus_dir / "old.json").write_text(article("old").to_json(), "utf-8")
    (settings.user_corpus_dir / "null.json").write_text('{"id": "null", "text": null}', "utf-8")
    (settings.user_corpus_dir / "garbage.json").write_bytes(b"\xff\xfe\x00garbage")
    with caplog.at_level(logging.WARNING):
        corpus = Corpus(settings)
        assert "old" in {d.id for d in corpus.catalog()}
    assert sorted(p.name for p in (settings.user_corpus_dir / "quarantine").iterdir()) == ["garbage.json", "null.json"]
    assert [p.name for p in (settings.user_corpus_dir / "imported").iterdir()] == ["old.json"]
    assert sum("unreadable" in r.getMessage() for r in caplog.records) == 2


def test_a_read_only_corpus_is_read_and_refuses_writes_in_one_line(settings, monkeypatch):
    Corpus(settings).add([article("mine")])
    monkeypatch.setattr("os.access", lambda path, mode: False)  # as a read-only folder looks to a non-root user
    corpus = Corpus(settings)
    assert "mine" in {d.id for d in corpus.catalog()}
    with pytest.raises(StorageError, match="read-only"):
        corpus.add([article("other")])
