"""Reading articles from each supported format, and clear errors for files we cannot read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import ArticleError
from assistant.ingest.loaders import load_file, load_paths, safe_id

BODY = "وقال المتحدث إن الاجتماع المقبل سيعقد في موسكو الشهر المقبل لبحث التعاون الاقتصادي."


def test_txt_id_is_file_stem(tmp_path: Path):
    path = tmp_path / "خبر_1.txt"
    path.write_text(BODY, "utf-8")
    [article] = load_file(path)
    assert article.id == "خبر_1" and article.text == BODY


def test_utf8_bom_is_accepted(tmp_path: Path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff".encode() + BODY.encode())
    assert load_file(path)[0].text == BODY


def test_markdown_markup_is_removed(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_text(f"# عنوان الخبر\n\n**{BODY}** [رابط](http://example.org)\n", "utf-8")
    text = load_file(path)[0].text
    assert "#" not in text and "**" not in text and "http" not in text
    assert "عنوان الخبر" in text and "رابط" in text


def test_html_article_body_and_metadata(tmp_path: Path):
    paragraphs = "".join(f"<p>{BODY} الفقرة رقم {i}.</p>" for i in range(6))
    html = (f"<html><head><title>قمة موسكو</title><meta property='og:site_name' content='الجزيرة'></head>"
            f"<body><nav>الرئيسية | سياسة | اقتصاد</nav><article><h1>قمة موسكو</h1>{paragraphs}</article>"
            f"<footer>جميع الحقوق محفوظة</footer></body></html>")
    path = tmp_path / "page.html"
    path.write_text(html, "utf-8")
    [article] = load_file(path)
    assert article.title == "قمة موسكو"
    assert "الفقرة رقم 5" in article.text
    assert "الرئيسية | سياسة" not in article.text


def test_jsonl_records(tmp_path: Path):
    path = tmp_path / "batch.jsonl"
    rows = [{"id": "a1", "title": "عنوان", "text": BODY, "source": "رويترز", "url": "http://x", "date": "2024-06-19"},
            {"text": BODY}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    first, second = load_file(path)
    assert (first.id, first.title, first.source, first.date) == ("a1", "عنوان", "رويترز", "2024-06-19")
    assert second.id == "batch-2"


def test_jsonl_bad_line_names_the_line(tmp_path: Path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "نص"}\n{not json\n', "utf-8")
    with pytest.raises(ArticleError, match=r"bad.jsonl:2: not valid JSON"):
        load_file(path)


def test_cp1256_file_is_refused_with_a_hint(tmp_path: Path):
    path = tmp_path / "old.txt"
    path.write_bytes(BODY.encode("cp1256"))
    with pytest.raises(ArticleError, match="not valid UTF-8.*Windows-1256.*iconv"):
        load_file(path)


def test_binary_and_empty_and_unsupported(tmp_path: Path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", "utf-8")
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(ArticleError, match="binary"):
        load_file(binary)
    with pytest.raises(ArticleError, match="empty"):
        load_file(empty)
    with pytest.raises(ArticleError, match="unsupported file type .pdf"):
        load_file(pdf)


def test_a_bad_file_does_not_stop_the_others(tmp_path: Path):
    (tmp_path / "good.txt").write_text(BODY, "utf-8")
    (tmp_path / "bad.txt").write_bytes(BODY.encode("cp1256"))
    report = load_paths([tmp_path, tmp_path / "missing.txt"])
    assert [a.id for a in report.articles] == ["good"]
    assert len(report.errors) == 2
    assert any("missing.txt: no such file" in e for e in report.errors)


def test_size_limit(tmp_path: Path):
    path = tmp_path / "big.txt"
    path.write_text(BODY * 100, "utf-8")
    with pytest.raises(ArticleError, match="over the 1,000-byte limit"):
        load_file(path, max_bytes=1000)


def test_safe_id():
    assert safe_id(" خبر عن/القمة ") == "خبر-عن-القمة"
    with pytest.raises(ArticleError):
        safe_id("///")
