"""The queue API: the same call path as the counter page, so an API call reaches the board too."""

import pytest

from app.accounts.tokens import create_token
from app.counter.tables import Ticket
from tests.helpers import make_user, seen, text_of
from tests.queue_fixtures import make_counter, make_groups

A = "/api/v1/w/ward-a"


@pytest.fixture
async def api(browser, world):
    groups = await make_groups(world.a.id)
    counter = await make_counter(world.a.id, 2, [groups["A"]])
    token = await create_token(await make_user(world.a.officer, "x"), "desk app")
    b = await browser()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    return {"client": b.client, "headers": headers, "groups": groups, "counter": counter, "b": b}


async def _post(api, path, body=None, **headers):
    return await api["client"].post(A + path, json=body or {}, headers={**api["headers"], **headers})


async def test_take_call_and_finish_through_the_api_and_the_board_shows_it(api, browser):
    taken = await _post(api, "/tickets", {"group_id": api["groups"]["A"]}, **{"Idempotency-Key": "k1"})
    assert taken.status_code == 201 and taken.json()["label"] == "A001"
    assert taken.json()["url"].endswith("/w/ward-a/t/" + (await seen(Ticket.select(Ticket.token)))[0]["token"])
    again = await _post(api, "/tickets", {"group_id": api["groups"]["A"]}, **{"Idempotency-Key": "k1"})
    assert again.json()["id"] == taken.json()["id"]
    called = await _post(api, f"/counters/{api['counter']}/call")
    assert called.status_code == 200 and called.json()["status"] == "called" and called.json()["called_at"]
    board = text_of((await (await browser()).get("/w/ward-a/board")).text)
    assert "Now calling A001 → Counter 2" in board
    queue = (await api["client"].get(A + "/queue", headers=api["headers"])).json()
    assert queue["counters"][0]["now"] == "A001"
    for action in ("recall", "start", "finish"):
        response = await _post(api, f"/counters/{api['counter']}/{action}")
        assert response.status_code == 200, response.text
    assert response.json()["status"] == "done" and response.json()["recall_count"] == 1


async def test_refusals_are_409_with_the_reason_and_other_wards_404(api, world):
    empty = await _post(api, f"/counters/{api['counter']}/call")
    assert empty.status_code == 409 and empty.json()["detail"] == "Nobody is waiting for this counter."
    reason = await _post(api, f"/counters/{api['counter']}/pause", {"reason": ""})
    assert reason.status_code == 422 and "reason" in reason.json()["errors"]
    paused = await _post(api, f"/counters/{api['counter']}/pause", {"reason": "Họp"})
    assert paused.status_code == 200 and paused.json()["paused"] and paused.json()["pause_reason"] == "Họp"
    groups_b = await make_groups(world.b.id)
    other = await make_counter(world.b.id, 1, [groups_b["A"]])
    assert (await _post(api, f"/counters/{other}/call")).status_code == 404
    headers = api["headers"]
    assert (
        await api["client"].post(f"/api/v1/w/ward-b/counters/{other}/call", json={}, headers=headers)
    ).status_code == 404
