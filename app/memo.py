"""Short-lived, per-process copies of what nearly every request reads and officers rarely change: the ward a
URL names, its notification channels, its booking settings and closed days, the procedure booked.

Reading these again on each request would be a round trip and most of the query-building work each (a booking
is a handful of statements; finding the ward was one more on every ward page). A change made in this process
clears the copies at once (`forget`); other worker processes see it within `[database] memo_seconds` (5 s).
What is kept is never a count that decides anything (a slot's seats are always counted by the database, in
the booking's transaction), and inside a ward scope the copy belongs to that ward alone.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from app.settings import get_settings
from tenants.scope import current_ward_id, has_ward_scope

MAX_ENTRIES = 20_000

_kept: dict[tuple[str, Any, Any], tuple[float, Any]] = {}


async def kept(kind: str, key: Any, load: Callable[[], Awaitable[Any]]) -> Any:
    """The `kind`/`key` value (of the current ward, inside a ward scope), loaded by `load()` when missing or
    older than `memo_seconds`. Callers must not change what they get."""
    entry_key = (kind, current_ward_id() if has_ward_scope() else None, key)
    now = time.monotonic()
    entry = _kept.get(entry_key)
    if entry is not None and entry[0] > now:
        return entry[1]
    value = await load()
    if len(_kept) >= MAX_ENTRIES:
        _kept.clear()
    _kept[entry_key] = (now + get_settings().file.database.memo_seconds, value)
    return value


def forget() -> None:
    """Something kept changed in this process: read it afresh."""
    _kept.clear()
