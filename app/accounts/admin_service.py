"""Account operations outside a ward's own officers: the platform admin's first officers of a ward, and
the CLI's `litestar users create`."""

from __future__ import annotations

from litestar.connection import ASGIConnection

from app.accounts import services
from app.accounts.passwords import hash_password
from app.accounts.tables import Membership, MembershipStatus, Role, User
from app.db import write_transaction
from app.errors import RuleError
from app.i18n import _l
from tenants.scope import ward_scope


async def officers_of(ward_id: int) -> list[dict]:
    async with ward_scope(ward_id):
        return await (
            Membership.ward_select(Membership.id, Membership.status, Membership.user.full_name, Membership.user.phone)
            .where(Membership.role == Role.officer)
            .order_by(Membership.id)
        )


async def add_officer(ward_id: int, *, full_name: str, phone: str, connection: ASGIConnection) -> str | None:
    async with ward_scope(ward_id):
        _membership_id, password = await services.create_staff(
            role=Role.officer, full_name=full_name, phone=phone, connection=connection
        )
    return password


async def create_user(
    *,
    phone: str,
    full_name: str,
    password: str,
    ward_id: int | None = None,
    role: Role | None = None,
    platform_admin: bool = False,
    id_number: str | None = None,
) -> int:
    """Create (or find) the user by phone and give the role in the ward, active. For the CLI and the demo."""
    password_hash = await hash_password(password)
    async with write_transaction():
        row = await User.select(User.id).where(User.phone == phone).first()
        if row is None:
            user = User(
                phone=phone,
                full_name=full_name,
                password_hash=password_hash,
                is_platform_admin=platform_admin,
                id_number=id_number,
            )
            await user.save()
            user_id = user.id
        else:
            user_id = row["id"]
            if platform_admin:
                await User.update({User.is_platform_admin: True}).where(User.id == user_id)
    if ward_id is not None and role is not None:
        async with ward_scope(ward_id), write_transaction():
            if await Membership.ward_exists().where((Membership.user == user_id) & (Membership.role == role)):
                raise RuleError(_l("This person already has this role in the ward."), field="phone")
            await Membership.ward_new(user=user_id, role=role, status=MembershipStatus.active).save()
    return user_id
