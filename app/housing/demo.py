"""Demo houses, rooms, renters and stays, so every housing screen has something real to show.
Called by `app.demo.load_demo()`. The people are invented; their ID numbers follow the real structure."""

from __future__ import annotations

import random
import secrets
from datetime import UTC, date, datetime, timedelta

from app.accounts.admin_service import create_user
from app.accounts.tables import Role, User
from app.db import write_transaction
from app.housing.services import new_qr_token
from app.housing.tables import Property, PropertyStatus, Renter, Room, SelfRegistration, Stay
from tenants.communes import fold
from tenants.scope import ward_scope

# The README links this house's public page: /q/demoHoaSua2025.
DEMO_TOKEN = "demoHoaSua2025"
NAMES = [
    "Hoa Sữa",
    "Bình An",
    "Phúc Lộc",
    "Hướng Dương",
    "Thành Công",
    "Minh Anh",
    "Ngọc Lan",
    "An Khang",
    "Hồng Hà",
    "Tâm Đức",
    "Thanh Xuân",
    "Gia Bảo",
    "Hạnh Phúc",
    "Sao Mai",
    "Bảo Ngọc",
    "Kim Liên",
    "Tân Phát",
    "Hoàng Long",
    "Mai Vàng",
    "Đức Thịnh",
]
STREETS = {
    "xuan-phuong": ["ngõ 12 Phương Canh", "ngõ 45 Xuân Phương", "ngõ 8 Tu Hoàng", "ngõ 3 Hòe Thị"],
    "lien-chieu": ["kiệt 24 Nguyễn Lương Bằng", "kiệt 7 Âu Cơ", "kiệt 15 Tôn Đức Thắng"],
}
EXTRA_LANDLORDS = {
    "xuan-phuong": [
        ("0901000001", "Đặng Văn Phúc"),
        ("0901000002", "Ngô Thị Hạnh"),
        ("0901000003", "Vũ Minh Quân"),
        ("0901000004", "Phan Thị Thu"),
    ],
    "lien-chieu": [("0901000011", "Lê Thị Hằng")],
}


async def load_housing_demo(ward_id: int, slug: str, main_landlord_phone: str, houses: int, seed: int) -> None:
    rng = random.Random(seed)
    landlords = [main_landlord_phone]
    for phone, name in EXTRA_LANDLORDS[slug]:
        await create_user(phone=phone, full_name=name, password="demo12345", ward_id=ward_id, role=Role.landlord)
        landlords.append(phone)
    ids = {r["phone"]: r["id"] for r in await User.select(User.id, User.phone).where(User.phone.is_in(landlords))}
    async with ward_scope(ward_id), write_transaction():
        for i in range(houses):
            phone = landlords[i % len(landlords)]
            status = PropertyStatus.pending if i % 7 == 6 else PropertyStatus.verified
            prop = Property.ward_new(
                landlord=ids[phone],
                name=f"Nhà trọ {NAMES[i % len(NAMES)]}",
                street_address=f"Số {rng.randint(1, 120)}, {rng.choice(STREETS[slug])}",
                residential_group=f"Tổ {rng.randint(1, 12)}",
                kind=rng.choice(["rooms", "rooms", "mini_apartment"]),
                contact_phone=phone,
                house_rules="Giữ trật tự sau 22:00. Để xe đúng nơi quy định.",
                status=status,
                qr_token=DEMO_TOKEN if i == 0 and slug == "xuan-phuong" else new_qr_token(),
            )
            await prop.save()
            floors = rng.randint(2, 4)
            per_floor = rng.randint(2, 3)
            await Room.ward_insert(
                *[
                    Room.ward_new(
                        property=prop.id,
                        code=f"{floor}{n:02d}",
                        floor=floor,
                        area_m2=rng.choice([15, 18, 20, 25]),
                        max_occupancy=rng.choice([2, 2, 3, 4]),
                        monthly_rent=rng.choice([1_500_000, 1_800_000, 2_200_000, 2_800_000]),
                    )
                    for floor in range(1, floors + 1)
                    for n in range(1, per_floor + 1)
                ]
            )


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = {"male": ["Văn", "Minh", "Đức", "Quang", "Hữu"], "female": ["Thị", "Ngọc", "Thu", "Thanh", "Kim"]}
GIVEN = {
    "male": ["Hùng", "Nam", "Tuấn", "Dũng", "Khánh", "Long", "Phong", "Sơn"],
    "female": ["Lan", "Hoa", "Mai", "Hương", "Trang", "Linh", "Thảo", "Yến"],
}
PROVINCES = [
    (1, "Hà Nội"),
    (35, "Hà Nam"),
    (36, "Nam Định"),
    (38, "Thanh Hóa"),
    (40, "Nghệ An"),
    (48, "Đà Nẵng"),
    (49, "Quảng Nam"),
    (34, "Thái Bình"),
]
JOBS = ["Công nhân", "Sinh viên", "Nhân viên văn phòng", "Lao động tự do", "Giáo viên", "Thợ may"]


def _id_number(rng: random.Random, province: int, year: int, gender: str) -> str:
    """A made-up number with the real structure: province, century/gender digit, year, six random digits."""
    digit = (0 if year < 2000 else 2) + (gender == "female")
    return f"{province:03d}{digit}{year % 100:02d}{rng.randint(0, 999999):06d}"


async def load_stays_demo(ward_id: int, renters: int, seed: int) -> None:
    """Renters in about two thirds of the beds, some who have already left (closed stays)."""
    rng = random.Random(seed)
    today = date.today()
    async with ward_scope(ward_id), write_transaction():
        rooms = await Room.ward_select(Room.id, Room.max_occupancy).order_by(Room.id)
        beds = [room["id"] for room in rooms for _ in range(room["max_occupancy"])]
        rng.shuffle(beds)
        used: set[str] = set()
        for i in range(renters):
            gender = rng.choice(["male", "female"])
            year = rng.randint(1975, 2006)
            province, place = rng.choice(PROVINCES)
            number = _id_number(rng, province, year, gender)
            if number in used:
                continue
            used.add(number)
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
            renter = Renter.ward_new(
                id_number=number,
                full_name=name,
                name_folded=fold(name),
                gender=gender,
                birth_date=date(year, rng.randint(1, 12), rng.randint(1, 28)),
                permanent_address=f"Xã {rng.choice(['Yên Phú', 'Hải Vân', 'Đông Sơn', 'Tân Lập'])}, {place}",
                phone=f"09{rng.randint(10000000, 99999999)}",
                occupation=rng.choice(JOBS),
            )
            await renter.save()
            if not beds:
                break
            start = today - timedelta(days=rng.randint(1, 600))
            left = i % 6 == 5  # one in six has moved out already
            await Stay.ward_new(
                renter=renter.id,
                room=beds.pop() if not left else rooms[rng.randrange(len(rooms))]["id"],
                from_date=start,
                expected_to=start + timedelta(days=rng.choice([180, 365, 730])),
                to_date=min(today, start + timedelta(days=rng.randint(20, 300))) if left else None,
                reason=rng.choice(["Làm việc", "Học tập", "Làm việc"]),
            ).save()


async def load_requests_demo(ward_id: int, landlord_phone: str, count: int, seed: int) -> None:
    """Residents who scanned a demo sticker and wait for the landlord to accept them."""
    rng = random.Random(seed)
    landlord = await User.select(User.id).where(User.phone == landlord_phone).first()
    async with ward_scope(ward_id), write_transaction():
        props = await Property.ward_select(Property.id).where(Property.landlord == landlord["id"]).limit(2)
        for i in range(count):
            prop = props[i % len(props)]["id"]
            room = await Room.ward_select(Room.id).where(Room.property == prop).first()
            gender = rng.choice(["male", "female"])
            year = rng.randint(1990, 2005)
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
            await SelfRegistration.ward_new(
                property=prop,
                room=room["id"],
                full_name=name,
                gender=gender,
                id_number=_id_number(rng, 38, year, gender),
                birth_date=date(year, rng.randint(1, 12), rng.randint(1, 28)),
                phone=f"09{rng.randint(10000000, 99999999)}",
                permanent_address="Xã Đông Sơn, Thanh Hóa",
                move_in=date.today(),
                consent_at=datetime.now(UTC),
                code=secrets.token_urlsafe(12),
            ).save()
