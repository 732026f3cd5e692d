"""Turn a follow-up question into one that can be searched on its own.

«ومتى حدث ذلك؟» after «من زار بيونغ يانغ في يوليو؟» cannot be retrieved alone. A short or
referring follow-up is searched together with the previous question. This is a rule, not
an LLM call: on 2 cores a model rewrite would cost seconds before the search even starts.
"""

from __future__ import annotations

import re

from assistant.lexical import tokenize
from assistant.normalize import normalize_arabic

# Words that point back to something said before (after normalisation).
_REFERRING = re.compile(
    r"(?:^|\s)(?:هو|هي|هم|هما|ذلك|تلك|هذا|هذه|هذان|هاتان|هؤلاء|حينها|عندها|كذلك|ايضا|نفسه|نفسها|"
    r"it|he|she|they|that|this|those|then|also)(?:\s|$)"
    r"|^(?:و|ف)?(?:ماذا عن|وماذا|ولماذا|ومتي|وكيف|واين|وكم|وهل|what about|and)\b")
_PRONOUN_SUFFIX = re.compile(r"\b\w{3,}(?:ها|هم|هما)\b")
SHORT_QUESTION_TOKENS = 3


def standalone_question(question: str, history: list[dict[str, str]]) -> str:
    """`question` itself, or, when it depends on what came before, the last user question that stood
    on its own + `question` («متى زار شويغو بيونغ يانغ؟» → «ومن رافقه؟» → «وماذا شاهد هناك؟»: the third
    is searched with the first, not with «ومن رافقه؟»)."""
    asked = [m["content"] for m in history if m.get("role") == "user" and m.get("content")]
    if not asked or not depends_on_context(question):
        return question
    anchor = next((q for q in reversed(asked) if not depends_on_context(q)), asked[0])
    return f"{anchor} {question}"


def depends_on_context(question: str) -> bool:
    """Short, or refers back («ذلك»، «وماذا عن»، «زارها»)."""
    norm = normalize_arabic(question)
    return (len(tokenize(question)) <= SHORT_QUESTION_TOKENS or _REFERRING.search(norm) is not None
            or _PRONOUN_SUFFIX.search(norm) is not None)
