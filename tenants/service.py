"""Creating and editing wards (platform admin, web and CLI)."""

from __future__ import annotations

import re

from app import memo
from app.audit.service import Action, record
from app.db import write_transaction
from app.errors import RuleError
from app.i18n import _l
from app.web import page_cache
from tenants.communes import find_commune
from tenants.office_hours import OfficeHoursError, parse_office_hours
from tenants.tables import Ward

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


async def check_ward_fields(*, code: int, slug: str, office_hours: str, ward_id: int | None = None) -> None:
    """Raise RuleError on the first field that is not acceptable."""
    if find_commune(code) is None:
        raise RuleError(_l("No commune has this official code in the list of 1 July 2025."), field="code")
    if not SLUG.match(slug) or len(slug) > 60:
        raise RuleError(_l("Use lower-case letters, digits and hyphens, e.g. xuan-phuong."), field="slug")
    try:
        parse_office_hours(office_hours)
    except OfficeHoursError as exc:
        raise RuleError(exc.text, field="office_hours") from exc
    for column, value, field, message in (
        (Ward.code, code, "code", _l("This commune already has a ward on the platform.")),
        (Ward.slug, slug, "slug", _l("This address is taken by another ward.")),
    ):
        query = Ward.exists().where(column == value)
        if ward_id is not None:
            query = query.where(Ward.id != ward_id)
        if await query:
            raise RuleError(message, field=field, status_code=409)


async def create_ward(
    *,
    code: int,
    slug: str,
    address: str = "",
    phone: str = "",
    police_phone: str = "",
    email: str = "",
    office_hours: str = "",
    connection=None,
    actor_id: int | None = None,
) -> int:
    """Create a ward from its official commune code; name and province come from the official list."""
    await check_ward_fields(code=code, slug=slug, office_hours=office_hours)
    commune = find_commune(code)
    assert commune is not None
    async with write_transaction():
        ward = Ward(
            code=code,
            slug=slug,
            name=commune.name,
            province_code=commune.province_code,
            province_name=commune.province_name,
            address=address,
            phone=phone,
            police_phone=police_phone,
            email=email,
            office_hours=office_hours,
        )
        await ward.save()
        await record(
            Action.WARD_CREATED,
            connection=connection,
            actor_id=actor_id,
            ward_id=ward.id,
            subject_type="ward",
            subject_id=ward.id,
            summary=f"{commune.name} ({slug})",
        )
    memo.forget()  # a lookup of the slug before may have kept "no such ward"
    return ward.id


async def update_ward(
    ward_id: int,
    *,
    slug: str,
    address: str,
    phone: str,
    police_phone: str,
    email: str,
    office_hours: str,
    active: bool,
    connection=None,
) -> None:
    row = await Ward.select(Ward.code).where(Ward.id == ward_id).first()
    if row is None:
        raise LookupError(ward_id)
    await check_ward_fields(code=row["code"], slug=slug, office_hours=office_hours, ward_id=ward_id)
    async with write_transaction():
        await Ward.update(
            {
                Ward.slug: slug,
                Ward.address: address,
                Ward.phone: phone,
                Ward.police_phone: police_phone,
                Ward.email: email,
                Ward.office_hours: office_hours,
                Ward.active: active,
            }
        ).where(Ward.id == ward_id)
        await record(
            Action.WARD_UPDATED,
            connection=connection,
            ward_id=ward_id,
            subject_type="ward",
            subject_id=ward_id,
            summary=slug,
        )
    page_cache.forget()  # after the commit, so no request keeps the old page
    memo.forget()


async def list_wards(*, active_only: bool = True) -> list[dict]:
    query = Ward.select(Ward.id, Ward.code, Ward.slug, Ward.name, Ward.province_name, Ward.active)
    if active_only:
        query = query.where(Ward.active == True)  # noqa: E712
    return await query.order_by(Ward.province_name).order_by(Ward.name)
