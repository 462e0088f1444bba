"""The booking API: catalogue, free slots, booking with an Idempotency-Key, the full slot's nearest free slots,
cancel and move, field errors with nothing written; in the OpenAPI schema."""

from __future__ import annotations

from app.counter.tables import Booking
from tests.helpers import seen
from tests.integration.test_booking import clock, make_counter  # noqa: F401 - fixtures

BODY = {"full_name": "Trần Thị Mai", "phone": "0912345678", "consent": True}


async def test_book_read_move_and_cancel_through_the_api(browser, world, clock):  # noqa: F811
    ids = await make_counter(world.a.id, capacity=1)
    api = (await browser()).client
    catalogue = (await api.get("/api/v1/w/ward-a/procedures")).json()
    assert [p["name"] for p in catalogue] == ["Đăng ký tạm trú", "Xóa đăng ký tạm trú"]
    assert catalogue[0]["fee"] == 15000 and catalogue[0]["documents"] == ["Tờ khai CT01", "Hợp đồng thuê nhà"]
    days = (await api.get(f"/api/v1/w/ward-a/procedures/{ids['procedure']}/slots")).json()
    assert days[0]["day"] == "2026-12-07" and days[0]["slots"][0] == {
        "key": "2026-12-07T07:30", "day": "2026-12-07", "start": "07:30", "end": "08:00", "free": 1,
    }  # fmt: skip
    assert (await api.get(f"/api/v1/w/ward-a/procedures/{ids['walk_in']}/slots")).status_code == 404
    body = {**BODY, "procedure_id": ids["procedure"], "slot": "2026-12-07T08:00"}
    headers = {"Idempotency-Key": "4f1c2a9e-0000-4000-8000-000000000001"}
    made = await api.post("/api/v1/w/ward-a/bookings", json=body, headers=headers)
    assert made.status_code == 201, made.text
    booking = made.json()
    assert booking["status"] == "booked" and booking["start"] == "08:00" and booking["qr_svg"].startswith("<svg")
    assert booking["url"].endswith(f"/w/ward-a/booking/{booking['token']}")
    again = await api.post("/api/v1/w/ward-a/bookings", json=body, headers=headers)
    assert again.status_code == 201 and again.json()["token"] == booking["token"]
    assert await seen(Booking.count()) == 1
    other = {**body, "phone": "0987654321"}
    full = await api.post("/api/v1/w/ward-a/bookings", json=other)
    assert full.status_code == 409
    refused = full.json()
    assert "slot" in refused["errors"] and [s["key"] for s in refused["nearest"]][:2] == [
        "2026-12-07T07:30", "2026-12-07T08:30",
    ]  # fmt: skip
    token = booking["token"]
    assert (await api.get(f"/api/v1/w/ward-a/bookings/{token}")).json()["code"] == booking["code"]
    assert (await api.get(f"/api/v1/w/ward-b/bookings/{token}")).status_code == 404
    moved = await api.post(f"/api/v1/w/ward-a/bookings/{token}/move", json={"slot": "2026-12-08T09:00"})
    assert moved.status_code == 200 and (moved.json()["day"], moved.json()["start"]) == ("2026-12-08", "09:00")
    assert (await api.post(f"/api/v1/w/ward-a/bookings/{token}/move", json={"slot": "soon"})).status_code == 422
    cancelled = await api.post(f"/api/v1/w/ward-a/bookings/{token}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert (await api.post(f"/api/v1/w/ward-a/bookings/{token}/cancel")).status_code == 409


async def test_api_field_errors_write_nothing(browser, world, clock):  # noqa: F811
    ids = await make_counter(world.a.id)
    api = (await browser()).client
    bad = await api.post(
        "/api/v1/w/ward-a/bookings",
        json={"procedure_id": ids["procedure"], "slot": "", "full_name": "", "phone": "123", "consent": False},
    )
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"slot", "full_name", "phone", "consent"}
    unknown = await api.post("/api/v1/w/ward-a/bookings", json={**BODY, "procedure_id": 999999, "slot": "x"})
    assert unknown.status_code == 422 and "procedure_id" in unknown.json()["errors"]
    assert await seen(Booking.count()) == 0
    schema = (await api.get("/api/v1/schema/openapi.json")).json()
    assert "/api/v1/w/{ward_slug}/bookings" in schema["paths"]
    assert "/api/v1/w/{ward_slug}/procedures/{procedure_id}/slots" in schema["paths"]
