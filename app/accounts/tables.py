from __future__ import annotations

from enum import StrEnum

from piccolo.columns import Boolean, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table

from tenants.scope import WardOwned


class Role(StrEnum):
    officer = "officer"  # cán bộ
    police = "police"  # công an
    landlord = "landlord"  # chủ nhà trọ


class MembershipStatus(StrEnum):
    pending = "pending"
    active = "active"
    rejected = "rejected"
    deactivated = "deactivated"


class User(Table, tablename="account"):
    """A person who signs in. One account per phone number, whatever wards they work in."""

    phone = Varchar(length=15, unique=True, index=True)
    full_name = Varchar(length=120)
    id_number = Varchar(length=12, null=True, default=None)
    password_hash = Varchar(length=255, secret=True)
    must_change_password = Boolean(default=False)
    is_platform_admin = Boolean(default=False)
    active = Boolean(default=True)
    locale = Varchar(length=5, default="")
    created_at = Timestamptz()
    last_login_at = Timestamptz(null=True, default=None)


class Membership(WardOwned, Table):
    """A user's role in one ward. Unique per (ward, user, role)."""

    user = ForeignKey(User, null=False, index=True, on_delete=OnDelete.cascade)
    role = Varchar(length=10, choices=Role)
    status = Varchar(length=12, choices=MembershipStatus, default=MembershipStatus.pending)
    created_at = Timestamptz()
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    reason = Text(default="")


class Consent(WardOwned, Table):
    """Proof of consent to the processing of personal data (Luật BVDLCN 91/2025 Art 9): who, what text, when."""

    user = ForeignKey(User, null=False, index=True, on_delete=OnDelete.cascade)
    purpose = Varchar(length=40)
    text_version = Varchar(length=20)
    given_at = Timestamptz()
    ip = Varchar(length=45, default="")


class ApiToken(Table):
    """A personal API token. Only its SHA-256 is kept; the token itself is shown once."""

    user = ForeignKey(User, null=False, index=True, on_delete=OnDelete.cascade)
    name = Varchar(length=60)
    token_hash = Varchar(length=64, unique=True, index=True, secret=True)
    prefix = Varchar(length=12)
    created_at = Timestamptz()
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class SessionRecord(Table):
    """Server-side sessions, in the database so every worker and machine shares them."""

    key_hash = Varchar(length=64, unique=True, index=True, secret=True)
    user_id = Integer(null=True, default=None, index=True)  # to end a user's sessions on reset/deactivation
    data = Text()
    expires_at = Timestamptz(index=True)
