"""The board and a ticket's phone page live, read as a TV and a phone read them: server-sent events from the real
server (uvicorn in a subprocess), while an officer calls at the counter page."""

import asyncio
import time

import httpx

from app.counter.tables import Ticket
from tests.helpers import Browser, seen
from tests.live_server import live_server
from tests.queue_fixtures import make_counter, make_groups

__all__ = ["live_server"]
WAIT_SECONDS = 10.0


class EventReader:
    """Server-sent events off a streamed response, one (event, data) at a time."""

    def __init__(self, response: httpx.Response) -> None:
        self.lines = response.aiter_lines()

    async def next(self, kind: str, timeout: float = WAIT_SECONDS) -> str:
        async def read() -> str:
            event, data = "", []
            async for line in self.lines:
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].removeprefix(" "))
                elif not line:
                    if event == kind:
                        return "\n".join(data)
                    event, data = "", []
            raise AssertionError("the stream ended")

        return await asyncio.wait_for(read(), timeout)


async def _officer(url: str, phone: str) -> Browser:
    client = httpx.AsyncClient(base_url=url, timeout=WAIT_SECONDS)
    client.cookies.set("lang", "en", domain="127.0.0.1")
    b = Browser(client)
    await b.login(phone)
    return b


async def test_the_board_shows_a_call_live_and_a_reconnect_gets_the_whole_state(world, live_server):
    groups = await make_groups(world.a.id)
    counter = await make_counter(world.a.id, 3, [groups["A"]])
    officer = await _officer(live_server.url, world.a.officer)
    try:
        assert (await officer.post("/w/ward-a/kiosk/tickets", {"group": str(groups["A"])})).status_code == 303
        async with (
            httpx.AsyncClient(base_url=live_server.url, timeout=WAIT_SECONDS) as tv,
            tv.stream("GET", "/w/ward-a/board/stream", cookies={"lang": "en"}) as stream,
        ):
            assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
            events = EventReader(stream)
            first = await events.next("board")  # the whole state on connect
            assert "A001" in first and "Counter 3" in first
            started = time.monotonic()
            called = await officer.post(f"/w/ward-a/counters/{counter}", {"action": "call"})
            assert called.status_code == 303
            call = await events.next("call")
            elapsed = time.monotonic() - started
            assert "A001" in call and "Counter 3" in call
            assert "A001" in await events.next("board")
            assert elapsed < WAIT_SECONDS
        # The TV lost its connection and comes back: the first event already shows who is called.
        async with (
            httpx.AsyncClient(base_url=live_server.url, timeout=WAIT_SECONDS) as tv,
            tv.stream("GET", "/w/ward-a/board/stream", cookies={"lang": "en"}) as stream,
        ):
            snapshot = await EventReader(stream).next("board")
            assert "A001" in snapshot and "—" not in snapshot.split("A001")[0].split("Counter 3")[-1]
    finally:
        await officer.client.aclose()


async def test_the_phone_page_follows_the_ticket_live(world, live_server):
    groups = await make_groups(world.a.id)
    counter = await make_counter(world.a.id, 1, [groups["A"]])
    officer = await _officer(live_server.url, world.a.officer)
    try:
        for _ in range(2):
            await officer.post("/w/ward-a/kiosk/tickets", {"group": str(groups["A"])})
        token = (await seen(Ticket.select(Ticket.token).where(Ticket.label == "A002")))[0]["token"]
        async with (
            httpx.AsyncClient(base_url=live_server.url, timeout=WAIT_SECONDS) as phone,
            phone.stream("GET", f"/w/ward-a/t/{token}/stream", cookies={"lang": "en"}) as stream,
        ):
            events = EventReader(stream)
            assert "1 person ahead of you" in await events.next("ticket")
            assert (await officer.post(f"/w/ward-a/counters/{counter}", {"action": "call"})).status_code == 303
            assert "You are next." in await events.next("ticket")
            await officer.post(f"/w/ward-a/counters/{counter}", {"action": "start"})
            await events.next("ticket")
            assert (await officer.post(f"/w/ward-a/counters/{counter}", {"action": "call"})).status_code == 303
            assert "please go to counter 1" in await events.next("ticket")
    finally:
        await officer.client.aclose()
