"""The demo: two wards, so isolation can be seen, and an account for every role (password demo12345).

Loaded by `make run` into an empty database and by `litestar demo load`; refused in production mode.
"""

from __future__ import annotations

import contextlib

from app.accounts.admin_service import create_user
from app.accounts.tables import Role
from app.counter.dossier_demo import load_dossier_demo
from app.counter.queue_demo import load_queue_demo
from app.errors import RuleError
from app.housing.demo import load_housing_demo, load_requests_demo, load_stays_demo
from app.notify.demo import load_notify_demo
from app.settings import get_settings
from tenants.resolve import find_ward
from tenants.service import create_ward
from tenants.tables import Ward

PASSWORD = "demo12345"
OFFICE_HOURS = "T2-T6 07:30-11:30 13:30-17:00; T7 07:30-11:30"

WARDS = [
    {
        "code": 622,
        "slug": "xuan-phuong",
        "address": "Trụ sở UBND phường Xuân Phương, Hà Nội (địa chỉ minh hoạ)",
        "phone": "02430000622",
        "police_phone": "02430001622",
        "email": "motcua.xuanphuong@example.vn",
    },
    {
        "code": 20197,
        "slug": "lien-chieu",
        "address": "Trụ sở UBND phường Liên Chiểu, Đà Nẵng (địa chỉ minh hoạ)",
        "phone": "02360020197",
        "police_phone": "02360021197",
        "email": "motcua.lienchieu@example.vn",
    },
]

ACCOUNTS = [
    # phone, name, ward slug, role
    ("0900000001", "Nguyễn Thị Lan (cán bộ)", "xuan-phuong", Role.officer),
    ("0900000002", "Trần Văn Hùng (công an)", "xuan-phuong", Role.police),
    ("0900000003", "Lê Văn Minh (chủ trọ)", "xuan-phuong", Role.landlord),
    ("0900000011", "Phạm Thị Hoa (cán bộ)", "lien-chieu", Role.officer),
    ("0900000012", "Hoàng Văn Nam (công an)", "lien-chieu", Role.police),
    ("0900000013", "Võ Thị Mai (chủ trọ)", "lien-chieu", Role.landlord),
]
LANDLORD_ID_NUMBERS = {"0900000003": "001085012345", "0900000013": "048190012345"}


class DemoRefused(RuntimeError):
    pass


async def load_demo(*, only_if_empty: bool = False) -> bool:
    if get_settings().production:
        raise DemoRefused("demo data is refused in production mode")
    if await Ward.count() > 0:
        if only_if_empty:
            return False
        raise DemoRefused("the database already has wards; load the demo into an empty database")
    ward_ids = {}
    for ward in WARDS:
        existing = await find_ward(ward["slug"])
        ward_ids[ward["slug"]] = existing["id"] if existing else await create_ward(**ward, office_hours=OFFICE_HOURS)
    await create_user(phone="0900000000", full_name="Quản trị nền tảng", password=PASSWORD, platform_admin=True)
    for phone, name, slug, role in ACCOUNTS:
        with contextlib.suppress(RuleError):  # loaded before: the role is already there
            await create_user(
                phone=phone,
                full_name=name,
                password=PASSWORD,
                ward_id=ward_ids[slug],
                role=role,
                id_number=LANDLORD_ID_NUMBERS.get(phone),
            )
    await load_housing_demo(ward_ids["xuan-phuong"], "xuan-phuong", "0900000003", houses=20, seed=622)
    await load_housing_demo(ward_ids["lien-chieu"], "lien-chieu", "0900000013", houses=6, seed=20197)
    await load_stays_demo(ward_ids["xuan-phuong"], renters=300, seed=622)
    await load_stays_demo(ward_ids["lien-chieu"], renters=60, seed=20197)
    await load_requests_demo(ward_ids["xuan-phuong"], "0900000003", count=3, seed=622)
    await load_requests_demo(ward_ids["lien-chieu"], "0900000013", count=1, seed=20197)
    # After the catalogue's demo: the queue needs its groups (and checks in some of today's bookings).
    await load_queue_demo(ward_ids["xuan-phuong"], counters=3, people=14, seed=622)
    await load_queue_demo(ward_ids["lien-chieu"], counters=2, people=6, seed=20197)
    await load_notify_demo(ward_ids["xuan-phuong"], "xuan-phuong", "0900000003")
    await load_notify_demo(ward_ids["lien-chieu"], "lien-chieu", "0900000013")
    await load_dossier_demo(ward_ids["xuan-phuong"], "xuan-phuong", "0900000001", OFFICE_HOURS, seed=622)
    await load_dossier_demo(ward_ids["lien-chieu"], "lien-chieu", "0900000011", OFFICE_HOURS, seed=20197)
    return True
