"""Helpers for tests: a cookie-keeping client that fills in CSRF, and two wards with people in them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

import httpx

PASSWORD = "secret-pass-1"


class Browser:
    """One person with a browser: keeps cookies, sends the CSRF token like the page's forms do."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def get(self, url: str, **kwargs):
        return await self.client.get(url, follow_redirects=kwargs.pop("follow", False), **kwargs)

    async def csrf(self) -> str:
        if "csrftoken" not in self.client.cookies:
            await self.client.get("/")
        return self.client.cookies["csrftoken"]

    async def post(self, url: str, data: dict | None = None, *, htmx: bool = False, csrf: bool = True, **kwargs):
        data = dict(data or {})
        if csrf:
            data["_csrf_token"] = await self.csrf()
        headers = kwargs.pop("headers", {})
        if htmx:
            headers = {**headers, "HX-Request": "true", "HX-Boosted": "true"}
        return await self.client.post(url, data=data, headers=headers, follow_redirects=False, **kwargs)

    async def login(self, phone: str, password: str = PASSWORD, ward: str = ""):
        response = await self.post("/login", {"phone": phone, "password": password, "ward": ward})
        assert response.status_code == 303, response.text[:500]
        return response


@dataclass
class WardPeople:
    id: int
    slug: str
    officer: str
    police: str
    landlord: str
    memberships: dict[str, int] = field(default_factory=dict)


@dataclass
class World:
    a: WardPeople
    b: WardPeople
    admin: str = "0900000999"


async def make_ward(code: int, slug: str) -> int:
    from tenants.service import create_ward

    return await create_ward(
        code=code,
        slug=slug,
        office_hours="T2-T6 07:30-11:30 13:30-17:00; T7 07:30-11:30",
        phone="02430000622",
        address=f"Trụ sở {slug}",
    )


async def make_user(phone: str, name: str, ward_id: int | None = None, role: str | None = None, **kw) -> int:
    from app.accounts.admin_service import create_user
    from app.accounts.tables import Role

    return await create_user(
        phone=phone, full_name=name, password=PASSWORD, ward_id=ward_id, role=Role(role) if role else None, **kw
    )


async def membership_id(ward_id: int, phone: str, role: str) -> int:
    from app.accounts.tables import Membership
    from tenants.scope import ward_scope

    async with ward_scope(ward_id):
        row = (
            await Membership.ward_select(Membership.id)
            .where((Membership.user.phone == phone) & (Membership.role == role))
            .first()
        )
    return row["id"]


async def make_world() -> World:
    wards = []
    for code, slug, prefix in ((622, "ward-a", "09110000"), (20197, "ward-b", "09220000")):
        ward_id = await make_ward(code, slug)
        people = WardPeople(ward_id, slug, officer=prefix + "01", police=prefix + "02", landlord=prefix + "03")
        for role in ("officer", "police", "landlord"):
            phone = getattr(people, role)
            await make_user(phone, f"{role.title()} {slug}", ward_id, role)
            people.memberships[role] = await membership_id(ward_id, phone, role)
        wards.append(people)
    world = World(*wards)
    await make_user(world.admin, "Platform Admin", platform_admin=True)
    return world


def text_of(html: str) -> str:
    """The visible text of a page, whitespace collapsed (for asserting what a person reads)."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


async def seen(query):
    """Run a test's own look at ward-owned rows across wards. On PostgreSQL the tests connect as an
    ordinary role, so row-level security hides every ward's rows from a query outside a ward scope."""
    from tenants.scope import across_wards

    async with across_wards():
        return await query
