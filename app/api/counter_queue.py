"""The queue API under /api/v1/w/<ward>/: today's queue, the ward's counters and their actions, a walk-in number.

The actions call the very services the counter page calls (`app.counter.tickets`), so a call made from a desk
application reaches the board and the phones exactly as one made on the page. Officers only; a counter of
another ward is 404. A rule that refuses (nobody waiting, a paused counter) answers 409 with its message, in the
language of Accept-Language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath, HeaderParameter, JSONBody

from app.accounts.tables import Role
from app.api.housing import _once_token, _rule_error, _undecodable
from app.counter import tickets
from app.counter.board import read_state
from app.counter.counters import list_counters
from app.counter.desk_controllers import do
from app.counter.kiosk_controllers import ticket_url
from app.counter.tables import Priority
from app.errors import RuleError
from app.i18n import _l
from tenants.resolve import WardContext

OFFICER = {"roles": {Role.officer}}


class TicketOut(msgspec.Struct):
    id: int
    label: str
    group_id: int
    status: str
    priority: str
    counter_id: int | None
    arrived_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    recall_count: int
    url: str  # the ticket's public page (its QR)


class CounterOut(msgspec.Struct):
    id: int
    number: int
    name: str
    group_ids: list[int]
    paused: bool
    pause_reason: str
    now: str  # the number called or served there now, or ""


class GroupQueueOut(msgspec.Struct):
    id: int
    letter: str
    name: str
    waiting: list[str]  # labels in call order
    minutes_per_service: float


class QueueOut(msgspec.Struct):
    counters: list[CounterOut]
    groups: list[GroupQueueOut]


class CallIn(msgspec.Struct):
    label: str = ""  # call this number (e.g. "A012") instead of the next in order


class TransferIn(msgspec.Struct):
    to_counter: int | None = None
    to_group: int | None = None


class PauseIn(msgspec.Struct):
    reason: str


class WalkInIn(msgspec.Struct):
    group_id: int
    priority: Annotated[str, msgspec.Meta(description="'', 'elderly' or 'disabled'")] = ""


def _ticket_out(ward: WardContext, row: dict) -> TicketOut:
    return TicketOut(
        id=row["id"], label=row["label"], group_id=row["service_group"], status=row["status"],
        priority=row["priority"], counter_id=row["counter"], arrived_at=row["arrived_at"],
        called_at=row["called_at"], started_at=row["started_at"], ended_at=row["ended_at"],
        recall_count=row["recall_count"], url=ticket_url(ward, row["token"]),
    )  # fmt: skip


async def _queue() -> QueueOut:
    state = await read_state()
    return QueueOut(
        counters=[
            CounterOut(c.id, c.number, c.name, c.groups, c.paused, c.pause_reason, c.label) for c in state.counters
        ],
        groups=[GroupQueueOut(g.id, g.letter, g.name, g.labels, round(g.pace, 1)) for g in state.groups],
    )


@get("/queue", summary="Today's queue: who is at each counter, who waits in each group (call order)", opt=OFFICER)
async def queue_today(ward: NamedDependency[WardContext]) -> QueueOut:
    return await _queue()


@get("/counters", summary="The ward's open counters", opt=OFFICER)
async def counters_list(ward: NamedDependency[WardContext]) -> list[CounterOut]:
    state = await read_state()
    now = {c.id: c.label for c in state.counters}
    return [
        CounterOut(c["id"], c["number"], c["name"], c["groups"], c["paused"], c["pause_reason"], now.get(c["id"], ""))
        for c in await list_counters()
    ]


async def _act(request: Request, ward: WardContext, counter_id: int, action: str, data: dict) -> TicketOut:
    try:
        row = await do(counter_id, action, data, officer_id=request.scope["user"].id)
    except LookupError:
        raise NotFoundException() from None
    fresh = await tickets.ticket(row["id"])  # type: ignore[index]
    return _ticket_out(ward, fresh)  # type: ignore[arg-type]


@post("/counters/{counter_id:int}/call", summary="Call the next number, or a given one", opt=OFFICER, status_code=200)
async def counter_call(
    request: Request,
    ward: NamedDependency[WardContext],
    counter_id: FromPath[int],
    data: JSONBody[CallIn | None] = None,
) -> TicketOut:
    return await _act(request, ward, counter_id, "call", {"label": (data or CallIn()).label})


def _simple(action: str, summary: str):
    @post(f"/counters/{{counter_id:int}}/{action}", summary=summary, opt=OFFICER, status_code=200, name=f"api_{action}")
    async def handler(request: Request, ward: NamedDependency[WardContext], counter_id: FromPath[int]) -> TicketOut:
        return await _act(request, ward, counter_id, action, {})

    handler.__name__ = f"counter_{action}"
    return handler


counter_recall = _simple("recall", "Call the person at this counter again")
counter_start = _simple("start", "The called person is here: start serving")
counter_finish = _simple("finish", "Finish the service at this counter")
counter_skip = _simple("skip", "The called person did not come: no-show")


@post(
    "/counters/{counter_id:int}/transfer",
    summary="Send the current person to another counter or group",
    opt=OFFICER,
    status_code=200,
)
async def counter_transfer(
    request: Request, ward: NamedDependency[WardContext], counter_id: FromPath[int], data: JSONBody[TransferIn]
) -> TicketOut:
    to = f"c{data.to_counter}" if data.to_counter else f"g{data.to_group}" if data.to_group else ""
    return await _act(request, ward, counter_id, "transfer", {"to": to})


async def _counter_out(counter_id: int) -> CounterOut:
    return next(c for c in (await _queue()).counters if c.id == counter_id)


@post(
    "/counters/{counter_id:int}/pause",
    summary="Pause the counter, with the reason the board shows",
    opt=OFFICER,
    status_code=200,
)
async def counter_pause(
    request: Request, ward: NamedDependency[WardContext], counter_id: FromPath[int], data: JSONBody[PauseIn]
) -> CounterOut:
    try:
        await do(counter_id, "pause", {"reason": data.reason}, officer_id=request.scope["user"].id)
    except LookupError:
        raise NotFoundException() from None
    return await _counter_out(counter_id)


@post("/counters/{counter_id:int}/resume", summary="Resume calling", opt=OFFICER, status_code=200)
async def counter_resume(request: Request, ward: NamedDependency[WardContext], counter_id: FromPath[int]) -> CounterOut:
    try:
        await do(counter_id, "resume", {}, officer_id=request.scope["user"].id)
    except LookupError:
        raise NotFoundException() from None
    return await _counter_out(counter_id)


IdempotencyKey = Annotated[str | None, HeaderParameter(name="Idempotency-Key", required=False)]


@post("/tickets", summary="A walk-in number for a group (as the kiosk gives)", opt=OFFICER, status_code=201)
async def ticket_take(
    request: Request,
    ward: NamedDependency[WardContext],
    data: JSONBody[WalkInIn],
    idempotency_key: IdempotencyKey = None,
) -> TicketOut:
    if data.priority not in (Priority.none, Priority.elderly, Priority.disabled):
        raise RuleError(_l("Choose one of the options."), field="priority")
    ticket_id = await tickets.take_walk_in(
        data.group_id, priority=data.priority, form_token=_once_token(request, idempotency_key) or None
    )
    return _ticket_out(ward, await tickets.ticket(ticket_id))  # type: ignore[arg-type]


counter_queue_api = Router(
    path="/",
    route_handlers=[
        queue_today,
        counters_list,
        counter_call,
        counter_recall,
        counter_start,
        counter_finish,
        counter_skip,
        counter_transfer,
        counter_pause,
        counter_resume,
        ticket_take,
    ],
    exception_handlers={RuleError: _rule_error, ValidationException: _undecodable},  # type: ignore[dict-item]
    tags=["queue"],
)
