from __future__ import annotations

from assistant.arabic.sentences import sentence_spans
from assistant.ingest.chunking import chunk_document, chunk_documents
from assistant.ingest.corpus import Corpus
from assistant.types import Document


def doc(text: str) -> Document:
    return Document(id="d", title="t", text=text, source="s")


def test_sentence_split_on_arabic_punctuation_and_paragraphs():
    text = "الجملة الأولى. هل هذه ثانية؟ نعم! وهذه رابعة؛ ثم خامسة\n\nفقرة جديدة"
    pieces = [text[s.start:s.end] for s in sentence_spans(text)]
    assert pieces == ["الجملة الأولى.", "هل هذه ثانية؟", "نعم!", "وهذه رابعة؛", "ثم خامسة", "فقرة جديدة"]


def test_double_dot_headline_separator_is_not_a_sentence_end():
    text = "أمريكا.. الغائب الحاضر\n\nنص الفقرة."
    assert [text[s.start:s.end] for s in sentence_spans(text)] == ["أمريكا.. الغائب الحاضر", "نص الفقرة."]


def test_decimal_point_is_not_a_sentence_end():
    text = "ارتفع بنسبة 3.5 في المئة. ثم انخفض."
    assert len(sentence_spans(text)) == 2


def test_offsets_are_exact_and_size_is_bounded(settings):
    docs = Corpus(settings).documents()
    by_id = {d.id: d for d in docs}
    chunks = chunk_documents(docs, max_words=60, overlap_sentences=1)
    for c in chunks:
        assert by_id[c.doc_id].text[c.start:c.end] == c.text
        sentences = sentence_spans(c.text)
        assert len(c.text.split()) <= 60 or len(sentences) == 1
    assert {c.doc_id for c in chunks} == set(by_id)  # every document, never across documents


def test_overlap_repeats_the_last_sentence():
    text = " ".join(f"هذه الجملة رقم {i} في النص." for i in range(12))
    chunks = chunk_document(doc(text), max_words=12, overlap_sentences=1)
    assert len(chunks) > 2
    for a, b in zip(chunks, chunks[1:]):
        assert b.start < a.end  # they share a sentence
        last_sentence = sentence_spans(a.text)[-1]
        assert b.text.startswith(a.text[last_sentence.start:last_sentence.end])


def test_no_overlap():
    text = " ".join(f"هذه الجملة رقم {i} في النص." for i in range(12))
    chunks = chunk_document(doc(text), max_words=12, overlap_sentences=0)
    assert all(b.start > a.end for a, b in zip(chunks, chunks[1:]))
    assert sum(len(c.text.split()) for c in chunks) == len(text.split())


def test_heading_goes_with_the_paragraph_below_it():
    text = "جملة أولى طويلة بعض الشيء هنا.\n\nعنوان فرعي\n\nجملة تحت العنوان الفرعي مباشرة."
    chunks = chunk_document(doc(text), max_words=9, overlap_sentences=0)
    assert chunks[0].text == "جملة أولى طويلة بعض الشيء هنا."
    assert chunks[1].text.startswith("عنوان فرعي")


def test_text_without_sentence_ends_is_cut_into_bounded_pieces():
    words = " ".join(f"كلمة{i}،" if i % 37 == 0 else f"كلمة{i}" for i in range(5000))
    run = "ا" * 5000  # no space at all
    text = words + "\n" + run
    spans = sentence_spans(text)
    assert all(s.words <= 100 and s.end - s.start <= 1000 for s in spans)
    assert "".join(text[s.start:s.end] for s in spans).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    assert sum(s.words for s in spans) == 5000 + 5  # the run without spaces: 5 pieces of 1,000 characters
    assert [s.end - s.start for s in spans[-5:]] == [1000] * 5
