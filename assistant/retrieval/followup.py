"""Turn a follow-up question into one that can be searched on its own.

«ومتى حدث ذلك؟» after «من زار بيونغ يانغ في يوليو؟» cannot be retrieved alone. A short or
referring follow-up is searched together with the last question that stood on its own. This is
a rule, not an LLM call: on 2 cores a model rewrite would cost seconds before the search starts.
"""

from __future__ import annotations

from assistant.arabic.morphology import tokenize
from assistant.arabic.normalize import normalize_arabic
from assistant.arabic.questions import carries_on

SHORT_QUESTION_TOKENS = 3
Chat = list[dict[str, str]]


def standalone_question(question: str, history: Chat) -> str:
    """`question` itself, or, when it depends on what came before, the last user question that stood
    on its own + `question` («متى زار شويغو بيونغ يانغ؟» → «ومن رافقه؟» → «وماذا شاهد هناك؟»: the third
    is searched with the first, not with «ومن رافقه؟»)."""
    asked = [m["content"].strip() for m in history if m.get("role") == "user" and m.get("content", "").strip()]
    if not asked or not depends_on_context(question):
        return question
    anchor = next((q for q in reversed(asked) if not carries_on(normalize_arabic(q))), asked[-1])
    return f"{anchor} {question}"


def last_answer(history: Chat) -> str:
    """The assistant's last reply (empty if none): where the conversation stands."""
    replies = [m.get("content", "") for m in history if m.get("role") == "assistant"]
    return replies[-1].strip() if replies else ""


def depends_on_context(question: str) -> bool:
    """Short («متى؟», «من زار بيونغ يانغ؟» too: better searched with its context), or carries on."""
    return len(tokenize(question)) <= SHORT_QUESTION_TOKENS or carries_on(normalize_arabic(question))
