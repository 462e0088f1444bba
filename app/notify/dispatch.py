"""The dispatcher: claims due messages, sends them, and records the outcome.

Several dispatchers may run at once (every app worker runs one, cron may run `litestar notify dispatch`), so
a message is *claimed* before it is sent: in one short transaction its status becomes `sending` with a
deadline (`locked_until`) and its attempt count goes up. PostgreSQL picks the rows with `FOR UPDATE SKIP
LOCKED`, so two dispatchers never claim the same row and never wait for each other; SQLite has one writer at
a time, which serialises the claims. The claim is committed before anything leaves, and the outcome is
written only by the claim's owner (matched on its attempt number), so a message is sent by one dispatcher.

A dispatcher that dies mid-send leaves a claim that lapses after `notify.claim_seconds`; the message is then
claimed again. A failure is retried with exponential back-off (`retry_base_seconds` doubled per attempt);
after `max_attempts`, or at once when the provider refuses for good, the message is dead.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.db import is_postgres, write_transaction
from app.notify.registry import UnknownEvent, get_event
from app.notify.service import ward_of
from app.notify.tables import MessageStatus, OutboxMessage, PlatformMessage
from app.notify.templates import render
from app.notify.transports import TRANSPORTS, Outgoing, TransportError
from app.settings import get_settings
from tenants.scope import across_wards, ward_scope

log = logging.getLogger("app.notify")


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    dead: int = 0

    def __iadd__(self, other: Outcome) -> Outcome:
        self.sent += other.sent
        self.retried += other.retried
        self.dead += other.dead
        return self


def _now() -> datetime:
    return datetime.now(UTC)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: base, 2 x base, 4 x base, ... (at most a day)."""
    base = get_settings().file.notify.retry_base_seconds
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 86_400))


def _helpers(table):
    """The same calls for both outboxes: a ward's (through the scope helpers, across wards) or the platform's."""
    if table is OutboxMessage:
        return OutboxMessage.ward_select, OutboxMessage.ward_update
    return PlatformMessage.select, PlatformMessage.update


async def claim(table, limit: int, now: datetime | None = None) -> list[dict]:
    """Take up to `limit` due messages (pending and due, or claimed by a dispatcher whose claim lapsed)."""
    now = now or _now()
    settings = get_settings().file.notify
    select, update = _helpers(table)
    due = ((table.status == MessageStatus.pending) & (table.next_attempt_at <= now)) | (
        (table.status == MessageStatus.sending) & (table.locked_until < now)
    )
    async with across_wards():
        # A plain read first: an idle poll takes no write transaction (SQLite's one writer stays free).
        if not await select(table.id).where(due).limit(1):
            return []
    async with across_wards(), write_transaction():
        query = select(table.id).where(due).order_by(table.next_attempt_at).limit(limit)
        if is_postgres():
            query = query.lock_rows("UPDATE", skip_locked=True)
        ids = [row["id"] for row in await query]
        if not ids:
            return []
        return (
            await update(
                {
                    table.status: MessageStatus.sending,
                    table.locked_until: now + timedelta(seconds=settings.claim_seconds),
                    table.attempts: table.attempts + 1,
                }
            )
            .where(table.id.is_in(ids))
            .returning(*table.all_columns())
        )


async def _ward_code(ward_id: int | None) -> int | None:
    return None if ward_id is None else (await ward_of(ward_id))["code"]


def _scope_of(table, message: dict):
    # The outcome is written in the message's own ward (row-level security's ward), a platform message in none.
    return ward_scope(message["ward"]) if table is OutboxMessage else contextlib.nullcontext()


async def _finish(table, message: dict, values: dict, *, then=None) -> None:
    _select, update = _helpers(table)
    async with _scope_of(table, message), write_transaction():
        # Only the claim's owner writes the outcome: a lapsed claim taken over by another has a new attempt.
        done = (
            await update(values)
            .where((table.id == message["id"]) & (table.attempts == message["attempts"]))
            .returning(table.id)
        )
        if done and then is not None:
            await then()


async def _by_sms_instead(table, message: dict) -> None:
    """A Zalo message that cannot be delivered (the number has no Zalo account, the template was withdrawn)
    goes by SMS, where the ward sends SMS: one more message row, unique like the first."""
    from app.notify.service import _insert_messages, ward_channels

    if "sms" not in await ward_channels(message.get("ward")):
        return
    now = _now()
    row = {name: message[name] for name in ("event", "address", "user_id", "locale", "data", "essential")}
    row |= {
        "channel": "sms",
        "dedupe_key": message["dedupe_key"].removesuffix("|zalo") + "|sms",
        "next_attempt_at": now,
        "created_at": now,
    }
    await _insert_messages(table, [row])


async def _renew(table, message: dict) -> bool:
    """Renew this dispatcher's claim just before sending. A batch is sent one message after another, so with a
    slow gateway the claim of a message late in the batch may have lapsed and another dispatcher taken it (a
    new attempt): then this one must not send it too. False when the claim is no longer ours."""
    _select, update = _helpers(table)
    seconds = get_settings().file.notify.claim_seconds
    async with _scope_of(table, message), write_transaction():
        return bool(
            await update({table.locked_until: _now() + timedelta(seconds=seconds)})
            .where(
                (table.id == message["id"])
                & (table.attempts == message["attempts"])
                & (table.status == MessageStatus.sending)
            )
            .returning(table.id)
        )


async def deliver(table, message: dict) -> Outcome:
    settings = get_settings().file.notify
    data = json.loads(message["data"] or "{}")
    if not await _renew(table, message):
        return Outcome()  # another dispatcher holds it now
    try:
        event = get_event(message["event"])
        outgoing = Outgoing(
            channel=message["channel"],
            address=message["address"],
            event=message["event"],
            rendered=render(event, data, message["locale"]),
            data=data,
            key=("w" if table is OutboxMessage else "p") + str(message["id"]),  # stable across retries
            ward_code=await _ward_code(message.get("ward")),
        )
        reference = await TRANSPORTS[message["channel"]](outgoing)
    except Exception as exc:  # whatever went wrong is recorded on the message, never lost
        # A provider's refusal or a message whose event is gone will not pass later; anything else (a bug in
        # a template, say) is retried like a gateway's failure and ends dead, visible to the officers.
        permanent = exc.permanent if isinstance(exc, TransportError) else isinstance(exc, UnknownEvent)
        if not isinstance(exc, TransportError):
            log.exception("message %s", message["id"])
        error = str(exc)[:1000] or type(exc).__name__
        if permanent or message["attempts"] >= settings.max_attempts:
            log.warning("message %s dead after %s attempts: %s", message["id"], message["attempts"], error)
            fallback = (lambda: _by_sms_instead(table, message)) if message["channel"] == "zalo" else None
            await _finish(table, message, {table.status: MessageStatus.dead, table.last_error: error}, then=fallback)
            return Outcome(dead=1)
        await _finish(
            table,
            message,
            {
                table.status: MessageStatus.pending,
                table.next_attempt_at: _now() + backoff(message["attempts"]),
                table.last_error: error,
            },
        )
        return Outcome(retried=1)
    await _finish(
        table,
        message,
        {table.status: MessageStatus.sent, table.sent_at: _now(), table.provider_ref: reference, table.last_error: ""},
    )
    return Outcome(sent=1)


async def dispatch_once(limit: int | None = None) -> Outcome:
    """Claim and send one batch from each outbox."""
    limit = limit or get_settings().file.notify.batch
    outcome = Outcome()
    for table in (OutboxMessage, PlatformMessage):
        for message in await claim(table, limit):
            if _stopping.is_set():
                break  # the worker is stopping: the rest of the batch is taken again once its claim lapses
            outcome += await deliver(table, message)
    return outcome


async def dispatch_all(limit: int | None = None) -> Outcome:
    """Send until nothing is due (the CLI's run)."""
    total = Outcome()
    while True:
        outcome = await dispatch_once(limit)
        total += outcome
        if not (outcome.sent or outcome.retried or outcome.dead):
            return total


_wake = asyncio.Event()
_stopping = asyncio.Event()
_task: list[asyncio.Task] = []
STOP_SECONDS = 5.0


def wake() -> None:
    """Ask this worker's dispatcher to look now rather than at its next poll (after a commit that queued)."""
    _wake.set()


async def _loop() -> None:
    poll = get_settings().file.notify.poll_seconds
    while not _stopping.is_set():
        try:
            outcome = await dispatch_once()
            if outcome.sent or outcome.retried or outcome.dead:
                continue  # more may be due
        except Exception:
            log.exception("dispatcher")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(_wake.wait(), timeout=poll)
        _wake.clear()


def start() -> None:
    if get_settings().file.notify.dispatch and not _task:
        _stopping.clear()
        _task.append(asyncio.get_running_loop().create_task(_loop(), name="notify-dispatcher"))


async def stop() -> None:
    """Let the batch in hand finish, up to STOP_SECONDS, then cancel. A dispatcher cancelled in the middle of a
    statement kept its database connection busy on the server, and the worker waited for it at shutdown; what
    a cancel leaves claimed is taken again once its claim lapses, so nothing is lost either way."""
    _stopping.set()
    _wake.set()
    while _task:
        task = _task.pop()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=STOP_SECONDS)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
