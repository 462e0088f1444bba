"""The board on the TV (public: numbers and counters only, never names) and a ticket's page on the holder's phone,
both live over server-sent events.

A stream starts with the full state, so a page that reconnects (the TV lost Wi-Fi, the server restarted) is
right at once; then it sends the state again on every event of the ward, and a comment every few seconds that
keeps proxies from closing a quiet connection and lets the server notice a page that is gone. `retry` asks the
browser to come back within seconds when the stream ends. The streams hold no database connection between
events: they read through `board.shared_state` (one read per event per worker, shared by all pages).
"""

from __future__ import annotations

import random
import time
from collections.abc import AsyncIterator, Callable

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import ServerSentEvent, Template
from litestar.response.sse import ServerSentEventMessage

from app.counter import live, tickets
from app.counter.board import QueueState, read_state, shared_state
from app.counter.close_day import close_past_days
from app.i18n import current_locale, gettext
from app.web.templating import render
from tenants.resolve import WardContext
from tenants.scope import ward_scope

PUBLIC = {"public": True}
RETRY_MS = 500  # the browser reconnects this soon after a stream ends
KEEPALIVE_SECONDS = 15.0
REFRESH_EVERY = 4  # keep-alives between full reads without an event (a booked slot starting changes the order)
# A stream ends by itself after about a minute and the browser reconnects (`retry`): uvicorn waits for open
# responses before a worker stops, so a TV left on would otherwise hold up every restart; it also spreads the
# screens again over the workers. The reconnect's first frames are the whole state, so nothing is missed.
STREAM_SECONDS = 60.0
STREAM_JITTER = 30.0  # not every screen at once


def _stream_deadline() -> float:
    return time.monotonic() + STREAM_SECONDS + random.uniform(0, STREAM_JITTER)


def _render(request: Request, name: str, **context: object) -> str:
    template = request.app.template_engine.get_template(name)  # type: ignore[union-attr]
    return template.render(**context)


def _say(state: QueueState) -> str:
    """The words the board speaks for the latest call (where the TV's browser has a Vietnamese voice)."""
    call = state.last_call
    if not call:
        return ""
    return gettext("Number %(label)s, please come to counter %(counter)s", label=call["label"], counter=call["counter"])


async def _events(
    ward_id: int, frames: Callable[[QueueState, dict | None], list[ServerSentEventMessage]]
) -> AsyncIterator[ServerSentEventMessage]:
    deadline = _stream_deadline()
    async with live.subscribe(ward_id) as subscription:
        state = await shared_state(ward_id, live.next_seq())  # a fresh read: whatever changed while it was away
        for frame in frames(state, None):
            yield frame
        quiet = 0
        while (left := deadline - time.monotonic()) > 0:
            event = await subscription.next(timeout=min(KEEPALIVE_SECONDS, left))
            if event is None:
                if time.monotonic() >= deadline:
                    return
                quiet += 1
                if quiet % REFRESH_EVERY:
                    yield ServerSentEventMessage(comment="keep-alive", data=None)
                    continue
                seq = live.next_seq()
            else:
                seq = event["seq"]
            state = await shared_state(ward_id, seq)
            for frame in frames(state, event):
                yield frame


# The last frames rendered per (ward, language, call or not), with the state they show: fifty boards open on one
# worker render an event once, not fifty times.
_board_frames: dict[tuple[int, str, bool], tuple[QueueState, list[ServerSentEventMessage]]] = {}


def _board_context(ward: WardContext, state: QueueState) -> dict:
    return {"ward": ward, "state": state, "say": _say(state)}


@get("/board", name="board", opt=PUBLIC, include_in_schema=False)
async def board(ward: NamedDependency[WardContext]) -> Template:
    await close_past_days()
    state = await read_state()
    return render("counter/board.html", retry=RETRY_MS, **_board_context(ward, state))


@get("/board/stream", name="board_stream", opt=PUBLIC, include_in_schema=False)
async def board_stream(request: Request) -> ServerSentEvent:
    # No `ward` dependency: it would hold a transaction open for as long as the TV is on.
    ward: WardContext = request.state.ward

    locale = current_locale()

    def frames(state: QueueState, event: dict | None) -> list[ServerSentEventMessage]:
        # On (re)connecting the latest call goes too: the page chimes only if it had not shown that call yet.
        is_call = event is None or event.get("kind") == "call"
        key = (ward.id, locale, is_call)
        kept = _board_frames.get(key)
        if kept is not None and kept[0] is state:  # another board of this worker rendered this state already
            return kept[1]
        context = _board_context(ward, state)
        out = []
        if is_call:
            call = _render(request, "counter/_board_call.html", **context)
            out.append(ServerSentEventMessage(event="call", data=call))
        board_html = _render(request, "counter/_board.html", **context)
        out.append(ServerSentEventMessage(event="board", data=board_html, retry=RETRY_MS))
        _board_frames[key] = (state, out)
        return out

    return ServerSentEvent(_events(ward.id, frames), headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def _ticket_or_404(token: str) -> dict:
    row = await tickets.ticket_by_token(token)
    if row is None:
        raise NotFoundException()
    return row


def _ticket_context(ward: WardContext, row: dict, state: QueueState) -> dict:
    counter = next((c for c in state.counters if c.id == row["counter"]), None)
    return {
        "ward": ward,
        "ticket": row,
        "group": state.group(row["service_group"]),
        "place": state.place_of(row),
        "counter": counter,
        "state": state,
    }


@get("/t/{token:str}", name="ticket_page", opt=PUBLIC, include_in_schema=False)
async def ticket_page(ward: NamedDependency[WardContext], token: FromPath[str]) -> Template:
    row = await _ticket_or_404(token)
    state = await read_state()
    return render("counter/ticket.html", retry=RETRY_MS, **_ticket_context(ward, row, state))


@get("/t/{token:str}/stream", name="ticket_stream", opt=PUBLIC, include_in_schema=False)
async def ticket_stream(request: Request, token: FromPath[str]) -> ServerSentEvent:
    ward: WardContext = request.state.ward
    async with ward_scope(ward.id):
        await _ticket_or_404(token)

    return ServerSentEvent(
        _ticket_frames(request, ward, token), headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )


async def _ticket_frames(request: Request, ward: WardContext, token: str) -> AsyncIterator[ServerSentEventMessage]:
    deadline = _stream_deadline()
    async with live.subscribe(ward.id) as subscription:
        seq = live.next_seq()
        quiet = 0
        while time.monotonic() < deadline:
            state = await shared_state(ward.id, seq)
            async with ward_scope(ward.id):
                row = await tickets.ticket_by_token(token)
            if row is None:
                return
            html = _render(request, "counter/_ticket_live.html", **_ticket_context(ward, row, state))
            yield ServerSentEventMessage(event="ticket", data=html, retry=RETRY_MS)
            while (left := deadline - time.monotonic()) > 0:
                event = await subscription.next(timeout=min(KEEPALIVE_SECONDS, left))
                if event is not None:
                    seq = event["seq"]
                    break
                quiet += 1
                if quiet % REFRESH_EVERY == 0:
                    seq = live.next_seq()
                    break
                yield ServerSentEventMessage(comment="keep-alive", data=None)


ROUTES = [board, board_stream, ticket_page, ticket_stream]
