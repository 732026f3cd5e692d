"""The articles tab's full-text search ranks its matches (BM25 over the FTS5 table), on real SaudiNewsNet
articles read from ../shared at test time (never committed)."""

from __future__ import annotations

import sqlite3
from collections import Counter

from assistant.ingest.corpus import Corpus
from assistant.ingest.fulltext import words
from assistant.types import Document, RawArticle
from tests.archive import records
from tests.test_corpus import article

DAY = "2015-07-21"


def stored_archive(settings) -> tuple[Corpus, dict[str, Document]]:
    """80 articles of one day, short and long, as `assistant ingest` stores them."""
    rows = records(DAY, 80, min_words=30, max_words=900)
    corpus = Corpus(settings)
    corpus.add([RawArticle(id=f"snn{i:03d}", text=r["content"], title=r.get("title"), source=r.get("source"),
                           date=r["date_extracted"][:10], origin=f"{DAY}.json:{i}") for i, r in enumerate(rows)])
    docs = {d.id: d for d in corpus.documents() if d.id.startswith("snn")}
    assert len(docs) >= 70
    return corpus, docs


def dense_and_diluted(docs: dict[str, Document], stored: list[str]) -> tuple[str, str, str]:
    """A word, an article that uses it 3+ times, and one at least twice as long that uses it once and comes
    first in the stored order: BM25 must put the first above the second, the unranked list put it below."""
    counts = {i: Counter(words(d.title + "\n" + d.text)) for i, d in docs.items()}
    lengths = {i: sum(c.values()) for i, c in counts.items()}
    holding = Counter(w for c in counts.values() for w in c)
    for word in sorted(w for w, n in holding.items() if len(w) >= 4 and 2 <= n <= len(docs) // 4):
        dense = [i for i in docs if counts[i][word] >= 3]
        diluted = [i for i in docs if counts[i][word] == 1]
        for a in dense:
            for b in diluted:
                if lengths[b] >= 2 * lengths[a] and stored.index(b) < stored.index(a):
                    return word, a, b
    raise AssertionError("no such pair in these articles")


def test_matches_come_most_relevant_first_and_pages_stay_exact(settings):
    corpus, docs = stored_archive(settings)
    stored = [r.id for r in corpus.page(per_page=200).rows]  # the list's order without a search
    word, dense, diluted = dense_and_diluted(docs, stored)
    found = corpus.page(word, per_page=200)
    ranked = [r.id for r in found.rows]
    holding = {i for i, d in docs.items() if word in words(d.title + "\n" + d.text)}
    assert holding <= set(ranked) and found.matched == len(ranked)  # whole words still all match
    assert ranked.index(dense) < ranked.index(diluted), (word, ranked)
    paged = [r.id for p in range(found.matched // 7 + 1) for r in corpus.page(word, page=p, per_page=7).rows]
    assert paged == ranked  # paging cuts the ranked list, never re-orders it
    pair = corpus.page(f"{word} {word}", per_page=200)  # every word must match: still the same documents
    assert {r.id for r in pair.rows} == set(ranked)


def test_a_corpus_indexed_without_positions_is_indexed_again_once(settings):
    corpus = Corpus(settings)
    corpus.add([article("h1", "وصل الحجاج إلى مكة أمس. وقالت السلطات إن مكة مستعدة لاستقبال مكة كلها."),
                article("h2", "قالت الوزارة إن القطار الذي يربط المدن وصل إلى مكة متأخرا بعد رحلة طويلة جدا "
                              "عبر الصحراء والجبال والوديان، وإن الركاب انتظروا ساعات في المحطات.")])
    path = settings.user_corpus_dir / "corpus.sqlite3"
    with sqlite3.connect(path) as conn:  # as an earlier version wrote it
        conn.execute("DROP TABLE document_words")
        conn.execute("CREATE VIRTUAL TABLE document_words USING fts5(words, detail = none)")
        conn.execute("UPDATE meta SET value = 'answer_tokens-v1' WHERE key = 'fulltext_tokens'")
    assert [r.id for r in Corpus(settings).page("مكه").rows] == ["h1", "h2"]
    with sqlite3.connect(path) as conn:
        made = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'document_words'").fetchone()[0]
    assert "detail = full" in made
