from __future__ import annotations

from enum import StrEnum

from piccolo.columns import Boolean, Bytea, Date, ForeignKey, Integer, OnDelete, Real, Text, Timestamptz, Varchar
from piccolo.table import Table

from app.accounts.tables import User
from tenants.scope import WardOwned


class PropertyKind(StrEnum):
    rooms = "rooms"  # nhà ngăn phòng cho thuê
    mini_apartment = "mini_apartment"  # chung cư mini
    dormitory = "dormitory"  # ký túc xá
    whole_house = "whole_house"  # nhà nguyên căn


class PropertyStatus(StrEnum):
    pending = "pending"  # registered by the landlord, waiting for the ward
    verified = "verified"
    sent_back = "sent_back"  # the officer asks the landlord to correct something
    suspended = "suspended"


class Property(WardOwned, Table):
    """A nhà trọ: a building or house with rooms and one QR sticker."""

    landlord = ForeignKey(User, null=False, index=True, on_delete=OnDelete.restrict)
    name = Varchar(length=120)
    street_address = Varchar(length=255)
    residential_group = Varchar(length=60, default="", index=True)  # tổ dân phố
    kind = Varchar(length=20, choices=PropertyKind)
    contact_phone = Varchar(length=15, default="")
    show_contact = Boolean(default=True)
    house_rules = Text(default="")
    status = Varchar(length=12, choices=PropertyStatus, default=PropertyStatus.pending, index=True)
    status_reason = Text(default="")
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    # The sticker's token: global, since /q/<token> carries no ward. Rotating keeps the old one so an
    # old sticker can say it was replaced.
    qr_token = Varchar(length=24, unique=True, index=True)
    previous_qr_token = Varchar(length=24, null=True, default=None, unique=True)
    created_at = Timestamptz()


class Room(WardOwned, Table):
    """A rentable unit. Unique per (ward, property, code)."""

    property = ForeignKey(Property, null=False, index=True, on_delete=OnDelete.restrict)
    code = Varchar(length=20)
    floor = Integer(null=True, default=None)
    area_m2 = Real(null=True, default=None)
    max_occupancy = Integer(default=1)
    monthly_rent = Integer(null=True, default=None)  # whole đồng
    archived = Boolean(default=False)
    created_at = Timestamptz()


class Renter(WardOwned, Table):
    """A person renting in the ward: one row per ID number per ward, found again on a later stay."""

    id_number = Varchar(length=12)
    old_id_number = Varchar(length=9, default="")
    full_name = Varchar(length=120)
    name_folded = Varchar(length=120, index=True)  # lower-case, no diacritics: "nguyen van a"
    birth_date = Date(null=True, default=None)
    gender = Varchar(length=6, default="")  # "male", "female", "" unknown
    permanent_address = Varchar(length=255, default="")
    phone = Varchar(length=15, default="")
    occupation = Varchar(length=120, default="")  # nghề nghiệp / nơi làm việc
    hometown = Varchar(length=255, default="")  # quê quán, when it differs from the permanent address
    # A foreigner (any nationality but VN) is known by their passport: `id_number` holds its number.
    nationality = Varchar(length=2, default="VN")  # ISO 3166-1 alpha-2
    visa_expiry = Date(null=True, default=None)  # the visa's or residence permit's last day, for a foreigner
    created_at = Timestamptz()


class Stay(WardOwned, Table):
    """A renter in a room from a date; open while `to_date` is empty."""

    renter = ForeignKey(Renter, null=False, index=True, on_delete=OnDelete.restrict)
    room = ForeignKey(Room, null=False, index=True, on_delete=OnDelete.restrict)
    from_date = Date()
    expected_to = Date(null=True, default=None)
    to_date = Date(null=True, default=None, index=True)
    reason = Varchar(length=120, default="")
    created_at = Timestamptz()


class RequestStatus(StrEnum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"


class SelfRegistration(WardOwned, Table):
    """A resident's request, made from the property's QR, to be registered there. Nothing else is created
    until the landlord accepts; `code` lets the resident follow it without an account."""

    property = ForeignKey(Property, null=False, index=True, on_delete=OnDelete.restrict)
    room = ForeignKey(Room, null=True, default=None, on_delete=OnDelete.restrict)
    id_number = Varchar(length=12)
    old_id_number = Varchar(length=9, default="")
    full_name = Varchar(length=120)
    birth_date = Date(null=True, default=None)
    gender = Varchar(length=6, default="")
    permanent_address = Varchar(length=255, default="")
    phone = Varchar(length=15)
    occupation = Varchar(length=120, default="")
    move_in = Date()
    consent_at = Timestamptz()
    status = Varchar(length=10, choices=RequestStatus, default=RequestStatus.pending, index=True)
    reason = Text(default="")
    code = Varchar(length=24, unique=True, index=True)
    created_at = Timestamptz()
    decided_at = Timestamptz(null=True, default=None)


class SheetStatus(StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class StickerSheet(WardOwned, Table):
    """A sheet of QR stickers an officer asked for, for the properties matching a filter: its progress while a
    worker renders it, then the PDF. Kept in the database so that any worker can show the progress and serve
    the file; kept for a day (see app/housing/sticker_sheets.py)."""

    property_status = Varchar(length=12, default="")  # the filter it was made for; "" means any
    residential_group = Varchar(length=60, default="")
    status = Varchar(length=8, choices=SheetStatus, default=SheetStatus.queued)
    total = Integer(default=0)  # stickers
    done = Integer(default=0)  # stickers laid out so far
    pdf = Bytea(null=True, default=None)
    created_by = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    updated_at = Timestamptz()  # the rendering worker's last sign of life
