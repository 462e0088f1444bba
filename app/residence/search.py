"""The police's residency search: who is this person, where do they stay now, where did they stay before in
this ward.

What a query finds:
- 12 digits: the personal ID number (CCCD), exactly. 9 digits: the old CMND number, exactly.
- A phone number as typed on a phone ("0912 345 678", "+84 912 345 678"): that number, exactly.
- Anything else is a name, typed from its start as on the ID card, with or without diacritics or capitals:
  the name's words begin with the typed words, in order, and the last typed word may be cut short.
  "nguyen van a" finds "Nguyễn Văn A" and "Nguyễn Văn Anh", not "Trần Văn A" nor "Nguyễn Thị Văn An".
  A name is never matched in its middle: that would need a scan of the ward's renters on every keystroke
  (see bench/README.md); the birth year narrows a common name instead.

Results come in name order (an exact name sorts before the longer ones it begins), then by birth date; at
most LIMIT people, with `more` set when there are others. Everything reads the current ward only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from litestar.connection import ASGIConnection

from app.audit.service import Action, record
from app.db import is_postgres, write_transaction
from app.errors import RuleError
from app.housing.tables import Renter, Stay
from app.i18n import _l
from app.vn.phone import PhoneError, normalize_phone
from tenants.communes import fold

LIMIT = 50
MIN_LENGTH = 2
FIRST_BIRTH_YEAR = 1900
_SEPARATORS = re.compile(r"[\s.\-()]")


@dataclass(frozen=True)
class Residence:
    """One stay of the person: the house and room, and since / until when."""

    property_id: int
    property_name: str
    street_address: str
    room_code: str
    from_date: date
    to_date: date | None


@dataclass
class Resident:
    id: int
    full_name: str
    birth_date: date | None
    gender: str
    id_number: str
    old_id_number: str
    phone: str
    permanent_address: str
    now: Residence | None = None  # the open stay, if the person stays in the ward today
    before: list[Residence] = field(default_factory=list)  # closed stays, the latest first


@dataclass(frozen=True)
class SearchResult:
    kind: str  # "id_number", "old_id_number", "phone" or "name"
    people: list[Resident]
    more: bool  # more people match than are shown


# Hand-written SQL (WardOwned.ward_raw): building these queries with Piccolo took ten times longer than
# PostgreSQL took to run them (bench/residency_search.py). Both read through an index on (ward, …).
_RENTERS_SQL = (
    'SELECT "renter"."id", "renter"."full_name", "renter"."birth_date", "renter"."gender", '
    '"renter"."id_number", "renter"."old_id_number", "renter"."phone", "renter"."permanent_address" '
    'FROM "renter" WHERE "renter"."ward" = {{}} AND {match}{year} '
    'ORDER BY {name}, "renter"."birth_date", "renter"."id" LIMIT {limit}'
)
_YEAR_SQL = ' AND "renter"."birth_date" >= {} AND "renter"."birth_date" < {}'
_STAYS_SQL = (
    'SELECT "stay"."renter", "stay"."from_date", "stay"."to_date", "room"."code" AS room_code, '
    '"property"."id" AS property_id, "property"."name" AS property_name, '
    '"property"."street_address" AS street_address '
    'FROM "stay" JOIN "room" ON "room"."id" = "stay"."room" JOIN "property" ON "property"."id" = "room"."property" '
    'WHERE "stay"."ward" = {{}} AND "stay"."renter" {renters} '
    'ORDER BY "stay"."from_date" DESC, "stay"."id" DESC'
)


def _digits(query: str) -> str:
    value = _SEPARATORS.sub("", query)
    return value if re.fullmatch(r"\+?[0-9]+", value) else ""


def parse_birth_year(raw: str | int | None, *, today: date | None = None) -> int | None:
    """The birth year as typed, or None when left empty; RuleError on the field otherwise."""
    if raw is None or raw == "":
        return None
    text = str(raw).strip()
    this_year = (today or date.today()).year
    if not text.isdigit() or not FIRST_BIRTH_YEAR <= int(text) <= this_year:
        raise RuleError(
            _l("Enter a birth year between %(first)s and %(last)s.", first=FIRST_BIRTH_YEAR, last=this_year),
            field="birth_year",
        )
    return int(text)


def _folded_name() -> str:
    """The folded name in byte order on both engines, as the index (ward, name_folded, birth_date) is built:
    SQLite compares text bytewise; PostgreSQL is told the "C" collation."""
    return '"renter"."name_folded" COLLATE "C"' if is_postgres() else '"renter"."name_folded"'


def _condition(query: str) -> tuple[str, str, list]:
    """The kind of search, and its condition on the renters as SQL with its arguments."""
    digits = _digits(query)
    if digits and not digits.startswith("+") and len(digits) == 12:
        return "id_number", '"renter"."id_number" = {}', [digits]
    if digits and not digits.startswith("+") and len(digits) == 9:
        return "old_id_number", '"renter"."old_id_number" = {}', [digits]
    if digits:
        try:
            phone = normalize_phone(digits, allow_landline=True)
        except PhoneError:
            raise RuleError(
                _l("An ID number has 12 digits (9 on an old CMND); a phone number 10 (11 for a landline)."),
                field="q",
            ) from None
        return "phone", '"renter"."phone" = {}', [phone]
    words = " ".join(fold(query).split())
    if len(words) < MIN_LENGTH:
        raise RuleError(_l("Type at least %(n)s letters of the name.", n=MIN_LENGTH), field="q")
    # The names that begin with `words`: a range on the index, up to the next string of that length.
    name = _folded_name()
    return "name", f"{name} >= {{}} AND {name} < {{}}", [words, words[:-1] + chr(ord(words[-1]) + 1)]


async def search_residents(query: str, birth_year: int | None = None) -> SearchResult:
    """The current ward's renters matching `query` (see the module's docstring), optionally born in
    `birth_year`, each with their stays in the ward. RuleError (field "q") for an empty or unusable query."""
    query = " ".join((query or "").split())
    if not query:
        raise RuleError(_l("Type a name, a phone number or an ID number."), field="q")
    kind, match, args = _condition(query)
    if birth_year is not None:
        args += [date(birth_year, 1, 1), date(birth_year + 1, 1, 1)]
    sql = _RENTERS_SQL.format(
        match=match, year=_YEAR_SQL if birth_year is not None else "", name=_folded_name(), limit=LIMIT + 1
    )
    rows = await Renter.ward_raw(sql, *args)
    people = [Resident(**row) for row in rows[:LIMIT]]
    await _add_stays(people)
    return SearchResult(kind=kind, people=people, more=len(rows) > LIMIT)


async def _add_stays(people: list[Resident]) -> None:
    if not people:
        return
    by_id = {person.id: person for person in people}
    if is_postgres():
        renters, args = "= ANY({})", [list(by_id)]
    else:
        renters, args = f"IN ({', '.join('{}' for _ in by_id)})", list(by_id)
    for row in await Stay.ward_raw(_STAYS_SQL.format(renters=renters), *args):
        residence = Residence(
            property_id=row["property_id"],
            property_name=row["property_name"],
            street_address=row["street_address"],
            room_code=row["room_code"],
            from_date=row["from_date"],
            to_date=row["to_date"],
        )
        person = by_id[row["renter"]]
        if residence.to_date is None:
            person.now = residence
        else:
            person.before.append(residence)


async def search_shown(query: str, birth_year: int | None, *, connection: ASGIConnection) -> SearchResult:
    """The search as shown to the police: every person in the result is written to the audit log (who saw
    them, when, and from which search) before it is shown."""
    result = await search_residents(query, birth_year)
    if result.people:
        page = f"police/search “{' '.join(query.split())}”" + (f" {birth_year}" if birth_year else "")
        async with write_transaction():
            for person in result.people:
                await record(
                    Action.RENTER_VIEWED,
                    connection=connection,
                    subject_type="renter",
                    subject_id=person.id,
                    summary=f"{page}: {person.full_name}",
                )
    return result
