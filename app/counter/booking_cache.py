"""Short-lived, per-process copies of what every booking reads and officers rarely change: the ward's slot
settings, its closed days and the procedure booked.

A booking is a handful of statements; reading these three again each time would be three more round trips
and most of the query-building work. A change made in this process clears the copies at once (`forget`);
other worker processes see it within `TTL_SECONDS`. What is kept is never the capacity: seats are always
counted by the database, in the booking's transaction.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from tenants.scope import current_ward_id

TTL_SECONDS = 5.0
MAX_ENTRIES = 20_000

_kept: dict[tuple[str, int, Any], tuple[float, Any]] = {}


async def kept(kind: str, key: Any, load: Callable[[], Awaitable[Any]]) -> Any:
    """The current ward's `kind`/`key` value, loaded by `load()` when missing or older than the TTL. Callers
    must not change what they get."""
    entry_key = (kind, current_ward_id(), key)
    now = time.monotonic()
    entry = _kept.get(entry_key)
    if entry is not None and entry[0] > now:
        return entry[1]
    value = await load()
    if len(_kept) >= MAX_ENTRIES:
        _kept.clear()
    _kept[entry_key] = (now + TTL_SECONDS, value)
    return value


def forget() -> None:
    """Something kept changed in this process: read it afresh."""
    _kept.clear()
