"""The chat's search filter: publishers and a date range chosen on the page, checked before anything is
asked, kept with the turn and stated with its answer (a person must see that an answer was restricted)."""

from __future__ import annotations

import datetime as dt

from assistant import messages as msg
from assistant.app.ui.turns import TurnFilter
from assistant.ingest.records import date_key

_EPOCH = dt.date(1970, 1, 1)
_SHOWN_CHARS = 40
"""A bad date is quoted back this long at most."""


def chosen_filter(sources: object, since: str | None, until: str | None) -> tuple[TurnFilter | None, str]:
    """The filter as chosen (empty: every article), or None and a one-line Arabic reason. Dates are read as
    the CLI reads them and kept as ISO days."""
    days: list[str | None] = []
    for value in (since, until):
        text = (value or "").strip()
        key = date_key(text) if text else None
        if text and key is None:
            return None, msg.UI_FILTER_BAD_DATE.format(value=text[:_SHOWN_CHARS])
        days.append(None if key is None else (_EPOCH + dt.timedelta(days=key)).isoformat())
    if days[0] and days[1] and days[0] > days[1]:
        return None, msg.UI_FILTER_REVERSED
    names = sorted({s for s in sources if isinstance(s, str) and s.strip()}) if isinstance(sources, list) else []
    return TurnFilter(sources=names, since=days[0], until=days[1]), ""


def filter_note(chosen: TurnFilter) -> str:
    """«The search was restricted to: …» in Arabic; "" when it was not."""
    parts = []
    if chosen.sources:
        parts.append(msg.UI_FILTER_FROM_SOURCES.format(sources="، ".join(chosen.sources)))
    if chosen.since:
        parts.append(msg.UI_FILTER_SINCE_DAY.format(day=chosen.since))
    if chosen.until:
        parts.append(msg.UI_FILTER_UNTIL_DAY.format(day=chosen.until))
    return msg.UI_FILTER_IN_FORCE.format(what="، ".join(parts)) if parts else ""
