from __future__ import annotations

from piccolo.columns import Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class Ward(Table):
    """A phường / xã / đặc khu: the tenant of the service, keyed by its official commune code."""

    code = Integer(unique=True, index=True)
    name = Varchar(length=120)
    province_code = Integer()
    province_name = Varchar(length=120)
    slug = Varchar(length=60, unique=True, index=True)
    address = Varchar(length=255, default="")
    phone = Varchar(length=20, default="")
    police_phone = Varchar(length=20, default="")
    email = Varchar(length=120, default="")
    office_hours = Text(default="")
    active = Boolean(default=True)
    created_at = Timestamptz()
