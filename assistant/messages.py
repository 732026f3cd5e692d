"""Every sentence the assistant shows a user in Arabic, in one file: a translation is this file.

Machine-facing text (log lines, `--json` keys, prompts for the model) lives elsewhere.
"""

from __future__ import annotations

from functools import lru_cache

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
INDEX_READY = "الفهرس جاهز: الصفحة تجيب عن الأسئلة."

# --- counting: Arabic number agreement ----------------------------------------------------------
# The noun's form after a number follows the CLDR plural categories of Arabic (from Babel):
# zero, one (مقال واحد), two (مقالان), few 3-10 (3 مقالات), many 11-99 (11 مقالاً), other 100, 101, 102 (100 مقال).
ARTICLE = ("لا مقالات", "مقال واحد", "مقالان", "{n} مقالات", "{n} مقالاً", "{n} مقال")
FILE = ("لا ملفات", "ملف واحد", "ملفان", "{n} ملفات", "{n} ملفاً", "{n} ملف")
SENTENCE = ("لا جمل", "جملة واحدة", "جملتين", "{n} جمل", "{n} جملة", "{n} جملة")
SOURCE = ("لا مصادر", "مصدر واحد", "مصدران", "{n} مصادر", "{n} مصدراً", "{n} مصدر")
REQUEST = ("لا طلبات", "طلب واحد", "طلبان", "{n} طلبات", "{n} طلباً", "{n} طلب")
PUBLISHER = ("لا ناشرين", "ناشر واحد", "ناشران", "{n} ناشرين", "{n} ناشراً", "{n} ناشر")
_CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def count(n: int, noun: tuple[str, str, str, str, str, str]) -> str:
    """`n` things with the noun in the form Arabic grammar wants: count(11, ARTICLE) == "11 مقالاً"."""
    return noun[_CATEGORIES.index(_plural_category(n))].format(n=n)


@lru_cache(maxsize=256)
def _plural_category(n: int) -> str:
    from babel import Locale  # CLDR's rules; imported on first use so the CLI stays light

    return Locale.parse("ar").plural_form(abs(n))


# --- the web UI -------------------------------------------------------------------------------
UI_TITLE = "مساعد الأخبار"
UI_HEADING = "## مساعد الأخبار\nأسئلة وأجوبة من المقالات، وكل جملة في الإجابة موثّقة بمصدرها."
UI_TAB_CHAT = "المحادثة"
UI_TAB_ARTICLES = "المقالات"
UI_QUESTION_LABEL = "سؤالك"
UI_QUESTION_PLACEHOLDER = "اكتب سؤالك بالعربية أو بالإنجليزية…"
UI_SEND = "اسأل"
UI_STOP = "إيقاف"
UI_REGENERATE = "أعد الإجابة"
UI_NEW_CHAT = "محادثة جديدة"
UI_EXAMPLES = "أمثلة"
UI_HISTORY = "المحادثات المحفوظة في هذا المتصفح"
UI_SETTINGS = "الإعدادات"
UI_BACKEND = "طريقة الإجابة"
UI_TOP_K = "عدد المقاطع المسترجعة"
UI_FILTERS = "تضييق البحث"
UI_FILTER_SOURCES = "من هذه المصادر فقط (فارغ: كل المصادر)"
UI_FILTER_SINCE = "من تاريخ (سنة-شهر-يوم)"
UI_FILTER_UNTIL = "إلى تاريخ (سنة-شهر-يوم)"
UI_FILTER_BAD_DATE = "التاريخ «{value}» غير مفهوم؛ اكتبه هكذا: 2024-06-19. لم يُرسل السؤال، وهو باقٍ في مكانه."
UI_FILTER_REVERSED = "تاريخ البداية بعد تاريخ النهاية؛ صحّحهما. لم يُرسل السؤال، وهو باقٍ في مكانه."
UI_FILTER_IN_FORCE = "البحث مقصور على: {what}."
UI_FILTER_FROM_SOURCES = "المصادر {sources}"
UI_FILTER_SINCE_DAY = "من {day}"
UI_FILTER_UNTIL_DAY = "إلى {day}"
UI_FILTER_REFUSED = "لا مقال في هذا النطاق يجيب عن السؤال؛ وسّع التصفية أو أزلها للبحث في كل المقالات."
UI_CHAT_LOG = "المحادثة"
UI_CHAT_EMPTY = "اسأل عن أخبار المقالات. تأتي كل إجابة بمصادرها، ويُشار إلى كل مصدر برقم مثل [1]."
UI_YOU = "سؤالك"
UI_ASSISTANT = "إجابة المساعد"
UI_SHORT_ANSWER = "الإجابة المختصرة"
UI_SOURCES = "المصادر ({count})"
UI_COPY = "نسخ"
UI_COPY_ANSWER = "نسخ الإجابة مع مصادرها"
UI_COPY_CHAT = "نسخ المحادثة"
UI_COPIED = "نُسخ"
UI_HELPFUL = "إجابة مفيدة"
UI_NOT_HELPFUL = "إجابة غير مفيدة"
UI_FEEDBACK_NOTE = "ما الذي كان خطأ؟ (اختياري)"
UI_FEEDBACK_SEND = "أرسل الملاحظة"
UI_FEEDBACK_SAVED = "شكراً، حُفظ تقييمك على هذا الجهاز فقط."
UI_FEEDBACK_FAILED = "تعذّر حفظ التقييم."
UI_COPY_SOURCES = "المصادر:"
UI_COPY_QUESTION = "س: {question}"
UI_COPY_ANSWER_LINE = "ج: {answer}"
UI_NO_DATE = "دون تاريخ"
UI_ASK_FIRST = "اكتب سؤالاً أولاً."
UI_QUESTION_TOO_LONG = "السؤال أطول من {limit} حرف؛ اختصره من فضلك."
UI_STAGE_WAITING = "في الانتظار: قبلك {ahead} للنموذج نفسه. يمكنك أن تسأل بطريقة «استخراج من المصادر» دون انتظار."
UI_STAGE_SEARCHING = "جارٍ البحث في المقالات…"
UI_STAGE_OPENING = "جارٍ تحميل فهرس المقالات (بعد بدء التشغيل مباشرة)؛ يبدأ البحث حين يكتمل…"
UI_STAGE_PREPARING = "جارٍ تجهيز النموذج المحلي لأول استخدام: {percent}٪ (تجميع الملف والتحقق منه)…"
UI_STAGE_LOADING = "جارٍ تحميل النموذج المحلي في الذاكرة…"
UI_STAGE_READING = "النموذج يقرأ المصادر التي وُجدت…"
UI_STAGE_WRITING = "النموذج يكتب الإجابة؛ تظهر بعد التحقق من كل جملة فيها…"
UI_STAGE_REFINING = "جارٍ تحسين الجواب المختصر بالنموذج اللغوي؛ لا يُقبل منه إلا ما ورد حرفيًا في الجمل المذكورة…"
UI_STOPPED = "أُوقفت الإجابة."
UI_ERROR = "تعذّرت الإجابة عن هذا السؤال بسبب خطأ في الخادم. حاول مرة أخرى بعد قليل."
UI_DONE = "{backend} · {seconds} ث"
UI_FALLBACK_NOTE = "تعذّر استخدام النموذج اللغوي، فجاءت هذه الإجابة من المصادر مباشرة."
BACKEND_NAMES = {"extractive": "استخراج من المصادر", "local": "النموذج المحلي", "hosted": "النموذج المستضاف"}
BACKEND_DESCRIPTIONS = {
    "extractive": "يقتبس أنسب الجمل من المصادر كما هي، دون نموذج لغوي.",
    "local": "Qwen2.5-Coder-1.5B-Instruct على هذا الجهاز، دون اتصال بالإنترنت.",
    "hosted": "النموذج {model} على خادم متوافق مع OpenAI.",
}

GRADIO_LABELS = {  # labels Gradio writes in English whatever the language (a prefix is replaced as a prefix)
    "Click to upload or drop files": "انقر لاختيار ملفات أو أسقطها هنا",
    "File upload": "رفع ملفات",
    "Reset to default value": "أعد القيمة الافتراضية",
    "number input for ": "حقل رقمي: ",
    "range slider for ": "شريط تمرير: ",
    "Remove": "إزالة",
    "Download": "تنزيل",
}

# --- the articles tab ---------------------------------------------------------------------------
UI_CORPUS_SEARCH = "ابحث في العناوين والمصادر والتواريخ ونصوص المقالات"
UI_CORPUS_COUNTS = "في المجموعة {articles}."
UI_CORPUS_PUBLISHERS = "نشرها {publishers}."
UI_CORPUS_ADDED = "المضاف منها: {added}."
UI_CORPUS_SHOWN = "يطابق البحث: {shown}."
UI_CORPUS_PAGE = "الصفحة {page} من {pages} (المقالات {first}–{last})."
UI_PAGE_PREV = "الصفحة السابقة"
UI_PAGE_NEXT = "الصفحة التالية"
UI_CORPUS_NONE = "لا مقالات تطابق البحث."
UI_COL_TITLE = "العنوان"
UI_COL_SOURCE = "المصدر"
UI_COL_DATE = "التاريخ"
UI_COL_ORIGIN = "الأصل"
UI_ORIGIN_ADDED = "أضفتَه"
UI_ORIGIN_BUNDLED = "مرفق بالبرنامج"
UI_ARTICLE = "اختر مقالاً لعرضه"
UI_DELETE = "احذف هذا المقال"
UI_DELETE_CONFIRM = "هل تريد حذف «{title}»؟ يُحذف هذا المقال وحده، وتبقى المقالات الأخرى كما هي."
UI_DELETE_YES = "نعم، احذفه"
UI_DELETE_NO = "إلغاء"
UI_DELETED = "حُذف «{title}»."
UI_NOT_DELETABLE = "هذا المقال مرفق بالبرنامج، فلا يُحذف من هنا."
UI_DOC_SOURCE = "المصدر: {source}"
UI_DOC_DATE = "التاريخ: {date}"
UI_DOC_AUTHOR = "الكاتب: {author}"
UI_DOC_APPENDED = "مقال منفصل أُلحق بصفحة {host}"
UI_UPLOAD = "أضف مقالات"
UI_UPLOAD_TYPES = ("تُقبل ملفات ‎.txt و‎.md و‎.html و‎.jsonl و‎.json وأرشيفات ‎.zip منها، بترميز UTF-8، "
                   "ويُذكر لكل ملف ما جرى له.")
UI_UPLOAD_RESULT = "نتيجة الرفع"
UI_UPLOAD_READING = "جارٍ قراءة الملف {index} من {total}: {name}"
UI_UPLOAD_INDEXING = "جارٍ حفظ المقالات وفهرستها…"
UI_UPLOAD_COUNTING = "جارٍ حفظ مقالات {name} وفهرستها: {done} من {total}"
UI_UPLOAD_FILE_ADDED = "أُضيف {articles}"
UI_UPLOAD_FILE_UPDATED = "حُدّث {articles}"
UI_UPLOAD_FILE_UNCHANGED = "{articles} دون تغيير"
UI_UPLOAD_EMBEDDED = "حُسبت متجهات جديدة لـ{sentences} فقط، وأُعيد استخدام الباقي."
UI_NOTHING_UPLOADED = "لم يُرفع أي ملف."
UPLOAD_UNSUPPORTED = "رُفض: نوع ملف غير مدعوم؛ المقبول ‎.txt و‎.md و‎.html و‎.jsonl و‎.json و‎.zip"
UPLOAD_TOO_BIG = "رُفض: الملف أكبر من الحد المسموح به"
UPLOAD_BINARY = "رُفض: ملف ثنائي وليس نصاً"
UPLOAD_NOT_UTF8 = "رُفض: ترميز الملف ليس UTF-8؛ حوّله إلى UTF-8 أولاً"
UPLOAD_EMPTY = "رُفض: لا مقال في الملف"
UPLOAD_BAD_JSONL = "رُفض: في الملف سجل ليس كائن JSON فيه نص مقال"
UPLOAD_BAD_ZIP = "رُفض: تعذّر فتح أرشيف ‎.zip"
UPLOAD_NO_TEXT = "رُفض: لم يبقَ نص مقال بعد حذف عناصر الصفحة"
UPLOAD_UNREADABLE = "رُفض: تعذّرت قراءة الملف"
UPLOAD_FAILED = "رُفض: تعذّرت إضافة الملف"
EXAMPLE_QUESTIONS = [
    "متى التقى كيم جونغ أون بوتين لأول مرة؟",
    "كم عاملا كوريا شماليا ناقش المسؤولون الروس توظيفهم؟",
    "ما الكنيسة التي سيزورها بوتين في كوريا الشمالية؟",
    "What did Russia begin exporting to North Korea?",
]
