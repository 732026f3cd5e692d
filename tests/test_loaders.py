"""Reading articles from each supported format, and clear errors for files we cannot read."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from assistant.errors import ArticleError
from assistant.ingest.loaders import articles, load_file, load_paths, plan, safe_id
from assistant.ingest.records import FieldMap, date_key, normalise_date

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


def test_json_array_with_field_mapping_and_a_bad_record(tmp_path: Path):
    path = tmp_path / "day.json"
    records = [{"source": "okaz", "url": "http://okaz/1", "date_extracted": "2015-07-21 10:30:00", "title": "عنوان",
                "author": "", "content": BODY},
               {"source": "okaz", "title": "بلا نص", "content": ""},
               "not an object",
               {"body_ar": BODY, "day": "2015/07/22"}]
    path.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    report = load_paths([path], fields=FieldMap.parse(["text=body_ar", "date=day"]))
    first, last = report.articles
    assert (first.id, first.source, first.url, first.date, first.author) == ("day-1", "okaz", "http://okaz/1",
                                                                              "2015-07-21T10:30:00", None)
    assert (last.id, last.date) == ("day-4", "2015-07-22")
    assert [e.split(": ")[0] for e in report.errors] == [f"{path}[2]", f"{path}[3]"]


def test_zip_of_json_jsonl_and_txt(tmp_path: Path):
    path = tmp_path / "dump.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("2015-07-21.json", json.dumps([{"content": BODY, "title": "أ"}], ensure_ascii=False))
        archive.writestr("more/b.jsonl", json.dumps({"id": "b1", "text": BODY}, ensure_ascii=False) + "\n{bad\n")
        archive.writestr("c.txt", BODY)
        archive.writestr("notes.pdf", b"%PDF")
    report = load_paths([path])
    assert [a.id for a in report.articles] == ["2015-07-21-1", "c", "b1"]  # members in name order
    assert report.articles[0].origin == f"{path}:2015-07-21.json[1]"
    assert report.errors == [f"{path}:more/b.jsonl:2: not valid JSON (Expecting property name enclosed in double quotes)"]


def test_a_zip_member_too_big_is_refused_before_it_is_unpacked(tmp_path: Path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.json", "[" + " " * 5_000_000 + "]")
    found = plan([path], max_dump_bytes=1_000_000)
    assert [str(e).split(": ", 1)[1] for e in articles(found.parts)] == [
        "5,000,002 bytes unpacked, over the 1,000,000-byte limit"]
    assert not zipfile.is_zipfile(tmp_path / "missing.zip") and "not a readable zip" in load_paths(
        [_write(tmp_path / "broken.zip", b"PK\x03\x04junk")]).errors[0]


def test_dates_are_normalised_and_keyed_by_day():
    assert normalise_date("Tue, 11 Aug 2015 13:44:43 +0300") == "2015-08-11T13:44:43"
    assert normalise_date("sometime in 2015") == "sometime in 2015"
    assert date_key("2015-08-11T13:44:43") == date_key("2015-08-11") == 16658
    assert date_key("sometime") is None


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
