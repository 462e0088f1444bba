"""Tenancy must hold: a user of ward A gets 404 for every URL of ward B, whatever the role, the method,
or the id guessed; the scope refuses to run without a ward; PostgreSQL's row-level security returns
nothing for the wrong ward.

The matrix is driven by the app's route table: a route added later is covered automatically, and a new
path parameter must be given a ward-B sample below or the test fails."""

import re
from datetime import UTC, date, datetime

import pytest
from litestar.routes import HTTPRoute

from app.accounts.tables import Membership
from tenants.scope import NoWardScope, across_wards, ward_scope

ROLES = ("officer", "police", "landlord")


def ward_routes(app) -> list[tuple[str, str, object]]:
    routes = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or "{ward_slug" not in route.path:
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods - {"HEAD", "OPTIONS"}):
                routes.append((route.path, method, handler))
    return routes


def fill(path: str, slug: str, samples: dict[str, int]) -> str:
    def one(match: re.Match) -> str:
        name = match.group(1)
        if name == "ward_slug":
            return slug
        assert name in samples, f"add a ward-B sample for path parameter {name!r} to the tenancy matrix"
        return str(samples[name])

    return re.sub(r"{(\w+)(?::\w+)?}", one, path)


async def samples_of(world) -> dict[str, int]:
    """One object of ward B for every kind of id a ward URL can carry."""
    from app.counter.tables import ClosedDay, Procedure, ServiceGroup
    from app.db import write_transaction
    from app.housing.services import new_qr_token
    from app.housing.tables import Property, Renter, Room, SelfRegistration, Stay, StickerSheet
    from app.notify.tables import OutboxMessage
    from app.residence.tables import Declaration
    from tests.helpers import make_user

    landlord_id = await make_user(world.b.landlord, "x")
    async with ward_scope(world.b.id), write_transaction():
        prop = Property.ward_new(
            landlord=landlord_id, name="B house", street_address="B street", kind="rooms", qr_token=new_qr_token()
        )
        await prop.save()
        room = Room.ward_new(property=prop.id, code="101", max_occupancy=2)
        await room.save()
        renter = Renter.ward_new(id_number="048190012345", full_name="B renter", name_folded="b renter")
        await renter.save()
        stay = Stay.ward_new(renter=renter.id, room=room.id, from_date=date(2026, 1, 1))
        await stay.save()
        ask = SelfRegistration.ward_new(
            property=prop.id,
            room=room.id,
            id_number="048190012346",
            full_name="B ask",
            phone="0933000111",
            move_in=date(2026, 1, 1),
            consent_at=datetime.now(UTC),
            code="b-ward-request-code",
        )
        await ask.save()
        sheet = StickerSheet.ward_new(total=1)
        await sheet.save()
        declaration = Declaration.ward_new(stay=stay.id, renter=renter.id, kind="tam_tru", state="submitted")
        await declaration.save()
        service_group = ServiceGroup.ward_new(letter="Y", name="B group")
        await service_group.save()
        procedure = Procedure.ward_new(service_group=service_group.id, name="B procedure", created_at=datetime.now(UTC))
        await procedure.save()
        closed_day = ClosedDay.ward_new(day=date(2030, 1, 2), reason="B closed", created_at=datetime.now(UTC))
        await closed_day.save()
        message = OutboxMessage.ward_new(
            event="x.y",
            channel="sms",
            address="0933000111",
            dedupe_key="b",
            status="dead",
            next_attempt_at=datetime.now(UTC),
            created_at=datetime.now(UTC),
        )
        await message.save()
    queue = await _queue_samples(world.b.id)
    counter = await counter_samples(world.b.id)
    return {
        **queue,
        **counter,
        "membership_id": world.b.memberships["landlord"],
        "property_id": prop.id,
        "room_id": room.id,
        "stay_id": stay.id,
        "request_id": ask.id,
        "sheet_id": sheet.id,
        "declaration_id": declaration.id,
        "procedure_id": procedure.id,
        "service_group_id": service_group.id,
        "closed_day_id": closed_day.id,
        "message_id": message.id,
    }


async def _queue_samples(ward_id: int) -> dict[str, int]:
    """A counter and a ticket of ward B (the queue's path parameters)."""
    from app.counter.tickets import take_walk_in
    from tests.queue_fixtures import make_counter, make_groups

    groups = await make_groups(ward_id, "A")
    counter_id = await make_counter(ward_id, 1, [groups["A"]])
    async with ward_scope(ward_id):
        ticket_id = await take_walk_in(groups["A"])
    return {"counter_id": counter_id, "ticket_id": ticket_id}


async def counter_samples(ward_id: int) -> dict[str, int]:
    """Ward B's dossier, report (and their kin) for the counter's back-office routes."""
    from app.counter.dossier_tables import Dossier, Report
    from app.counter.tables import Procedure, ServiceGroup
    from app.db import write_transaction

    now = datetime.now(UTC)
    async with ward_scope(ward_id), write_transaction():
        group = ServiceGroup.ward_new(letter="Z", name="B group")
        await group.save()
        proc = Procedure.ward_new(service_group=group.id, name="B procedure", processing_days=1, created_at=now)
        await proc.save()
        dossier = Dossier.ward_new(
            code="B-1", token="b-ward-dossier-token", procedure=proc.id, applicant_name="B applicant",
            applicant_phone="0933000222", received_at=now, legal_due_at=now, due_at=now,
        )  # fmt: skip
        await dossier.save()
        report = Report.ward_new(code="BWARDREPORT", category="other", text="B report text", created_at=now)
        await report.save()
    return {"dossier_id": dossier.id, "report_id": report.id}


async def _request(b, method: str, url: str):
    if method == "GET":
        return await b.get(url)
    if url.startswith("/api/"):
        return await b.client.post(url, json={"reason": "probe"}, headers={"x-csrftoken": await b.csrf()})
    return await b.post(url, {"reason": "probe", "role": "police", "full_name": "Probe", "phone": "0955555555"})


async def test_the_matrix_covers_the_ward_routes(app):
    paths = {p for p, _m, _h in ward_routes(app)}
    assert "/w/{ward_slug:str}/officer/accounts" in paths
    assert "/api/v1/w/{ward_slug:str}/accounts" in paths
    assert len(paths) >= 12


async def test_ward_b_is_404_for_every_role_of_ward_a(app, browser, world):
    async with across_wards():
        before = await Membership.ward_select(Membership.id, Membership.status).order_by(Membership.id)
    samples = await samples_of(world)
    checked = 0
    for role in (*ROLES, "admin"):
        b = await browser()
        await b.login(world.admin if role == "admin" else getattr(world.a, role))
        for path, method, handler in ward_routes(app):
            if handler.opt.get("public"):
                continue
            url = fill(path, world.b.slug, samples)
            response = await _request(b, method, url)
            assert response.status_code == 404, f"{role} {method} {url}: {response.status_code}"
            assert world.b.officer not in response.text and "ward-b" not in response.text.replace(url, "")
            checked += 1
    assert checked >= 4 * 12
    async with across_wards():
        after = await Membership.ward_select(Membership.id, Membership.status).order_by(Membership.id)
    assert after == before  # nothing of ward B changed


async def test_guessed_ids_of_ward_b_are_404_inside_ward_a(app, browser, world):
    """Ward A's own URLs with ward B's ids: the scoped query finds nothing."""
    samples = await samples_of(world)
    checked = 0
    for role in ROLES:
        b = await browser()
        await b.login(getattr(world.a, role))
        for path, method, handler in ward_routes(app):
            roles = {getattr(r, "value", r) for r in handler.opt.get("roles", ())}
            if role not in roles or not set(re.findall(r"{(\w+)", path)) - {"ward_slug"}:
                continue
            url = fill(path, world.a.slug, samples)
            response = await _request(b, method, url)
            assert response.status_code == 404, f"{role} {method} {url}: {response.status_code}"
            checked += 1
    assert checked >= 5


async def test_api_tokens_of_ward_a_get_404_in_ward_b(browser, world):
    from app.accounts.tokens import create_token
    from tests.helpers import make_user

    token = await create_token(await make_user(world.a.officer, "x"), "probe")
    b = await browser()
    headers = {"Authorization": f"Bearer {token}"}
    assert (await b.client.get("/api/v1/w/ward-a/accounts", headers=headers)).status_code == 200
    for url in ("/api/v1/w/ward-b/accounts",):
        assert (await b.client.get(url, headers=headers)).status_code == 404
    mid = world.b.memberships["landlord"]
    for url in (f"/api/v1/w/ward-b/landlords/{mid}/approve", f"/api/v1/w/ward-a/landlords/{mid}/approve"):
        assert (await b.client.post(url, headers=headers, json={})).status_code == 404


async def test_the_scope_refuses_to_run_without_a_ward(world):
    with pytest.raises(NoWardScope):
        Membership.ward_select()
    with pytest.raises(NoWardScope):
        Membership.ward_new(user=1, role="landlord")
    async with ward_scope(world.a.id):
        rows = await Membership.ward_select(Membership.ward)
    assert rows and {r["ward"] for r in rows} == {world.a.id}


async def test_hand_written_sql_reads_the_current_ward_only(world):
    """`ward_raw` fills in the ward itself, and refuses SQL whose first placeholder is not the ward."""
    sql = 'SELECT "membership"."ward" FROM "membership" WHERE "membership"."ward" = {} AND "membership"."role" = {}'
    with pytest.raises(NoWardScope):
        Membership.ward_raw(sql, "landlord")
    async with ward_scope(world.a.id):
        rows = await Membership.ward_raw(sql, "landlord")
        for unscoped in (
            'SELECT "membership"."ward" FROM "membership" WHERE "membership"."role" = {}',
            'SELECT "membership"."ward" FROM "membership" WHERE "membership"."role" = {} AND "membership"."ward" = {}',
        ):
            with pytest.raises(NoWardScope):
                Membership.ward_raw(unscoped, "landlord")
    async with across_wards():
        with pytest.raises(NoWardScope):
            Membership.ward_raw(sql, "landlord")
    assert rows and {r["ward"] for r in rows} == {world.a.id}


async def test_unique_keys_are_per_ward(world):
    """The same person may hold the same role in two wards, but not twice in one."""
    from app.db import is_unique_violation, write_transaction
    from tests.helpers import make_user

    user_id = await make_user(world.a.landlord, "x")
    async with ward_scope(world.b.id), write_transaction():
        await Membership.ward_new(user=user_id, role="landlord", status="active").save()
    with pytest.raises(Exception) as caught:
        async with ward_scope(world.a.id), write_transaction():
            await Membership.ward_new(user=user_id, role="landlord", status="active").save()
    assert is_unique_violation(caught.value)


async def test_row_level_security_returns_nothing_for_the_wrong_ward(world):
    """PostgreSQL's second wall: even a query that skips the scope helpers sees only its ward's rows."""
    from piccolo.querystring import QueryString

    from app.db import DB, is_postgres

    if not is_postgres():
        pytest.skip("row-level security is PostgreSQL's; SQLite relies on the scope alone")
    role = await DB.run_querystring(
        QueryString("SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = current_user")
    )
    if role[0]["bypass"]:
        pytest.skip("connected as a role that bypasses RLS (make test runs as an ordinary role)")
    async with ward_scope(world.a.id):
        # Deliberately unscoped: only the database stands between this query and ward B.
        rows = await Membership.select(Membership.ward)  # deliberately unscoped
    assert rows and {r["ward"] for r in rows} == {world.a.id}
    async with DB.transaction():
        await DB.run_querystring(QueryString("SELECT set_config('app.ward_id', '999999', true)"))
        assert await Membership.select(Membership.id) == []
    assert await Membership.select(Membership.id) == []  # no ward set at all: nothing
    with pytest.raises(Exception, match="row-level security"):
        async with ward_scope(world.a.id):
            await Membership.insert(Membership(ward=world.b.id, user=1, role="police", status="active"))
