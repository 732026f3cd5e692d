"""Answers produced off the caller's thread: lanes that keep slow LLM generations apart, and runs that can be
stopped at any moment.

Why: a front end serves several people at once. An LLM answer may take a minute on two cores, while an
extractive one takes a fraction of a second; one queue for both would make the quick question wait for the
slow one. So only LLM generations enter a `Lane` (the local model one at a time), and each answer is made by
a `Run` in a worker thread that the caller polls: the caller can report progress while it waits, and leave
at any time — the run then closes the answer stream, which closes the backend's stream (an HTTP response
or the local model's generation), and frees its lane.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from typing import Callable, Iterator, Literal

from assistant.types import Answer

log = logging.getLogger(__name__)

Stage = Literal["opening", "waiting", "searching", "preparing", "loading", "reading", "writing", "refining"]
POLL_S = 0.25
"""How often a waiting caller gets a progress item (so it can stop or notice a closed page)."""


@dataclass(frozen=True)
class Progress:
    """Where an answer stands: the index still opening (just after start-up), waiting for a lane, searching,
    preparing the local model (first use), loading it, the model reading its prompt, or writing (its text is
    verified before it is shown); after an instant answer, refining its short answer."""

    stage: Stage
    percent: int | None = None
    """For `preparing`: how much of the model file is assembled and checked."""
    ahead: int = 0
    """For `waiting`: generations before this one."""


class Lane:
    """At most `width` generations at once, first come first served; the others know their place."""

    def __init__(self, width: int) -> None:
        self.width = width
        self._cond = threading.Condition()
        self._waiting: list[object] = []
        self._running = 0

    def wait(self, ticket: object, timeout: float) -> int | None:
        """None once `ticket` is admitted (call `release` when done); otherwise how many are ahead of it."""
        with self._cond:
            if ticket not in self._waiting:
                self._waiting.append(ticket)
            if not self._admit(ticket):
                self._cond.wait(timeout)
                if not self._admit(ticket):
                    return self._waiting.index(ticket) + self._running
            return None

    def leave(self, ticket: object) -> None:
        """Give up waiting (the caller stopped before its turn)."""
        with self._cond:
            if ticket in self._waiting:
                self._waiting.remove(ticket)
                self._cond.notify_all()

    def release(self) -> None:
        with self._cond:
            self._running -= 1
            self._cond.notify_all()

    def _admit(self, ticket: object) -> bool:
        if self._waiting.index(ticket) < self.width - self._running:
            self._waiting.remove(ticket)
            self._running += 1
            return True
        return False


Item = Progress | Answer
Work = Callable[[Callable[[Item], None], threading.Event], None]
"""What a run does: report items through the first argument; stop early once the event is set."""


class Run:
    """`work` in a daemon thread; `items` yields what it reports, or the last progress again every POLL_S."""

    def __init__(self, work: Work, on_exit: Callable[[], None] | None = None) -> None:
        self.stop = threading.Event()
        self._items: queue.Queue = queue.Queue()
        self._done = object()
        self._error: list[BaseException] = []

        def main() -> None:
            try:
                work(self._items.put, self.stop)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller in items()
                self._error.append(exc)
            finally:
                if on_exit is not None:
                    on_exit()
                self._items.put(self._done)

        self._thread = threading.Thread(target=main, daemon=True, name="answer-run")
        self._thread.start()

    def items(self, cancel: threading.Event | None = None, start: object = None) -> Iterator[Item]:
        """What the run reports, until its end (an answer may be followed by a refined one); stops (and stops
        the run) when `cancel` is set or the caller closes this iterator. A failure in the run is raised here.
        While nothing new comes, the last progress is repeated (`start` before any; default: searching)."""
        last = start if start is not None else Progress("searching")
        try:
            while not (cancel is not None and cancel.is_set()):
                try:
                    item = self._items.get(timeout=POLL_S)
                except queue.Empty:
                    yield last
                    continue
                if item is self._done:
                    if self._error:
                        raise self._error[0]
                    return
                if not isinstance(item, Answer):
                    last = item
                yield item
        finally:
            self.stop.set()

    def join(self, timeout: float | None = None) -> bool:
        """True when the worker has finished (tests use it to see that a stop really stopped it)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()


__all__ = ["Lane", "Progress", "Run", "Stage"]
