"""Turn a follow-up question into one that can be searched on its own.

«ومتى حدث ذلك؟» after «من زار بيونغ يانغ في يوليو؟» cannot be retrieved alone. A short or
referring follow-up is searched together with the last question that stood on its own. This is
a rule, not an LLM call: on 2 cores a model rewrite would cost seconds before the search starts.
"""

from __future__ import annotations

import re

from assistant.lexical import tokenize
from assistant.normalize import normalize_arabic

# Words that point back to something said before (after normalisation).
_REFERRING = re.compile(
    r"(?:^|\s)(?:هو|هي|هم|هما|ذلك|تلك|هذا|هذه|هذان|هاتان|هؤلاء|حينها|عندها|كذلك|ايضا|نفسه|نفسها|"
    r"it|he|she|they|that|this|those|then|also)(?:\s|$)"
    r"|^(?:و|ف)?(?:ماذا عن|what about|and)\b")
_PRONOUN_SUFFIX = re.compile(r"\b\w{3,}(?:ها|هم|هما)\b")
_CONTINUING = re.compile(r"^(?:و|ف)(?:من|متي|كيف|ماذا|لماذا|اين|كم|هل|ما|اي|الي|منذ|بماذا|لمن)\b")
"""«ومن رافقه؟»، «ومتى؟»: «و/ف» + a question word carries on from the question before."""
SHORT_QUESTION_TOKENS = 3


def standalone_question(question: str, history: list[dict[str, str]]) -> str:
    """`question` itself, or, when it depends on what came before, the last user question that stood
    on its own + `question` («متى زار شويغو بيونغ يانغ؟» → «ومن رافقه؟» → «وماذا شاهد هناك؟»: the third
    is searched with the first, not with «ومن رافقه؟»)."""
    asked = [m["content"].strip() for m in history if m.get("role") == "user" and m.get("content", "").strip()]
    if not asked or not depends_on_context(question):
        return question
    anchor = next((q for q in reversed(asked) if not _carries_on(q)), asked[-1])
    return f"{anchor} {question}"


def depends_on_context(question: str) -> bool:
    """Short («متى؟», «من زار بيونغ يانغ؟» too: better searched with its context), or carries on."""
    return len(tokenize(question)) <= SHORT_QUESTION_TOKENS or _carries_on(question)


def own_words_count(question: str, searched: str) -> bool:
    """A follow-up (searched with its context) that has content words of its own: they are searched and
    scored too («وكم دامت الجلسة الأولى؟»; not «ولماذا؟», which has none)."""
    return searched != question and bool(tokenize(question))


def _carries_on(question: str) -> bool:
    """Refers back («ذلك»، «زارها»، «وماذا عن») or opens with «و/ف» + a question word: a question like this
    never stood on its own, whatever its length."""
    norm = normalize_arabic(question)
    return any(p.search(norm) for p in (_REFERRING, _PRONOUN_SUFFIX, _CONTINUING))
