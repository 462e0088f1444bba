"""The counter page (officer), the counters list, the board and a ticket's page on a phone."""

import re

import pytest

from app.counter.tables import Counter, Ticket, TicketStatus
from tests.helpers import seen, text_of
from tests.queue_fixtures import make_counter, make_groups


@pytest.fixture
async def desk(browser, world):
    groups = await make_groups(world.a.id)
    c1 = await make_counter(world.a.id, 1, [groups["A"]])
    c2 = await make_counter(world.a.id, 2, [groups["A"], groups["B"]], name="Chứng thực")
    b = await browser()
    await b.login(world.a.officer)
    return {"b": b, "groups": groups, "c1": c1, "c2": c2}


async def _walk_in(b, group_id) -> str:
    response = await b.post("/w/ward-a/kiosk/tickets", {"group": str(group_id)})
    assert response.status_code == 303
    return response.headers["location"]


async def _act(b, counter_id, action, **data):
    return await b.post(f"/w/ward-a/counters/{counter_id}", {"action": action, **data})


async def _status(label):
    rows = await seen(Ticket.select(Ticket.status).where(Ticket.label == label).order_by(Ticket.id, ascending=False))
    return rows[0]["status"]


async def test_every_counter_action_from_the_page(desk):
    b, c1, c2 = desk["b"], desk["c1"], desk["c2"]
    for _ in range(3):
        await _walk_in(b, desk["groups"]["A"])
    page = await b.get(f"/w/ward-a/counters/{c1}")
    assert page.status_code == 200 and "3 waiting" in text_of(page.text)

    assert (await _act(b, c1, "call")).status_code == 303
    page = text_of((await b.get(f"/w/ward-a/counters/{c1}")).text)
    assert "A001" in page and "Start serving" in page and "2 waiting" in page
    await _act(b, c1, "recall")
    assert "called again 1 time" in text_of((await b.get(f"/w/ward-a/counters/{c1}")).text)
    await _act(b, c1, "start")
    assert await _status("A001") == TicketStatus.serving
    await _act(b, c1, "call")  # finish and call next
    assert await _status("A001") == TicketStatus.done and await _status("A002") == TicketStatus.called
    await _act(b, c1, "skip")
    assert await _status("A002") == TicketStatus.no_show
    await _act(b, c1, "call", label="A003")
    await _act(b, c1, "transfer", to=f"c{c2}")
    assert await _status("A003") == TicketStatus.waiting
    page = text_of((await b.get(f"/w/ward-a/counters/{c2}")).text)
    assert "A003" in page and "sent here" in page
    await _act(b, c2, "call")
    await _act(b, c2, "finish")
    assert await _status("A003") == TicketStatus.done
    await _act(b, c1, "call", label="A002")  # the skipped person came back
    assert await _status("A002") == TicketStatus.called


async def test_pause_needs_a_reason_and_shows_on_the_board(desk, browser):
    b, c1 = desk["b"], desk["c1"]
    refused = await _act(b, c1, "pause", reason="")
    assert refused.status_code == 422 and "Say why the counter pauses." in text_of(refused.text)
    await _act(b, c1, "pause", reason="Nghỉ trưa")
    resident = await browser()
    board = text_of((await resident.get("/w/ward-a/board")).text)
    assert "Counter 1" in board and "Paused: Nghỉ trưa" in board
    page = await b.get(f"/w/ward-a/counters/{c1}")
    assert "Resume" in text_of(page.text)
    calling = await _act(b, c1, "call")
    assert calling.status_code == 409 and "paused" in text_of(calling.text)
    await _act(b, c1, "resume")
    assert not (await seen(Counter.select(Counter.paused).where(Counter.id == c1)))[0]["paused"]


async def test_nothing_to_call_is_said_not_failed(desk):
    response = await _act(desk["b"], desk["c1"], "call")
    assert response.status_code == 409 and "Nobody is waiting for this counter." in text_of(response.text)
    response = await _act(desk["b"], desk["c1"], "call", label="Z999")
    assert response.status_code == 404 and "No ticket Z999 is waiting today." in text_of(response.text)


async def test_the_live_refresh_returns_only_the_queue(desk):
    headers = {"HX-Request": "true", "HX-Target": "desk-live"}
    page = await desk["b"].get(f"/w/ward-a/counters/{desk['c1']}", headers=headers)
    assert page.status_code == 200 and "<html" not in page.text and "Call next" in page.text


async def test_officers_add_and_edit_counters(desk):
    b, groups = desk["b"], desk["groups"]
    page = await b.get("/w/ward-a/counters")
    assert "Counter 2" in text_of(page.text) and "Chứng thực" in text_of(page.text)
    missing = await b.post("/w/ward-a/counters", {"number": "3", "name": "Hộ tịch"})
    assert missing.status_code == 422 and "Choose at least one service" in text_of(missing.text)
    taken = await b.post("/w/ward-a/counters", {"number": "2", "groups": str(groups["B"])})
    assert taken.status_code == 409 and "Another counter has this number." in text_of(taken.text)
    added = await b.post("/w/ward-a/counters", {"number": "3", "name": "Hộ tịch", "groups": str(groups["B"])})
    assert added.status_code == 303
    row = (await seen(Counter.select().where(Counter.number == 3)))[0]
    edit = await b.post(f"/w/ward-a/counters/{row['id']}/edit", {"number": "4", "groups": str(groups["A"])})
    assert edit.status_code == 303
    assert (await seen(Counter.select(Counter.number).where(Counter.id == row["id"])))[0]["number"] == 4


async def test_the_board_shows_numbers_never_names(desk, browser):
    b = desk["b"]
    await b.post(
        "/w/ward-a/kiosk/tickets",
        {"group": str(desk["groups"]["A"]), "full_name": "Nguyễn Bí Mật", "id_number": "001099012345"},
    )
    await _walk_in(b, desk["groups"]["A"])
    await _act(b, desk["c1"], "call")
    resident = await browser()
    board = await resident.get("/w/ward-a/board")
    text = text_of(board.text)
    assert board.status_code == 200
    assert "Now calling A001 → Counter 1" in text and "A002" in text
    assert "Bí Mật" not in board.text and "001099012345" not in board.text
    assert 'sse-connect="/w/ward-a/board/stream"' in board.text


async def test_the_ticket_page_shows_the_place_and_no_one_elses_data(desk, browser):
    b = desk["b"]
    await b.post("/w/ward-a/kiosk/tickets", {"group": str(desk["groups"]["A"]), "full_name": "Người Trước"})
    await _walk_in(b, desk["groups"]["A"])
    mine = (await seen(Ticket.select(Ticket.token).where(Ticket.label == "A002")))[0]["token"]
    phone = await browser()
    page = await phone.get(f"/w/ward-a/t/{mine}")
    text = text_of(page.text)
    assert page.status_code == 200 and "A002" in text and "1 person ahead of you" in text
    assert "Estimated wait: about 3 min" in text  # 6 minutes a service, two counters open
    assert "Người Trước" not in page.text
    assert '<meta http-equiv="refresh" content="30">' in page.text  # without JavaScript it still updates
    await _act(b, desk["c1"], "call")
    assert "You are next." in text_of((await phone.get(f"/w/ward-a/t/{mine}")).text)
    await _act(b, desk["c1"], "finish")
    await _act(b, desk["c1"], "call")
    assert "please go to counter 1" in text_of((await phone.get(f"/w/ward-a/t/{mine}")).text)
    assert (await phone.get("/w/ward-a/t/not-a-ticket-token-at-all")).status_code == 404
    assert (await phone.get(f"/w/ward-b/t/{mine}")).status_code == 404


async def test_a_counter_of_another_ward_is_404(desk, world):
    groups_b = await make_groups(world.b.id)
    other = await make_counter(world.b.id, 1, [groups_b["A"]])
    b = desk["b"]
    assert (await b.get(f"/w/ward-a/counters/{other}")).status_code == 404
    assert (await _act(b, other, "call")).status_code == 404
    assert (await b.get(f"/w/ward-a/counters/{other}/edit")).status_code == 404
    assert re.search("Counter", text_of((await b.get("/w/ward-a/counters")).text))
