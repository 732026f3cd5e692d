"""The furniture of Arabic news pages: share bars, ad markers, bylines, photo credits, link lists.

Patterns common to Arabic news sites, so cleaning carries over to pages we have not seen. Lines are
compared as `normalize_arabic` text unless a pattern says otherwise.
"""

from __future__ import annotations

import re

from assistant.arabic.data import entries
from assistant.arabic.normalize import normalize_arabic

TAIL_MARKERS: tuple[str, ...] = tuple(normalize_arabic(line) for line in entries("page_tail_markers.txt"))
"""A line that starts with one of these ends the article: what follows is a link list."""
BUTTON_LINES: frozenset[str] = frozenset(normalize_arabic(line) for line in entries("page_button_lines.txt"))
BUTTON_PREFIXES: tuple[str, ...] = tuple(normalize_arabic(line) for line in entries("page_button_prefixes.txt"))
READ_ALSO = re.compile(r"^اقرا ايضا$")
"""«إقرأ أيضاً:» alone on a line: what follows is another article (or a link list)."""
READ_ALSO_ON = re.compile(r"^اقرا ايضا (?:علي|في) (.+)$")
"""«اقرأ أيضا على يورونيوز:» names the publisher; the line itself is a button."""
RIGHTS_NOTICE = re.compile(r"copyright|©|copy to clipboard|apple ?store|google ?play|all rights reserved"
                           r"|حقوق (?:النشر|الطبع)|جميع الحقوق", re.IGNORECASE)
"""Matched against the raw line."""
SOURCE_LINE = re.compile(r"^\s*(?:المصدر|المصادر)\s*[:：]\s*(.+?)\s*$")
AUTHOR_LINE = re.compile(r"^\s*(?:بقلم|كتب|كتبت|إعداد|اعداد)\s*[:：]?\s+(.+?)\s*$")
CAPTION_CREDIT = re.compile(
    r"^(?P<caption>.+?)\s*\((?:" + "|".join(re.escape(agency) for agency in entries("photo_credits.txt"))
    + r")\)\s*(?P<heading>.*)$")
"""A photo caption: text, then an agency credit in brackets, then maybe a section heading (raw line)."""
DATELINE = re.compile(r"^[\u0600-\u06FF]{2,15}\s?[-–—]\s+")
"""«موسكو- يصف ...»: a city and a dash before the first sentence."""
