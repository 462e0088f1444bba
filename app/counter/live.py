"""Live events of a ward's queue, for the board, the counter pages and the phones following a ticket.

    await live.publish(ward_id, "call", label="A012", counter=2)     # after (or inside) the change's transaction
    async with live.subscribe(ward_id) as events:                    # one open page
        event = await events.next(timeout=15)                        # a dict, or None when nothing came

Every worker must see every event, whichever worker made the change:
- PostgreSQL: `pg_notify` on one channel, and one LISTEN connection per worker that hands each event to the
  pages open on that worker. NOTIFY is transactional: sent inside the request's transaction it is delivered
  when that transaction commits, so a page that reads the queue on an event always reads the committed change
  (Litestar's channels backend publishes on a connection of its own, before the change is visible).
- SQLite (one worker by design): an in-memory fan-out; callers publish after their write has committed.

An event is small JSON (`{"ward": 3, "kind": "call", ...}`); pages read the state they show from the database.
If the LISTEN connection is lost, every open page is sent a `resync` event once it is back, since events of the
gap may be lost; pages answer any event by reading the full state, so nothing is ever missed for long.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from piccolo.querystring import QueryString

from app.db import DB, is_postgres

CHANNEL = "counter_live"
QUEUE_SIZE = 64  # a page this far behind gets a resync instead of every event
log = logging.getLogger(__name__)


class Subscription:
    def __init__(self, ward_id: int) -> None:
        self.ward_id = ward_id
        self._queue: asyncio.Queue[dict] = asyncio.Queue(maxsize=QUEUE_SIZE)

    def _put(self, event: dict) -> None:
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:  # a slow reader: drop what it has not read, tell it to read everything
            while not self._queue.empty():
                self._queue.get_nowait()
            self._queue.put_nowait({"ward": self.ward_id, "kind": "resync", "seq": next_seq()})

    async def next(self, timeout: float | None = None) -> dict | None:
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None


_subscribers: dict[int, set[Subscription]] = {}
_seq = 0  # every event delivered in this worker gets the next number: pages share one read per event


def next_seq() -> int:
    """A number later than every event delivered so far (to ask for a fresh read without an event)."""
    global _seq
    _seq += 1
    return _seq


def current_seq() -> int:
    return _seq


def _deliver(event: dict) -> None:
    event["seq"] = next_seq()
    ward_id = event.get("ward")
    for subscription in list(_subscribers.get(ward_id, ())):  # type: ignore[arg-type]
        subscription._put(event)


def _deliver_everywhere(kind: str) -> None:
    for ward_id, subscriptions in list(_subscribers.items()):
        for subscription in list(subscriptions):
            subscription._put({"ward": ward_id, "kind": kind, "seq": next_seq()})


async def publish(ward_id: int, kind: str, **data: Any) -> None:
    """Tell every open page of the ward that something happened. On PostgreSQL inside a transaction it is
    delivered at commit (and never if the change rolls back)."""
    event = {**data, "ward": ward_id, "kind": kind}
    if is_postgres():
        await DB.run_querystring(QueryString("SELECT pg_notify({}, {})", CHANNEL, json.dumps(event)))
    else:
        _deliver(event)


@contextlib.asynccontextmanager
async def subscribe(ward_id: int) -> AsyncIterator[Subscription]:
    if is_postgres():
        await _listener.start()
    subscription = Subscription(ward_id)
    _subscribers.setdefault(ward_id, set()).add(subscription)
    try:
        yield subscription
    finally:
        subscriptions = _subscribers.get(ward_id, set())
        subscriptions.discard(subscription)
        if not subscriptions:
            _subscribers.pop(ward_id, None)


def subscriber_count() -> int:
    return sum(len(s) for s in _subscribers.values())


class _Listener:
    """This worker's LISTEN connection (PostgreSQL), started by the first page that subscribes and kept up:
    reconnected after a loss, with a resync to every page."""

    RETRY_SECONDS = 1.0

    def __init__(self) -> None:
        self._task: asyncio.Task | None = None
        self._ready: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._loop is not loop:
            self._loop = loop
            self._ready = asyncio.Event()
            self._task = loop.create_task(self._run(), name="counter-live-listener")
        with contextlib.suppress(TimeoutError):  # a page opens even if the database is slow to answer
            await asyncio.wait_for(self._ready.wait(), 5)  # type: ignore[union-attr]

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def _on_notify(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        try:
            event = json.loads(payload)
        except ValueError:
            return
        if isinstance(event, dict):
            _deliver(event)

    async def _run(self) -> None:
        import asyncpg

        from app.db import postgres_config
        from app.settings import get_settings

        first = True
        while True:
            lost = asyncio.Event()
            connection = None
            try:
                connection = await asyncpg.connect(**postgres_config(get_settings().database_url))
                connection.add_termination_listener(lambda _c, lost=lost: lost.set())
                await connection.add_listener(CHANNEL, self._on_notify)
                if not first:
                    _deliver_everywhere("resync")
                first = False
                self._ready.set()  # type: ignore[union-attr]
                await lost.wait()
                log.warning("live events: the LISTEN connection was lost; reconnecting")
            except asyncio.CancelledError:
                if connection is not None and not connection.is_closed():
                    with contextlib.suppress(Exception):
                        await asyncio.shield(connection.close(timeout=2))
                raise
            except Exception as exc:  # noqa: BLE001 - any failure: wait and connect again
                log.warning("live events: cannot listen (%s); retrying", exc)
            await asyncio.sleep(self.RETRY_SECONDS)


_listener = _Listener()


async def stop() -> None:
    """Close this worker's LISTEN connection (on shutdown)."""
    await _listener.stop()
