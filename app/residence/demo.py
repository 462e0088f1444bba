"""Demo declarations: the demo stays filed and decided through the same services as the pages, so each demo
ward's police desk opens on real work: new and received declarations, late ones, rejected ones waiting for the
landlord, accepted ones with their reference, a tạm trú extended and some ended, tạm trú ending this month,
lưu trú for short stays, and stays never declared.

The stays are the housing demo's; a few have their dates moved to make each case (a recent arrival, a stay
ending this month), as a landlord's corrections would."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from app.accounts.tables import User
from app.db import write_transaction
from app.housing.stays import today as local_today
from app.housing.tables import Stay
from app.residence.declarations import S, change_state, declarations_for_stay, file_for_stay
from tenants.scope import ward_scope

REASONS = ("Sai số phòng, đề nghị kiểm tra lại", "Thiếu ngày sinh của người lưu trú", "Số định danh không khớp")


@dataclass
class _Actor:
    """Who does it, as `change_state` and the audit log read a request: the landlord files, the police decide."""

    user: Any
    scope: dict = field(init=False)
    client: None = None
    headers: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.scope = {"user": self.user}


@dataclass(frozen=True)
class _Who:
    id: int


async def _user(phone: str) -> _Who:
    row = await User.select(User.id).where(User.phone == phone).first()
    return _Who(row["id"])


async def _file(stay: dict, actor: _Actor) -> int:
    await file_for_stay(
        stay["id"],
        landlord_id=stay["room.property.landlord"],
        form_token="",
        connection=actor,  # type: ignore[arg-type]
        done_url="",
    )
    return (await declarations_for_stay(stay["id"]))[-1]["id"]


async def _decide(declaration_id: int, target: str, police: _Actor, n: int) -> None:
    await change_state(declaration_id, S.received, connection=police)  # type: ignore[arg-type]
    if target == S.accepted:
        await change_state(declaration_id, S.accepted, connection=police, reference=f"CA-{local_today():%y}-{n:05d}")  # type: ignore[arg-type]
    elif target == S.rejected:
        await change_state(declaration_id, S.rejected, connection=police, reason=REASONS[n % len(REASONS)])  # type: ignore[arg-type]


async def load_declarations_demo(ward_id: int, police_phone: str, seed: int) -> None:
    rng = random.Random(seed)
    today = local_today()
    police = _Actor(await _user(police_phone))
    async with ward_scope(ward_id), write_transaction():
        stays = await Stay.ward_select(
            Stay.id, Stay.from_date, Stay.expected_to, Stay.to_date, Stay.room.property.landlord
        ).order_by(Stay.id)
        landlords: dict[int, _Actor] = {}
        for n, stay in enumerate(stays, start=1):
            landlord = landlords.setdefault(
                stay["room.property.landlord"], _Actor(_Who(stay["room.property.landlord"]))
            )
            case = rng.random()
            if stay["to_date"] is not None:
                await _left(stay, landlord, police, n, case)
                continue
            if case < 0.06:  # a short stay that arrived today or yesterday: a lưu trú, filed or not yet
                start = today - timedelta(days=rng.randint(0, 1))
                await _move(stay, from_date=start, expected_to=start + timedelta(days=rng.randint(2, 10)))
                if case < 0.03:
                    await _file(stay, landlord)
                continue
            if case < 0.14:  # never declared: late (arrived long ago) or still due (arrived this month)
                if case < 0.10:
                    await _move(stay, from_date=today - timedelta(days=rng.randint(3, 25)))
                continue
            if case < 0.24:  # new, just filed for a recent arrival
                await _move(stay, from_date=today - timedelta(days=rng.randint(1, 25)))
                await _file(stay, landlord)
                continue
            if case < 0.30:  # received by the police, not decided yet (filed late: arrived long ago)
                declaration_id = await _file(stay, landlord)
                await change_state(declaration_id, S.received, connection=police)  # type: ignore[arg-type]
                continue
            if case < 0.35:  # rejected: waiting for the landlord's correction
                await _decide(await _file(stay, landlord), S.rejected, police, n)
                continue
            if case < 0.42:  # accepted, and the registered term ends this month: an extension is due
                start = today - timedelta(days=rng.randint(60, 400))
                await _move(stay, from_date=start, expected_to=today + timedelta(days=rng.randint(1, 14)))
                await _decide(await _file(stay, landlord), S.accepted, police, n)
                if case < 0.38:  # ...and extended: the extension accepted, the first registration "extended"
                    await _decide(await _file(stay, landlord), S.accepted, police, n + 100_000)
                continue
            await _decide(await _file(stay, landlord), S.accepted, police, n)


async def _move(stay: dict, **dates: Any) -> None:
    if "from_date" in dates and "expected_to" not in dates:  # a new arrival is let by the half-year or year
        dates["expected_to"] = dates["from_date"] + timedelta(days=random.Random(stay["id"]).choice([180, 365]))
    await Stay.ward_update({getattr(Stay, k): v for k, v in dates.items()}).where(Stay.id == stay["id"])
    stay.update(dates)


async def _left(stay: dict, landlord: _Actor, police: _Actor, n: int, case: float) -> None:
    """A stay that has ended: its tạm trú was registered while it ran, then removed (ended), or the removal is
    filed, or still to file. Registered "while it ran": the check-out is set aside for the filing."""
    if case < 0.2:
        return  # left before anything was declared
    left_on = stay["to_date"]
    await _move(stay, to_date=None)
    await _decide(await _file(stay, landlord), S.accepted, police, n)
    await _move(stay, to_date=left_on)
    if case < 0.5:
        return  # the removal is still to file
    removal = await _file(stay, landlord)
    if case < 0.9:
        await _decide(removal, S.accepted, police, n + 200_000)
