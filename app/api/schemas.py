from __future__ import annotations

import msgspec


class RoleOut(msgspec.Struct):
    membership_id: int
    ward: str
    ward_name: str
    role: str
    status: str


class MeOut(msgspec.Struct):
    id: int
    phone: str
    full_name: str
    platform_admin: bool
    roles: list[RoleOut]


class WardOut(msgspec.Struct):
    code: int
    slug: str
    name: str
    province: str
    address: str
    phone: str
    police_phone: str
    email: str
    office_hours: str


class AccountOut(msgspec.Struct):
    membership_id: int
    role: str
    status: str
    full_name: str
    phone: str


class DecisionIn(msgspec.Struct):
    reason: str = ""


class ErrorOut(msgspec.Struct):
    status_code: int
    detail: str
