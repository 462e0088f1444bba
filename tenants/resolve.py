"""Resolving the ward of a request from its path (`/w/<slug>/…`) and deciding who may enter.

Every route under a ward declares who it is for in its `opt`: `public=True` (residents, no sign-in) or
`roles={...}` (officer, police, landlord). A route that declares neither is closed to everyone: the
mechanism fails closed. A signed-in user without that role in this ward, working in this ward now, gets
404, exactly like a ward that does not exist, so nothing of ward B shows to a user of ward A.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.handlers import BaseRouteHandler

from app import memo
from app.accounts.current import CurrentUser, WardRole
from app.accounts.tables import MembershipStatus, Role
from tenants.scope import ward_scope
from tenants.tables import Ward

WARD_COLUMNS = (
    Ward.id, Ward.code, Ward.slug, Ward.name, Ward.province_name, Ward.address, Ward.phone, Ward.police_phone,
    Ward.email, Ward.office_hours,
)  # fmt: skip


@dataclass(frozen=True)
class WardContext:
    id: int
    code: int
    slug: str
    name: str
    province_name: str
    address: str
    phone: str
    police_phone: str
    email: str
    office_hours: str
    role: WardRole | None = None  # the visitor's role here, if signed in and working in this ward

    @property
    def base(self) -> str:
        return f"/w/{self.slug}"


async def find_ward(slug: str) -> dict | None:
    """The active ward with this slug; kept a few seconds per process (app.memo), as every ward page asks."""
    if not slug or len(slug) > 60:
        return None

    async def load() -> dict | None:
        return await Ward.select(*WARD_COLUMNS).where((Ward.slug == slug) & (Ward.active == True)).first()  # noqa: E712

    return await memo.kept("ward", slug, load)


async def find_ward_by_id(ward_id: int) -> dict | None:
    return await Ward.select(*WARD_COLUMNS).where(Ward.id == ward_id).first()


def _admit(connection: ASGIConnection, handler: BaseRouteHandler, ward_id: int) -> WardRole | None:
    opt = handler.opt
    user: CurrentUser | None = connection.scope.get("user")
    role = user.role_in(ward_id) if user else None
    if opt.get("public"):
        return role
    roles = opt.get("roles")
    if not roles:
        raise NotFoundException()  # undeclared: closed
    if user is None:
        raise NotAuthorizedException()
    if role is None or role.role not in roles:
        raise NotFoundException()
    if role.status != MembershipStatus.active and not (opt.get("allow_pending") and role.role == Role.landlord):
        raise NotFoundException()
    return role


async def ward_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    """Runs before anything of the request is parsed, so a ward-B URL is 404 whatever its body says."""
    row = await find_ward(connection.path_params.get("ward_slug", ""))
    if row is None:
        raise NotFoundException()
    connection.state.ward = WardContext(**row, role=_admit(connection, handler, row["id"]))


async def provide_ward(request: Request) -> AsyncGenerator[WardContext, None]:
    """The ward admitted by `ward_guard`, with its scope open for the whole request."""
    ward: WardContext = request.state.ward
    async with ward_scope(ward.id):
        yield ward
