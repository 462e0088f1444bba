from __future__ import annotations

from litestar import Request, Router, get, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.handlers import BaseRouteHandler
from litestar.params import FromPath, FromQuery, JSONBody

from app.accounts import services
from app.accounts.tables import Role
from app.api.counter_queue import counter_queue_api
from app.api.housing import housing_api
from app.api.schemas import AccountOut, DecisionIn, MeOut, RoleOut, WardOut
from tenants.resolve import WardContext, provide_ward, ward_guard

OFFICER = {"roles": {Role.officer}}


def signed_in(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
    if connection.scope.get("user") is None:
        raise NotAuthorizedException("a valid API token or session is required")


@get("/me", summary="The signed-in user and their roles in wards", guards=[signed_in])
async def me(request: Request) -> MeOut:
    user = request.scope["user"]
    return MeOut(
        id=user.id,
        phone=user.phone,
        full_name=user.full_name,
        platform_admin=user.is_platform_admin,
        roles=[
            RoleOut(
                membership_id=r.membership_id,
                ward=r.ward_slug,
                ward_name=r.ward_name,
                role=r.role.value,
                status=r.status.value,
            )
            for r in user.roles
        ],
    )


@get("/", summary="A ward's public information", opt={"public": True})
async def ward_info(ward: NamedDependency[WardContext]) -> WardOut:
    return WardOut(
        code=ward.code,
        slug=ward.slug,
        name=ward.name,
        province=ward.province_name,
        address=ward.address,
        phone=ward.phone,
        police_phone=ward.police_phone,
        email=ward.email,
        office_hours=ward.office_hours,
    )


@get("/accounts", summary="Accounts of the ward (officers)", opt=OFFICER)
async def ward_accounts(ward: NamedDependency[WardContext], role: FromQuery[str] = "") -> list[AccountOut]:
    rows = await services.ward_accounts(role if role in Role.__members__ else "")
    return [
        AccountOut(
            membership_id=r["id"],
            role=r["role"],
            status=r["status"],
            full_name=r["user.full_name"],
            phone=r["user.phone"],
        )
        for r in rows
    ]


async def _decide(request: Request, membership_id: int, approve: bool, data: DecisionIn) -> AccountOut:
    try:
        await services.decide_landlord(membership_id, approve=approve, reason=data.reason.strip(), connection=request)
    except LookupError:
        raise NotFoundException() from None
    row = next(r for r in await services.ward_accounts() if r["id"] == membership_id)
    return AccountOut(
        membership_id=row["id"],
        role=row["role"],
        status=row["status"],
        full_name=row["user.full_name"],
        phone=row["user.phone"],
    )


@post("/landlords/{membership_id:int}/approve", summary="Approve a pending landlord", opt=OFFICER, status_code=200)
async def approve_landlord(
    request: Request,
    ward: NamedDependency[WardContext],
    membership_id: FromPath[int],
    data: JSONBody[DecisionIn | None] = None,
) -> AccountOut:
    return await _decide(request, membership_id, True, data or DecisionIn())


@post(
    "/landlords/{membership_id:int}/reject",
    summary="Reject a pending landlord (reason required)",
    opt=OFFICER,
    status_code=200,
)
async def reject_landlord(
    request: Request, ward: NamedDependency[WardContext], membership_id: FromPath[int], data: JSONBody[DecisionIn]
) -> AccountOut:
    return await _decide(request, membership_id, False, data)


ward_api = Router(
    path="/w/{ward_slug:str}",
    route_handlers=[ward_info, ward_accounts, approve_landlord, reject_landlord, housing_api, counter_queue_api],
    dependencies={"ward": Provide(provide_ward)},
    guards=[ward_guard],
)
api_router = Router(path="/api/v1", route_handlers=[me, ward_api], tags=["api"])

__all__ = ["api_router"]
