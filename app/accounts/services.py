"""The rules of accounts: signing in (with throttling), landlord sign-up and approval, staff accounts,
password resets and changes. Every change runs in one transaction together with its audit row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from litestar.connection import ASGIConnection

from app.accounts.current import roles_of
from app.accounts.events import notify_landlord_decision
from app.accounts.passwords import hash_password, temporary_password, verify_password
from app.accounts.sessions import end_sessions_of
from app.accounts.tables import Consent, Membership, MembershipStatus, Role, User
from app.audit.service import Action, client_of, failed_sign_ins, record
from app.db import write_transaction
from app.errors import RuleError
from app.i18n import _l
from app.once import run_once
from app.settings import get_settings
from tenants.scope import current_ward_id

WRONG_CREDENTIALS = _l("Wrong phone number or password.")
CONSENT_NEEDED = _l("Sign-up needs your consent to the processing of your personal data.")
PHONE_TAKEN = _l("An account with this phone number already exists. Sign in, then ask to join this ward.")
# Shared addresses (a ward office's wifi, mobile carriers' NAT) get more room than a single phone.
IP_FAILURE_FACTOR = 4


def _now() -> datetime:
    return datetime.now(UTC)


class Throttled(RuleError):
    def __init__(self, minutes: int) -> None:
        super().__init__(
            _l("Too many failed attempts. Try again in %(minutes)s minutes.", minutes=minutes), status_code=429
        )
        self.minutes = minutes


async def _check_throttle(phone: str, ip: str) -> None:
    security = get_settings().file.security
    window = timedelta(minutes=security.login_window_minutes)
    since = _now() - window
    for failures, limit in (
        (await failed_sign_ins(since, phone=phone), security.login_max_failures),
        (await failed_sign_ins(since, ip=ip) if ip else [], security.login_max_failures * IP_FAILURE_FACTOR),
    ):
        if len(failures) >= limit:
            # Free again when the oldest failure that counts leaves the window.
            wait = failures[-limit] + window - _now()
            raise Throttled(max(1, int(wait.total_seconds() // 60) + 1))


async def sign_in(phone: str, password: str, connection: ASGIConnection, ward_hint: str = "") -> tuple[int, int | None]:
    """Check the password; return (user id, membership id to work in). Unknown phone and wrong
    password fail alike, in the same time (argon2 verifies against a dummy hash)."""
    ip, _agent = client_of(connection)
    user = (
        await User.select(User.id, User.password_hash)
        .where((User.phone == phone) & (User.active == True))  # noqa: E712
        .first()
    )
    roles = [r for r in await roles_of(user["id"]) if r.usable] if user else []
    chosen = next((r for r in roles if r.ward_slug == ward_hint), roles[0] if roles else None)
    ward_id = chosen.ward_id if chosen else None  # the audit row goes to the ward the person works in
    try:
        await _check_throttle(phone, ip)
    except Throttled:
        async with write_transaction():
            await record(Action.SIGN_IN_THROTTLED, connection=connection, ward_id=ward_id, phone=phone, summary=phone)
        raise
    if not await verify_password(user["password_hash"] if user else None, password):
        async with write_transaction():
            await record(Action.SIGN_IN_FAILED, connection=connection, ward_id=ward_id, phone=phone, summary=phone)
        raise RuleError(WRONG_CREDENTIALS, field="password", status_code=401)
    async with write_transaction():
        await User.update({User.last_login_at: _now()}).where(User.id == user["id"])
        await record(Action.SIGN_IN, connection=connection, actor_id=user["id"], ward_id=ward_id, phone=phone)
    return user["id"], chosen.membership_id if chosen else None


async def phone_taken(phone: str) -> bool:
    return await User.exists().where(User.phone == phone)


async def _give_consent(user_id: int, purpose: str, connection: ASGIConnection) -> None:
    ip, _agent = client_of(connection)
    await Consent.ward_new(
        user=user_id,
        purpose=purpose,
        text_version=get_settings().file.security.consent_text_version,
        given_at=_now(),
        ip=ip,
    ).save()


async def sign_up_landlord(
    *,
    full_name: str,
    phone: str,
    id_number: str,
    password: str,
    connection: ASGIConnection,
    form_token: str,
    done_url: str,
) -> str:
    """A new account with a pending landlord role in the current ward; once per form token.
    Returns the URL to show next (the same for a repeated submit)."""
    password_hash = await hash_password(password)  # before the transaction: it takes tens of ms

    async def create() -> str:
        if await phone_taken(phone):
            raise RuleError(PHONE_TAKEN, field="phone", status_code=409)
        user = User(phone=phone, full_name=full_name, id_number=id_number, password_hash=password_hash)
        await user.save()
        membership = Membership.ward_new(user=user.id, role=Role.landlord, status=MembershipStatus.pending)
        await membership.save()
        await _give_consent(user.id, "landlord_signup", connection)
        await record(
            Action.SIGN_UP,
            connection=connection,
            actor_id=user.id,
            subject_type="membership",
            subject_id=membership.id,
            summary=full_name,
        )
        return done_url

    return await run_once(form_token, create)


async def request_landlord_role(user_id: int, connection: ASGIConnection) -> int:
    """A signed-in user asks to be a landlord in the current ward too. Call inside write_transaction()."""
    existing = (
        await Membership.ward_select(Membership.id, Membership.status)
        .where((Membership.user == user_id) & (Membership.role == Role.landlord))
        .first()
    )
    if existing:
        if existing["status"] in (MembershipStatus.rejected, MembershipStatus.deactivated):
            raise RuleError(_l("This ward has declined or ended your landlord role. Contact the ward office."))
        return existing["id"]
    membership = Membership.ward_new(user=user_id, role=Role.landlord, status=MembershipStatus.pending)
    await membership.save()
    await _give_consent(user_id, "landlord_signup", connection)
    await record(Action.SIGN_UP, connection=connection, subject_type="membership", subject_id=membership.id)
    return membership.id


async def pending_landlords() -> list[dict]:
    return await (
        Membership.ward_select(
            Membership.id,
            Membership.created_at,
            Membership.user.full_name,
            Membership.user.phone,
            Membership.user.id_number,
        )
        .where((Membership.role == Role.landlord) & (Membership.status == MembershipStatus.pending))
        .order_by(Membership.id)
    )


async def ward_accounts(role: str = "") -> list[dict]:
    query = Membership.ward_select(
        Membership.id,
        Membership.role,
        Membership.status,
        Membership.created_at,
        Membership.reason,
        Membership.user.id,
        Membership.user.full_name,
        Membership.user.phone,
        Membership.user.last_login_at,
        Membership.user.must_change_password,
    )
    if role:
        query = query.where(Membership.role == role)
    return await query.order_by(Membership.role).order_by(Membership.user.full_name)


async def _membership(membership_id: int) -> dict:
    row = (
        await Membership.ward_select(
            Membership.id, Membership.user, Membership.role, Membership.status, Membership.user.full_name
        )
        .where(Membership.id == membership_id)
        .first()
    )
    if row is None:
        raise LookupError(membership_id)
    return row


async def decide_landlord(membership_id: int, *, approve: bool, reason: str, connection: ASGIConnection) -> None:
    row = await _membership(membership_id)
    if row["role"] != Role.landlord or row["status"] != MembershipStatus.pending:
        raise RuleError(_l("This request has already been decided."), status_code=409)
    if not approve and not reason:
        raise RuleError(_l("Give the reason, so the landlord knows what to correct."), field="reason")
    officer = connection.scope["user"]
    async with write_transaction():
        await Membership.ward_update(
            {
                Membership.status: MembershipStatus.active if approve else MembershipStatus.rejected,
                Membership.decided_at: _now(),
                Membership.decided_by: officer.id,
                Membership.reason: reason,
            }
        ).where((Membership.id == membership_id) & (Membership.status == MembershipStatus.pending))
        await record(
            Action.APPROVED if approve else Action.REJECTED,
            connection=connection,
            subject_type="membership",
            subject_id=membership_id,
            summary=row["user.full_name"] + (f": {reason}" if reason else ""),
        )
        await notify_landlord_decision(
            row["user"], approve=approve, reason=reason, subject=f"membership:{membership_id}"
        )


async def create_staff(*, role: Role, full_name: str, phone: str, connection: ASGIConnection) -> tuple[int, str | None]:
    """An officer or police account of the current ward. A new user gets a temporary password to change
    at first sign-in (returned once); an existing user (same phone) gets the role added."""
    if role not in (Role.officer, Role.police):
        raise RuleError(_l("Choose one of the options."), field="role")
    password = temporary_password()
    password_hash = await hash_password(password)
    async with write_transaction():
        user = await User.select(User.id).where(User.phone == phone).first()
        if user is None:
            new = User(phone=phone, full_name=full_name, password_hash=password_hash, must_change_password=True)
            await new.save()
            user_id = new.id
        else:
            user_id, password = user["id"], None
            if await Membership.ward_exists().where((Membership.user == user_id) & (Membership.role == role)):
                raise RuleError(_l("This person already has this role in the ward."), field="phone", status_code=409)
        actor = connection.scope.get("user") if connection else None
        membership = Membership.ward_new(
            user=user_id,
            role=role,
            status=MembershipStatus.active,
            decided_at=_now(),
            decided_by=actor.id if actor else None,
        )
        await membership.save()
        await record(
            Action.ACCOUNT_CREATED,
            connection=connection,
            subject_type="membership",
            subject_id=membership.id,
            summary=f"{role.value}: {full_name}",
        )
    return membership.id, password


async def _user_only_here(user_id: int) -> bool:
    """True when every role of the user is in the current ward, so this ward's officer may reset them."""
    ward_id = current_ward_id()
    roles = await roles_of(user_id)
    admin = await User.exists().where((User.id == user_id) & (User.is_platform_admin == True))  # noqa: E712
    return not admin and all(r.ward_id == ward_id for r in roles)


async def reset_password(membership_id: int, connection: ASGIConnection) -> str:
    row = await _membership(membership_id)
    if not await _user_only_here(row["user"]):
        raise RuleError(
            _l("This person also works in another ward; ask the platform administrator to reset the password."),
            status_code=409,
        )
    password = temporary_password()
    password_hash = await hash_password(password)
    async with write_transaction():
        await User.update({User.password_hash: password_hash, User.must_change_password: True}).where(
            User.id == row["user"]
        )
        await end_sessions_of(row["user"])
        await record(
            Action.PASSWORD_RESET,
            connection=connection,
            subject_type="membership",
            subject_id=membership_id,
            summary=row["user.full_name"],
        )
    return password


async def set_active(membership_id: int, *, active: bool, connection: ASGIConnection) -> None:
    row = await _membership(membership_id)
    if row["user"] == connection.scope["user"].id:
        raise RuleError(_l("You cannot deactivate your own account."), status_code=409)
    allowed_from = (
        (MembershipStatus.active, MembershipStatus.pending) if not active else (MembershipStatus.deactivated,)
    )
    if row["status"] not in allowed_from:
        raise RuleError(_l("This account is not in a state that allows this."), status_code=409)
    async with write_transaction():
        await Membership.ward_update(
            {
                Membership.status: MembershipStatus.active if active else MembershipStatus.deactivated,
                Membership.decided_at: _now(),
                Membership.decided_by: connection.scope["user"].id,
            }
        ).where(Membership.id == membership_id)
        await record(
            Action.REACTIVATED if active else Action.DEACTIVATED,
            connection=connection,
            subject_type="membership",
            subject_id=membership_id,
            summary=row["user.full_name"],
        )


async def change_password(user_id: int, current: str, new: str, connection: ASGIConnection) -> None:
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    if row is None or not await verify_password(row["password_hash"], current):
        raise RuleError(_l("The current password is not right."), field="current_password")
    if current == new:
        raise RuleError(_l("Choose a password different from the current one."), field="new_password")
    password_hash = await hash_password(new)
    async with write_transaction():
        await User.update({User.password_hash: password_hash, User.must_change_password: False}).where(
            User.id == user_id
        )
        await record(
            Action.PASSWORD_CHANGED, connection=connection, actor_id=user_id, subject_type="user", subject_id=user_id
        )
