"""Who is making the request: the signed-in user, their roles in wards, and the one they work in now."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.accounts.tables import Membership, MembershipStatus, Role, User
from tenants.scope import across_wards


@dataclass(frozen=True)
class WardRole:
    membership_id: int
    ward_id: int
    ward_slug: str
    ward_name: str
    role: Role
    status: MembershipStatus
    reason: str = ""  # why a request was rejected or an account ended, shown to its owner

    @property
    def usable(self) -> bool:
        """Active roles work fully; a pending landlord may still sign in and see their status."""
        return self.status == MembershipStatus.active or (
            self.role == Role.landlord and self.status == MembershipStatus.pending
        )


@dataclass(frozen=True)
class CurrentUser:
    id: int
    phone: str
    full_name: str
    is_platform_admin: bool
    must_change_password: bool
    locale: str
    roles: tuple[WardRole, ...] = field(default_factory=tuple)
    active_membership_id: int | None = None
    via_token: bool = False

    @property
    def usable_roles(self) -> list[WardRole]:
        return [r for r in self.roles if r.usable]

    @property
    def active(self) -> WardRole | None:
        """The ward role this session works in now: the one chosen at sign-in or by the switcher, or,
        when that one is not usable (none yet, or deactivated since), the first usable role."""
        usable = self.usable_roles
        chosen = next((r for r in usable if r.membership_id == self.active_membership_id), None)
        return chosen or (usable[0] if usable else None)

    def role_in(self, ward_id: int) -> WardRole | None:
        """The session's role in this ward, if the session works in it now. A token works in every
        ward where the user holds a usable role (an API client names the ward in the URL)."""
        if self.via_token:
            return next((r for r in self.usable_roles if r.ward_id == ward_id), None)
        active = self.active
        return active if active and active.ward_id == ward_id else None

    def home_url(self) -> str:
        if self.must_change_password and not self.via_token:
            return "/account/password"
        if active := self.active:
            return f"/w/{active.ward_slug}/{active.role.value}/"
        if self.is_platform_admin:
            return "/admin/"
        return "/account"


async def load_current_user(
    user_id: int, active_membership_id: int | None, via_token: bool = False
) -> CurrentUser | None:
    user = (
        await User.select(
            User.id, User.phone, User.full_name, User.is_platform_admin, User.must_change_password, User.locale
        )
        .where((User.id == user_id) & (User.active == True))  # noqa: E712 - Piccolo builds SQL from ==
        .first()
    )
    if user is None:
        return None
    roles = await roles_of(user_id)
    return CurrentUser(
        id=user["id"],
        phone=user["phone"],
        full_name=user["full_name"],
        is_platform_admin=user["is_platform_admin"],
        must_change_password=user["must_change_password"],
        locale=user["locale"],
        roles=tuple(roles),
        active_membership_id=active_membership_id,
        via_token=via_token,
    )


async def roles_of(user_id: int) -> list[WardRole]:
    """A user's roles in every ward: a deliberate cross-ward read of the user's own rows."""
    async with across_wards():
        rows = (
            await Membership.ward_select(
                Membership.id,
                Membership.ward.id,
                Membership.ward.slug,
                Membership.ward.name,
                Membership.role,
                Membership.status,
                Membership.reason,
            )
            .where((Membership.user == user_id) & (Membership.ward.active == True))  # noqa: E712
            .order_by(Membership.id)
        )
    return [
        WardRole(
            membership_id=r["id"],
            ward_id=r["ward.id"],
            ward_slug=r["ward.slug"],
            ward_name=r["ward.name"],
            role=Role(r["role"]),
            status=MembershipStatus(r["status"]),
            reason=r["reason"],
        )
        for r in rows
    ]
