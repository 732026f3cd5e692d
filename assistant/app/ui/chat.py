"""The chat's event handlers: ask (or regenerate), stop, a new conversation, another from the list, 👍/👎.

Plain functions over an `Engine` and the conversation the browser keeps; `layout` wires them to Gradio.
Whatever goes wrong, the page shows a short Arabic message and the log gets the details: no exception text
ever reaches the browser.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from typing import Iterator, NamedTuple

from assistant import messages as msg
from assistant.app.feedback import Feedback
from assistant.app.generation import Progress
from assistant.app.ui.engine import Engine
from assistant.app.ui.filters import chosen_filter
from assistant.app.ui.render import chat_html, done_text, progress_text, refining_text
from assistant.app.ui.turns import Conversation, Shown, Turn, archived, dump, load_archive
from assistant.retrieval.question import MAX_QUESTION_CHARS

log = logging.getLogger(__name__)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


class Sessions:
    """The stop signals of the answers each open page is waiting for, so that stopping or closing the page
    stops them (and closes their backend's stream)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[str, set[threading.Event]] = {}

    def start(self, session: str) -> threading.Event:
        event = threading.Event()
        with self._lock:
            self._running.setdefault(session, set()).add(event)
        return event

    def end(self, session: str, event: threading.Event) -> None:
        with self._lock:
            self._running.get(session, set()).discard(event)
            if not self._running.get(session):
                self._running.pop(session, None)

    def stop(self, session: str) -> int:
        """Stop every answer of `session`; how many there were."""
        with self._lock:
            events = list(self._running.get(session, ()))
        for event in events:
            event.set()
        return len(events)


class Chosen(NamedTuple):
    """The filter as the page sent it: the publishers' multi-select and the two date boxes."""

    sources: object = None
    since: str | None = None
    until: str | None = None


@dataclass
class View:
    """What a chat handler shows: the conversation, the status line, and whether an answer is under way."""

    conversation: Conversation
    status: str = ""
    busy: bool = False


def clean_question(text: str | None) -> str:
    """The question as typed, stripped; characters the browser could not encode become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text or "").strip()


def start_turn(conversation: Conversation, question: str, backend: str, top_k: int,
               regenerate: bool, chosen: Chosen = Chosen()) -> tuple[Turn | None, str]:
    """The turn to answer (added to `conversation`), or None and why not (Arabic). «Regenerate» asks the
    last question again as it was asked, filter included."""
    if regenerate:
        if not conversation.turns:
            return None, ""
        last = conversation.turns[-1]
        conversation.turns = conversation.turns[:-1]
        question, backend, top_k, restricted = last.question, last.backend, last.top_k, last.filter
    elif not question:
        return None, msg.UI_ASK_FIRST
    elif len(question) > MAX_QUESTION_CHARS:
        return None, msg.UI_QUESTION_TOO_LONG.format(limit=MAX_QUESTION_CHARS)
    else:
        restricted, refusal = chosen_filter(*chosen)
        if restricted is None:
            return None, refusal
    turn = Turn.new(question, backend, top_k, restricted)
    conversation.add(turn)
    return turn, ""


def answer_turn(engine: Engine, conversation: Conversation, turn: Turn,
                cancel: threading.Event) -> Iterator[bool]:
    """Fill `turn` (the last of `conversation`) from the engine; yields True after a visible change and
    False as a heartbeat (so the caller can be stopped while the engine waits). An instant answer is shown at
    once; while the engine refines its short answer, the turn is done and its progress says so."""
    history = conversation.chat(upto=-1)
    stream = engine.stream(turn.question, turn.backend, history, turn.top_k, cancel,
                           filters=turn.filter.search_filters())
    answers = 0
    try:
        for item in stream:
            if isinstance(item, Progress):  # after a refined answer, only heartbeats can come
                text = (progress_text(item) if not answers else refining_text(item) if answers == 1 else None)
                changed = text is not None and text != turn.progress
                turn.progress = text if text is not None else turn.progress
                yield changed
                continue
            answers += 1
            turn.answer = Shown.of(item, [engine.context(c) for c in item.citations])
            turn.state, turn.progress = "done", ""
            yield True
        if turn.state == "pending":
            turn.state = "stopped"
    except Exception:  # noqa: BLE001 - the page gets an Arabic message, the log the details
        log.exception("answering %r failed", turn.question[:200])
        if turn.state == "pending":  # a failed refinement leaves the instant answer
            turn.state = "error"
    finally:
        stream.close()
    turn.progress = ""
    yield True


def ask(engine: Engine, sessions: Sessions, session: str, question: str | None, current: object,
        backend: str, top_k: int, regenerate: bool = False, chosen: Chosen = Chosen()) -> Iterator[View | None]:
    """A question (or the last one again, as it was asked) answered into the conversation from the
    articles `chosen` allows: a View after each visible change, None as a heartbeat. A filter that does not
    read (a bad date) asks nothing and says why; the question stays where it was typed."""
    conversation = Conversation.load(current)
    try:
        turn, refusal = start_turn(conversation, clean_question(question), backend, int(top_k), regenerate, chosen)
    except Exception:  # noqa: BLE001 - e.g. a setting the browser sent that does not validate
        log.exception("could not start an answer")
        turn, refusal = None, msg.UI_ERROR
    if turn is None:
        yield View(conversation, refusal)
        return
    cancel = sessions.start(session)
    turn.progress = msg.UI_STAGE_SEARCHING
    try:
        yield View(conversation, turn.progress, busy=True)
        for changed in answer_turn(engine, conversation, turn, cancel):
            if not changed:
                yield None
            elif turn.state == "pending" or turn.progress:
                yield View(conversation, turn.progress, busy=True)
        yield View(conversation, finished_status(turn))
    finally:
        sessions.end(session, cancel)


def finished_status(turn: Turn) -> str:
    if turn.state == "done" and turn.answer is not None:
        return done_text(turn.answer)
    return {"stopped": msg.UI_STOPPED, "error": msg.UI_ERROR}.get(turn.state, "")


def stopped(current: object) -> View:
    """After a stop: the conversation as kept, its unfinished answer marked stopped (an answer whose short answer
    was being refined is done, as it was shown)."""
    conversation = Conversation.load(current)
    if not conversation.turns:
        return View(conversation)
    last = conversation.turns[-1]
    return View(conversation, finished_status(last) if last.state == "done" else msg.UI_STOPPED)


def history_choices(current: Conversation, archive: list[Conversation]) -> list[tuple[str, str]]:
    return [(c.title, c.id) for c in archived(current, archive)]


def new_conversation(current: object, archive: object) -> tuple[Conversation, list[Conversation]]:
    """Keep the current conversation in the list and start an empty one."""
    return Conversation(), archived(Conversation.load(current), load_archive(archive))


def switch_to(chosen: str, current: object, archive: object) -> tuple[Conversation, list[Conversation]]:
    """Show conversation `chosen` from the list; the one shown before goes back into the list."""
    everything = archived(Conversation.load(current), load_archive(archive))
    picked = next((c for c in everything if c.id == chosen), None)
    if picked is None:
        return Conversation.load(current), load_archive(archive)
    return picked, [c for c in everything if c.id != chosen]


def save_feedback(engine: Engine, payload: object) -> bool:
    """A 👍/👎 from the page (its `data-feedback` plus rating and note); False if it could not be saved."""
    if isinstance(payload, list) and len(payload) == 1:  # the page's server call passes its arguments as a list
        payload = payload[0]
    try:
        engine.save_feedback(Feedback.parse(payload))
        return True
    except Exception:  # noqa: BLE001 - the page says it was not saved
        log.exception("feedback not saved")
        return False


__all__ = ["Chosen", "Sessions", "View", "answer_turn", "ask", "chat_html", "dump", "history_choices",
           "new_conversation", "save_feedback", "stopped", "switch_to"]
