"""A ward's counter set up for queue tests: service groups, a procedure, counters, bookings."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time, timedelta

from app.counter.counters import save_counter
from app.counter.queue import today
from app.counter.tables import Booking, Procedure, ServiceGroup
from app.db import write_transaction
from app.i18n import TIMEZONE
from tenants.scope import ward_scope


async def make_groups(ward_id: int, letters: str = "AB") -> dict[str, int]:
    names = {"A": "Cư trú", "B": "Chứng thực", "C": "Hộ tịch"}
    ids = {}
    async with ward_scope(ward_id):
        async with write_transaction():
            for i, letter in enumerate(letters):
                row = ServiceGroup.ward_new(letter=letter, name=names.get(letter, letter), sort_order=i)
                await ServiceGroup.ward_insert(row)
                ids[letter] = row.id
    return ids


async def make_counter(ward_id: int, number: int, group_ids: list[int], name: str = "") -> int:
    async with ward_scope(ward_id):
        return await save_counter(None, number=number, name=name, group_ids=group_ids)


async def make_procedure(ward_id: int, group_id: int, name: str = "Đăng ký tạm trú") -> int:
    async with ward_scope(ward_id):
        async with write_transaction():
            row = Procedure.ward_new(service_group=group_id, name=name, created_at=datetime.now(UTC))
            await Procedure.ward_insert(row)
            return row.id


async def make_booking(
    ward_id: int, group_id: int, procedure_id: int, *, day: date | None = None, start: time | None = None,
    minutes: int = 30, id_number: str = "", code: str = "", name: str = "Trần Văn Bình",
) -> dict:  # fmt: skip
    """A booking; by default for a slot of today that started a few minutes ago (Vietnam time)."""
    day = day or today()
    if start is None:
        now = datetime.now(UTC).astimezone(TIMEZONE)
        start = max(time(0, 0), (now - timedelta(minutes=5)).time()) if now.hour or now.minute >= 5 else time(0, 0)
        start = start.replace(second=0, microsecond=0)
    end = (datetime.combine(day, start) + timedelta(minutes=minutes)).time()
    if end <= start:
        end = time(23, 59)
    row = {
        "code": code or secrets.token_hex(3).upper(),
        "token": secrets.token_urlsafe(24),
    }
    async with ward_scope(ward_id):
        async with write_transaction():
            booking = Booking.ward_new(
                procedure=procedure_id, service_group=group_id, day=day, slot_start=start, slot_end=end,
                full_name=name, phone="0912345678", id_number=id_number, code=row["code"], token=row["token"],
                created_at=datetime.now(UTC),
            )  # fmt: skip
            await Booking.ward_insert(booking)
    return {**row, "id": booking.id, "day": day}
