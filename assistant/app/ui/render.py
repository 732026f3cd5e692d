"""The conversation as HTML: each answer with its short answer first, its own numbered sources under it,
`[n]` links with an accessible preview of the quoted sentence, and the plain text that «copy» puts on the
clipboard.

Everything that comes from a document or a person is escaped here and nothing is read as markdown, so an
article's `<img>` or `![x](http://…)` is shown as the characters it is and never fetched.
"""

from __future__ import annotations

import html
import json
import re

from assistant import messages as msg
from assistant.app.generation import Progress
from assistant.app.ui.filters import filter_note
from assistant.app.ui.turns import Conversation, Shown, ShownSource, Turn, TurnFilter

_MARKER = re.compile(r"\[(\d{1,2})\]")
_e = html.escape
_THUMB = ('<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false"%s>'
          '<path fill="currentColor" d="M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79'
          '-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c'
          '.09-.23.14-.47.14-.73v-2z"/></svg>')
"""Material Design's thumb icon (Apache-2.0), drawn rather than an emoji: not every system has an emoji font."""
THUMB_UP, THUMB_DOWN = _THUMB % "", _THUMB % ' style="transform: rotate(180deg)"'


def progress_text(progress: Progress) -> str:
    """What is happening now, in Arabic."""
    if progress.stage == "waiting":
        return msg.UI_STAGE_WAITING.format(ahead=msg.count(progress.ahead, msg.REQUEST))
    if progress.stage == "preparing":
        return msg.UI_STAGE_PREPARING.format(percent=progress.percent or 0)
    return {"opening": msg.UI_STAGE_OPENING, "searching": msg.UI_STAGE_SEARCHING,
            "loading": msg.UI_STAGE_LOADING, "reading": msg.UI_STAGE_READING,
            "writing": msg.UI_STAGE_WRITING, "refining": msg.UI_STAGE_REFINING}[progress.stage]


def refining_text(progress: Progress) -> str | None:
    """What is happening after the instant answer was shown (its short answer being refined); None for a
    heartbeat that changes nothing."""
    if progress.stage in ("preparing", "loading"):
        return progress_text(progress)
    return msg.UI_STAGE_REFINING if progress.stage in ("refining", "waiting") else None


def done_text(shown: Shown) -> str:
    return msg.UI_DONE.format(backend=msg.BACKEND_NAMES.get(shown.backend, shown.backend), seconds=shown.seconds)


def chat_html(conversation: Conversation) -> str:
    """The whole conversation; the JS that makes it interactive finds its texts in data attributes."""
    texts = {"copied": msg.UI_COPIED, "saved": msg.UI_FEEDBACK_SAVED, "failed": msg.UI_FEEDBACK_FAILED}
    attributes = " ".join(f'data-{k}="{_e(v)}"' for k, v in texts.items())
    if not conversation.turns:
        body = f'<p class="chat-empty">{_e(msg.UI_CHAT_EMPTY)}</p>'
        toolbar = ""
    else:
        last = len(conversation.turns) - 1
        body = "".join(turn_html(t, latest=i == last) for i, t in enumerate(conversation.turns))
        toolbar = (f'<div class="chat-tools"><button type="button" class="act copy-chat">'
                   f'{_e(msg.UI_COPY_CHAT)}</button></div>')
    return (f'<section class="chat-log" dir="rtl" aria-label="{_e(msg.UI_CHAT_LOG)}" {attributes}>'
            f"{toolbar}{body}</section>")


def turn_html(turn: Turn, latest: bool = False) -> str:
    question = (f'<h3 class="sr-only">{_e(msg.UI_YOU)}</h3>'
                f'<p class="bubble user" dir="auto">{_e(turn.question)}</p>')
    if turn.state == "pending":
        bot = (f'<div class="bubble bot pending"><span class="spinner" aria-hidden="true"></span>'
               f"{_e(turn.progress or msg.UI_STAGE_SEARCHING)}</div>")
    elif turn.state == "stopped":
        bot = f'<div class="bubble bot stopped">{_e(msg.UI_STOPPED)}</div>'
    elif turn.state == "error" or turn.answer is None:
        bot = f'<div class="bubble bot refusal" role="note">{_e(msg.UI_ERROR)}</div>'
    else:
        bot = answer_html(turn, turn.answer, latest)
        if turn.progress:  # the short answer is being refined
            bot += (f'<p class="refining" role="status"><span class="spinner" aria-hidden="true"></span>'
                    f"{_e(turn.progress)}</p>")
    note = filter_note(turn.filter)
    restricted = f'<p class="filter-note" role="note" dir="rtl">{_e(note)}</p>' if note else ""
    return (f'<article class="turn" id="t-{turn.id}" data-question="{_e(turn.question)}">{question}'
            f'<h3 class="sr-only">{_e(msg.UI_ASSISTANT)}</h3>{restricted}{bot}</article>')


def answer_html(turn: Turn, shown: Shown, open_sources: bool = False) -> str:
    """Short answer in bold, then the cited sentences, a note when no LLM could be used, the sources, and
    the copy and 👍/👎 actions."""
    if shown.refused:
        body = f'<div class="refusal" role="note">{_e(shown.text)}</div>'
        if turn.filter.search_filters():
            body += f'<p class="filter-refused">{_e(msg.UI_FILTER_REFUSED)}</p>'
    else:
        short = (f'<p class="short" dir="auto"><span class="sr-only">{_e(msg.UI_SHORT_ANSWER)}: </span>'
                 f"<strong>{_e(shown.short)}</strong></p>") if shown.short else ""
        body = short + f'<p class="answer-text" dir="auto">{_cited(turn.id, shown)}</p>'
    if shown.fallback:
        body += f'<p class="fallback-note">{_e(msg.UI_FALLBACK_NOTE)}</p>'
    feedback = _e(json.dumps(feedback_payload(turn, shown), ensure_ascii=False))
    return (f'<div class="bubble bot" data-feedback="{feedback}">{body}{sources_html(turn.id, shown, open_sources)}'
            f"{_actions()}"
            f'<pre class="plain-answer" hidden>{_e(plain_answer(shown, turn.filter))}</pre>'
            f'<pre class="plain-turn" hidden>{_e(plain_turn(turn, shown))}</pre></div>')


def sources_html(tid: str, shown: Shown, open_: bool) -> str:
    if not shown.sources:
        return ""
    cards = "".join(_card(tid, s) for s in shown.sources)
    summary = msg.UI_SOURCES.format(count=msg.count(len(shown.sources), msg.SOURCE))
    return (f'<details class="sources"{" open" if open_ else ""}><summary>{_e(summary)}</summary>'
            f'<ol class="source-list">{cards}</ol></details>')


def _card(tid: str, s: ShownSource) -> str:
    meta = " · ".join([f"<bdi>{_e(s.source or msg.NO_SOURCE_NAMED)}</bdi>", _e(s.date or msg.UI_NO_DATE)])
    return (f'<li class="source-card" id="t-{tid}-s{s.n}" tabindex="-1" dir="rtl">'
            f'<h4><span class="num">[{s.n}]</span> <bdi>{_e(s.title)}</bdi></h4><div class="meta">{meta}</div>'
            f"<p>…{_e(s.before)}<mark>{_e(s.quote)}</mark>{_e(s.after)}…</p></li>")


def _cited(tid: str, shown: Shown) -> str:
    """The answer text, escaped, each [n] a link to its source with a preview of the quoted sentence."""
    by_n = {s.n: s for s in shown.sources}

    def link(match: re.Match) -> str:
        n = int(match.group(1))
        source = by_n.get(n)
        if source is None:
            return match.group(0)
        return (f'<span class="cite-wrap"><a class="cite" href="#t-{tid}-s{n}" '
                f'aria-describedby="t-{tid}-p{n}">[{n}]</a>'
                f'<span class="preview" role="tooltip" id="t-{tid}-p{n}"><b><bdi>{_e(source.title)}</bdi></b>: '
                f"{_e(source.quote)}</span></span>")

    return _MARKER.sub(link, _e(shown.text))


def _actions() -> str:
    return (f'<div class="actions"><button type="button" class="act copy">{_e(msg.UI_COPY)}'
            f'<span class="sr-only"> {_e(msg.UI_COPY_ANSWER)}</span></button>'
            f'<button type="button" class="act fb" data-rating="up" aria-pressed="false" '
            f'aria-label="{_e(msg.UI_HELPFUL)}" title="{_e(msg.UI_HELPFUL)}">{THUMB_UP}</button>'
            f'<button type="button" class="act fb" data-rating="down" aria-pressed="false" '
            f'aria-label="{_e(msg.UI_NOT_HELPFUL)}" title="{_e(msg.UI_NOT_HELPFUL)}">{THUMB_DOWN}</button>'
            f'<span class="act-status" role="status"></span></div>'
            f'<form class="fb-note" hidden><label>{_e(msg.UI_FEEDBACK_NOTE)}'
            f'<textarea maxlength="2000" rows="2" dir="auto"></textarea></label>'
            f'<button type="submit" class="act">{_e(msg.UI_FEEDBACK_SEND)}</button></form>')


def plain_answer(shown: Shown, chosen: TurnFilter | None = None) -> str:
    """What «copy» gives: the filter note when the search was restricted (a copied answer must say so as the
    page does), the short answer, the text with [n], and the numbered sources."""
    note = filter_note(chosen) if chosen is not None else ""
    parts = ([note] if note else []) + ([shown.short] if shown.short else []) + [shown.text]
    if shown.refused and note:
        parts.append(msg.UI_FILTER_REFUSED)
    if shown.sources:
        lines = [f"[{s.n}] {s.title} — {s.source or msg.NO_SOURCE_NAMED}"
                 f"{'، ' + s.date if s.date else ''}: «{s.quote}»" for s in shown.sources]
        parts.append("\n".join([msg.UI_COPY_SOURCES, *lines]))
    return "\n\n".join(parts)


def plain_turn(turn: Turn, shown: Shown) -> str:
    return msg.UI_COPY_QUESTION.format(question=turn.question) + "\n" + msg.UI_COPY_ANSWER_LINE.format(
        answer=plain_answer(shown, turn.filter))


def feedback_payload(turn: Turn, shown: Shown) -> dict:
    """What a 👍/👎 saves besides the rating (see `assistant.app.feedback.Feedback`)."""
    return {"answer_id": turn.id, "question": turn.question, "answer": plain_answer(shown),
            "backend": shown.backend, "filter": turn.filter.model_dump(),
            "citations": [{"n": s.n, "doc_id": s.doc_id, "quote": s.quote} for s in shown.sources]}


__all__ = ["answer_html", "chat_html", "done_text", "plain_answer", "progress_text", "turn_html"]
