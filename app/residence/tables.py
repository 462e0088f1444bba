"""Residence declarations: what a landlord files with the ward police for a stay, and their history.

A declaration carries a snapshot of the person and the stay as filed, modelled on the police's establishment
API (its "API 5" fields), so a later push to that API needs no new data and a later edit of the renter does
not change what was filed. Nothing here is ever deleted: a declaration moves through its states and every
move is appended to `DeclarationEvent`.
"""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import Boolean, Date, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table

from app.accounts.tables import User
from app.housing.tables import Renter, Stay
from app.residence.deadlines import DeclarationKind
from tenants.scope import WardOwned


class DeclarationState(StrEnum):
    draft = "draft"
    submitted = "submitted"  # filed by the landlord, not yet seen by the police
    received = "received"  # the police have taken it up
    accepted = "accepted"  # registered: `reference` holds the police's number
    rejected = "rejected"  # `rejection_reason` says what to correct
    extended = "extended"  # an accepted tạm trú whose term an extension carries on
    ended = "ended"  # an accepted declaration that no longer runs (the renter left, or removal filed)


class IdType(StrEnum):
    """The police API's catalogue of identity papers (loaiGiayTo), by its codes."""

    cccd = "1"  # căn cước công dân
    cmnd = "2"  # chứng minh nhân dân
    driving_licence = "3"
    passport = "4"
    birth_certificate = "5"
    health_insurance = "6"
    id_notice = "7"  # giấy xác nhận số định danh cá nhân
    can_cuoc = "8"  # thẻ căn cước (2024)


class Declaration(WardOwned, Table):
    """One filing for one stay: a lưu trú notification, a tạm trú registration, its extension or removal."""

    stay = ForeignKey(Stay, null=False, index=True, on_delete=OnDelete.restrict)
    renter = ForeignKey(Renter, null=False, index=True, on_delete=OnDelete.restrict)
    kind = Varchar(length=10, choices=DeclarationKind)
    state = Varchar(length=10, choices=DeclarationState, default=DeclarationState.draft, index=True)
    deadline = Timestamptz(null=True, default=None, index=True)  # late from this moment
    # The snapshot, as filed (police API field names in comments).
    id_type = Varchar(length=2, default=IdType.cccd)  # loaiGiayTo
    id_number = Varchar(length=20, default="")  # soGiayTo
    full_name = Varchar(length=120, default="")  # hoTen
    gender = Varchar(length=6, default="")  # gioiTinh: "male", "female", "" unknown
    birth_date = Date(null=True, default=None)  # ngayThangNamSinhStr
    arrival_date = Date(null=True, default=None)  # ngayDenCsltStr
    expected_departure = Date(null=True, default=None)  # ngayDiDuKienStr
    room_code = Varchar(length=20, default="")  # soPhong
    reason = Varchar(length=120, default="")  # lyDoCuTru
    ward_code = Varchar(length=10, default="")  # maPX: the commune of the stay
    address = Varchar(length=255, default="")  # diaChi: the address of the stay
    permanent_address = Varchar(length=255, default="")
    phone = Varchar(length=15, default="")  # soDienThoai
    # A foreigner's (the police API's "API 4"): the passport is id_type "4" with its number in id_number.
    nationality = Varchar(length=2, default="VN")  # quocTich, ISO 3166-1 alpha-2
    visa_expiry = Date(null=True, default=None)  # the visa's or temporary residence card's last day
    # The police's side.
    reference = Varchar(length=60, default="")  # registration number or reference, once accepted
    rejection_reason = Text(default="")
    created_at = Timestamptz()
    submitted_at = Timestamptz(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)


class DeclarationEvent(WardOwned, Table):
    """An append-only line of a declaration's history: who moved it from which state to which, and what
    changed (a JSON object, e.g. the reference given or the fields corrected)."""

    declaration = ForeignKey(Declaration, null=False, index=True, on_delete=OnDelete.restrict)
    at = Timestamptz()
    who = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    from_state = Varchar(length=10, default="")  # "" for the creation
    to_state = Varchar(length=10)
    note = Text(default="")
    changes = Text(default="{}")  # JSON


class DeskSettings(WardOwned, Table):
    """The ward police desk's settings, one row per ward (absent: the defaults)."""

    # A remote area (vùng sâu, vùng xa) gives foreigners' declarations 24 hours instead of 12 (Law 47/2014
    # Art 33); which communes count as remote is the province's decision, so the ward police set it.
    remote_area = Boolean(default=False)
    updated_at = Timestamptz()
