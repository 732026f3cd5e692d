"""Every sentence the assistant shows a user in Arabic, in one file: a translation is this file.

Machine-facing text (log lines, `--json` keys, prompts for the model) lives elsewhere.
"""

from __future__ import annotations

REFUSAL = "لا تتضمن المقالات المتاحة إجابة عن هذا السؤال."
EMPTY_QUESTION = "the question is empty (السؤال فارغ)"
NO_SOURCE_NAMED = "مصدر غير مذكور"
NOT_GIVEN = "غير مذكور"

# --- the command line -------------------------------------------------------------------------
CLI_ID = "المعرف"
CLI_TITLE = "العنوان"
CLI_TITLE_DERIVED = " (مأخوذ من أول جملة)"
CLI_SOURCE = "المصدر"
CLI_AUTHOR = "الكاتب"
CLI_URL = "الرابط"
CLI_DATE = "التاريخ"
CLI_APPENDED_NOTE = "ملاحظة: مقال منفصل أُلحق بصفحة {host} بعد «إقرأ أيضاً»"
CLI_APPENDED_FLAG = "  [ملحق بـ {host}]"
YES = "نعم"
NO = "لا"
"""The short answer to a yes/no question that the cited sentence settles."""
CLI_SHORT_ANSWER = "الجواب: {text}"
CLI_FALLBACK = "(أُجيب دون نموذج لغوي: {reason})"
CLI_QUESTION = "السؤال:"
CLI_CITATION = "[{n}] {title} — {source} ({doc_id}، {start}-{end})"
CLI_HIT = "[{rank}] {title} — {source}  ({chunk_id}، {score:.4f})"
CLI_NO_HITS = "لا توجد مقاطع مطابقة."
INDEX_LOADING = "جارٍ تحميل الفهرس (يُبنى في أول تشغيل)…"

# --- the web UI -------------------------------------------------------------------------------
UI_TITLE = "مساعد الأخبار"
UI_HEADING = "## مساعد الأخبار: أسئلة وأجوبة موثّقة من المقالات"
UI_TAB_CHAT = "المحادثة"
UI_TAB_ARTICLES = "المقالات"
UI_CHAT_LABEL = "المحادثة"
UI_QUESTION_LABEL = "سؤالك"
UI_QUESTION_PLACEHOLDER = "اكتب سؤالك بالعربية أو بالإنجليزية…"
UI_SEND = "اسأل"
UI_NEW_CHAT = "محادثة جديدة"
UI_EXAMPLES = "أمثلة"
UI_SOURCES_HEADING = "### المصادر"
UI_SETTINGS = "الإعدادات"
UI_BACKEND = "طريقة الإجابة"
UI_TOP_K = "عدد المقاطع المسترجعة"
UI_ARTICLE = "المقال"
UI_UPLOAD = "أضف مقالات (.txt .md .html .jsonl)"
UI_UPLOAD_RESULT = "نتيجة الرفع"
UI_NO_SOURCES = "لا توجد مصادر لهذه الإجابة."
UI_ASK_FIRST = "اكتب سؤالاً أولاً."
UI_SEARCHING = "جارٍ البحث في المقالات…"
UI_WRITING = "جارٍ كتابة الإجابة…"
UI_ERROR = "خطأ"
UI_ERROR_BOX = "خطأ: {error}"
UI_SECONDS = "{backend} · {seconds:.1f} ث"
UI_FALLBACK_NOTE = "تعذّر استخدام النموذج اللغوي، فجاءت الإجابة من المصادر مباشرة ({reason})."
UI_DOC_SOURCE = "المصدر: {source}"
UI_DOC_AUTHOR = "الكاتب: {author}"
UI_DOC_APPENDED = "مقال منفصل أُلحق بصفحة {host}"
UI_UPLOADED = "أُضيفت {added} وحُدّثت {updated} مقالات (حُسبت متجهات {embedded} مقطعاً جديداً فقط)."
UI_UNCHANGED = "{n} مقالات دون تغيير."
UI_REJECTED = "رُفض: {error}"
UI_NOTHING_UPLOADED = "لم يُرفع أي ملف."
UNSUPPORTED_FILE = "{name}: نوع ملف غير مدعوم"
EXAMPLE_QUESTIONS = [
    "متى التقى كيم جونغ أون بوتين لأول مرة؟",
    "كم عاملا كوريا شماليا ناقش المسؤولون الروس توظيفهم؟",
    "ما الكنيسة التي سيزورها بوتين في كوريا الشمالية؟",
    "What did Russia begin exporting to North Korea?",
]
BACKEND_DESCRIPTIONS = {
    "extractive": "استخراج الجمل من المصادر مباشرة (دون نموذج لغوي)",
    "local": "Qwen2.5-Coder-1.5B-Instruct (محلي، دون اتصال)",
    "hosted": "{model} عبر {base_url}",
}
HOSTED_NOT_SET = "غير مضبوط"
