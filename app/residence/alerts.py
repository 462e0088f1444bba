"""What the ward police should look at without being asked: stays whose declaration is late, tạm trú
registrations ending within 15 days, rooms holding more people than they may, and people with open stays in
two houses at once.

All four come from three queries over the ward's open stays, whatever their number (no query per stay): the
open stays with their renter, room and house; the declarations of those stays; the desk's remote-area setting.
The rules are the declarations module's own (`needed_for_stay`), so the alerts, the landlord's list and the
filing always agree on what is due.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from litestar.connection import ASGIConnection

from app.audit.service import record_views
from app.db import write_transaction
from app.housing.tables import Stay
from app.i18n import TIMEZONE, _l
from app.residence.deadlines import EXTENSION_WINDOW_DAYS, describe_due, tam_tru_expiry
from app.residence.declarations import (
    DECLARATION_COLUMNS,
    TAM_TRU_KINDS,
    S,
    kind_label,
    needed_for_stay,
    remote_area,
)
from app.residence.tables import Declaration

LISTS = ("late", "expiring", "over_capacity", "two_houses")
LIST_TITLES = {
    "late": _l("Late: no accepted declaration past the deadline"),
    "expiring": _l("Tạm trú ending within 15 days"),
    "over_capacity": _l("Rooms over capacity"),
    "two_houses": _l("Staying in two houses at once"),
}

_STAY_COLUMNS = (
    Stay.id,
    Stay.from_date,
    Stay.expected_to,
    Stay.to_date,
    Stay.created_at,
    Stay.renter,
    Stay.renter.full_name,
    Stay.renter.id_number,
    Stay.renter.nationality,
    Stay.renter.phone,
    Stay.renter.old_id_number,
    Stay.renter.name_folded,
    Stay.renter.birth_date,
    Stay.room,
    Stay.room.code,
    Stay.room.max_occupancy,
    Stay.room.property.id,
    Stay.room.property.name,
    Stay.room.property.residential_group,
)


@dataclass
class AlertLists:
    late: list[dict] = field(default_factory=list)  # a stay, its need and how late
    expiring: list[dict] = field(default_factory=list)  # a stay, its accepted tạm trú and the last day
    over_capacity: list[dict] = field(default_factory=list)  # a room and who is in it
    two_houses: list[dict] = field(default_factory=list)  # a person and their open stays

    def people(self) -> list[tuple[int, str]]:
        """Everyone shown, for the audit log."""
        found = [(s["renter"], s["renter.full_name"]) for s in self.late + self.expiring]
        found += [(s["renter"], s["renter.full_name"]) for room in self.over_capacity for s in room["stays"]]
        found += [person for p in self.two_houses for person in p["renters"]]
        return found


async def alert_lists(now: datetime | None = None, *, group: str = "") -> AlertLists:
    now = now or datetime.now(UTC)
    today = now.astimezone(TIMEZONE).date()
    query = Stay.ward_select(*_STAY_COLUMNS).where(Stay.to_date.is_null())
    if group:
        query = query.where(Stay.room.property.residential_group == group)
    stays = await query.order_by(Stay.room.property.name).order_by(Stay.room.code).order_by(Stay.id)
    found: dict[int, list[dict]] = defaultdict(list)
    declarations = Declaration.ward_select(*DECLARATION_COLUMNS).where(Declaration.stay.to_date.is_null())
    for row in await declarations.order_by(Declaration.id):
        found[row["stay"]].append(row)
    remote = await remote_area()
    lists = AlertLists()
    by_room: dict[int, list[dict]] = defaultdict(list)
    for stay in stays:
        own = found.get(stay["id"], [])
        need = needed_for_stay(stay, own, now, remote_area=remote)
        if need is not None and need.deadline <= now:
            lists.late.append({**stay, "need": kind_label(need.kind), "due": describe_due(need.deadline, now)})
        current = next((d for d in reversed(own) if d["kind"] in TAM_TRU_KINDS and d["state"] == S.accepted), None)
        if current is not None and current["arrival_date"] is not None:
            last_day = tam_tru_expiry(current["arrival_date"], current["expected_departure"])
            if today <= last_day <= today + timedelta(days=EXTENSION_WINDOW_DAYS):
                lists.expiring.append({**stay, "last_day": last_day, "reference": current["reference"]})
        by_room[stay["room"]].append(stay)
    lists.late.sort(key=lambda s: s["due"].deadline)
    lists.expiring.sort(key=lambda s: s["last_day"])
    for room_stays in by_room.values():
        first = room_stays[0]
        if len(room_stays) > first["room.max_occupancy"]:
            lists.over_capacity.append(
                {
                    "property_id": first["room.property.id"],
                    "property_name": first["room.property.name"],
                    "room_code": first["room.code"],
                    "max_occupancy": first["room.max_occupancy"],
                    "stays": room_stays,
                }
            )
    lists.two_houses = _two_houses(stays)
    return lists


async def alerts_shown(*, connection: ASGIConnection, group: str = "") -> AlertLists:
    lists = await alert_lists(group=group)
    async with write_transaction():
        await record_views(lists.people(), connection=connection, page="police/alerts")
    return lists


def _two_houses(stays: list[dict]) -> list[dict]:
    """People with open stays in two houses. One renter row has one open stay at most (a unique index), so
    this is one person recorded twice: by the old CMND number in one house and the CCCD in another, or with a
    mistyped ID number under the same name and birth date. Stays are grouped by each of those keys."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for stay in stays:
        if stay["renter.old_id_number"]:
            groups[("cmnd", stay["renter.old_id_number"])].append(stay)
        if len(stay["renter.id_number"]) == 9:  # registered by the old CMND itself
            groups[("cmnd", stay["renter.id_number"])].append(stay)
        if stay["renter.birth_date"] is not None:
            groups[("name", stay["renter.name_folded"], stay["renter.birth_date"])].append(stay)
    found, shown = [], set()
    for group in groups.values():
        ids = frozenset(s["id"] for s in group)
        if len({s["room.property.id"] for s in group}) < 2 or ids in shown:
            continue
        shown.add(ids)
        first = group[0]
        found.append(
            {
                "renter": first["renter"],
                "full_name": first["renter.full_name"],
                "id_number": ", ".join(dict.fromkeys(s["renter.id_number"] for s in group)),
                "stays": group,
                "renters": [(s["renter"], s["renter.full_name"]) for s in group],
            }
        )
    return found
