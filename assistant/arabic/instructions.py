"""Text that addresses a language model instead of informing a reader («تجاهل التعليمات السابقة»).

Such a sentence in a source is never put in a prompt or quoted as an answer.
"""

from __future__ import annotations

import re

_TO_A_MODEL = re.compile(
    r"ignore (?:all |any )?(?:the )?(?:previous|prior|above) instructions|system prompt|you are now|"
    r"disregard (?:the|all|previous)|تجاهل (?:جميع |كل )?(?:التعليمات|الأوامر)|تعليمات(?:ك)? السابقة|"
    r"أنت الآن|انس (?:كل )?التعليمات", re.IGNORECASE)


def addresses_a_model(text: str) -> bool:
    """The text gives instructions to a model (raw text, not normalised)."""
    return bool(_TO_A_MODEL.search(text))
