"""Cleaning on the real scraped pages: boilerplate out, article sentences kept, metadata right."""

from __future__ import annotations

import pytest

from assistant.ingest.cleaning import clean_article
from assistant.types import Document, RawArticle
from tests.conftest import CORPUS_DIR


def clean(stem: str) -> list[Document]:
    path = CORPUS_DIR / f"{stem}.txt"
    return clean_article(RawArticle(id=stem, text=path.read_text("utf-8"), origin=str(path)))


def test_000_roya_byline_and_trailing_widgets():
    [doc] = clean("000_c14e09f40aa48331")
    assert doc.title == "وسط خصام مع “واشنطن”.. بيونج يانج تتجه إلى “أحضان” موسكو"
    assert (doc.source, doc.author) == ("رؤية", "محمد عبدالله")
    assert not doc.title_derived and doc.appended_to is None
    assert "ربما يعجبك أيضا" not in doc.text
    assert "أبرز لقطات الزيارة" not in doc.text  # an empty photo-gallery heading
    assert "رؤية – محمد عبدالله" not in doc.text
    assert not doc.text.startswith("محمد عبدالله")
    assert "وكان بوتين هو الرئيس الروسي الأول الذي يزور كوريا الشمالية." in doc.text
    assert doc.text.startswith("في ظل توتر العلاقات بين بيونج يانج وواشنطن")


def test_001_aljazeera_split_from_glued_article():
    host, glued = clean("001_7a27a54a086accf8")
    assert host.source == "الجزيرة"
    assert host.title_derived and host.title.startswith("يصف غالبية المراقبين الروس")
    for boilerplate in ("المصدر: الجزيرة", "كلمات دلالية", "مع کوریا", "إقرأ أيضاً", "مقالات مشابهة",
                        "تابع أحدث الأخبار عبر تطبيق", "(رويترز)", "الكرملين يشيد بكوريا الشمالية"):
        assert boilerplate not in host.text and boilerplate not in glued.text, boilerplate
    assert "إعادة ضبط" in host.text  # section heading glued after a photo caption is kept
    assert host.text.rstrip().endswith("إمدادها باليورانيوم المنضب.")
    assert "المنطقة المنزوعة السلاح" not in host.text
    assert glued.id == "001_7a27a54a086accf8__appended-1"
    assert glued.appended_to == host.id and glued.source is None
    assert glued.title == "سول: جيش كوريا الشمالية يقوم بأنشطة بناء داخل المنطقة المنزوعة السلاح"
    assert "عبر حوالي 20 جنديا كوريا شماليا الحدود البرية" in glued.text


def test_002_euronews_navigation_share_buttons_and_credits():
    [doc] = clean("002_f70547b828967c76")
    assert doc.title == "قمة بوتين وكيم: الضمانات الأمريكية لكوريا الشمالية غير كافية"
    assert doc.source == "يورونيوز"
    assert doc.author == "رشيد سعيد قرني"
    for boilerplate in ("Loader", "Find Us", "Flipboard", "Google Play", "اعلان", "Copyright", "Sputnik",
                        "شارك هذا المقال", "Copy to clipboard", "اقرأ أيضا على يورونيوز", "بقلم",
                        "المصادر الإضافية", "مواضيع إضافية", "فاغنر", "مصافحة بين الرئيس الروسي"):
        assert boilerplate not in doc.text, boilerplate
    assert "واستمرت الجلسة الأولى، التي شملت محادثات مباشرة بين الزعيمين" in doc.text
    assert "في 12 تشرين الأول/أكتوبر 1948" in doc.text  # text after the "read also" button is kept


def test_003_listen_to_summary_button():
    [doc] = clean("003_48eeebc7d8fccadc")
    assert "استمع إلى الملخص" not in doc.text
    assert doc.source is None and doc.title_derived
    assert "كنيسة ثالوث واهب الحياة" in doc.text
    assert doc.text.rstrip().endswith("بيومي 18 و19 يونيو الجاري.")


def test_004_arabi21_keywords_and_glued_article():
    host, glued = clean("004_dd0b498a44e088a7")
    assert host.source == "عربي21"
    for boilerplate in ("كلمات دلالية", "سياسة سياسة", "المصدر: عربي21", "شرم الشيخ", "طباعة شارك"):
        assert boilerplate not in host.text, boilerplate
    assert host.text.rstrip().endswith("للمرة الأولى في مدينة فلاديفوستوك الروسية.")
    assert glued.appended_to == host.id
    assert glued.title.startswith("قمة السيسي-ترامب تتصدر جدول أعمال قمة شرم الشيخ")
    assert "- ستعقد مقابلات ثنائية بين القادة على هامش المؤتمر" in glued.text
    for boilerplate in ("طباعة شارك", "مقالات مشابهة", "قادر على ضرب أمريكا"):
        assert boilerplate not in glued.text, boilerplate


def test_read_also_followed_by_links_only_is_dropped_not_a_document():
    text = ("عنوان الخبر\n\n" + "هذه جملة من نص الخبر الأصلي تتحدث عن الموضوع. " * 5
            + "\n\nإقرأ أيضاً:\n\nرابط أول\n\nرابط ثان\n")
    docs = clean_article(RawArticle(id="x", text=text))
    assert [d.id for d in docs] == ["x"]
    assert "رابط أول" not in docs[0].text


@pytest.mark.parametrize("stem", [p.stem for p in sorted(CORPUS_DIR.glob("*.txt"))])
def test_every_article_keeps_most_of_its_text(stem: str):
    docs = clean(stem)
    assert docs and all(len(d.text.split()) > 100 for d in docs)
    assert all(d.title for d in docs)
