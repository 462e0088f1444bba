"""Demo of the counter's catalogue and bookings: each demo ward's service groups, a realistic list of the
procedures a ward's one-stop counter handles (legal times and fees as the national rules set them), and bookings
for today and the next open days. Called by `app.demo.load_demo()`; the people are invented."""

from __future__ import annotations

import random
import secrets
from datetime import UTC, datetime, timedelta

from app.counter import bookings
from app.counter.slots import day_slots, upcoming_slots
from app.counter.tables import Booking, BookingStatus, Procedure, ServiceGroup
from app.db import write_transaction
from tenants.scope import ward_scope

# letter, name, seats per slot
GROUPS = [("A", "Cư trú", 4), ("B", "Chứng thực", 6), ("C", "Hộ tịch", 3)]

CT01 = "Tờ khai thay đổi thông tin cư trú (mẫu CT01)"
CCCD = "Thẻ căn cước / CCCD (xuất trình)"
# group, name, field, days, hours, fee, fee note, documents, bookable
PROCEDURES = [
    ("A", "Đăng ký tạm trú", "Cư trú", 3, None, 15000, "7.000 đ nếu nộp trực tuyến (Thông tư 75/2022/TT-BTC)",
     [CT01, "Giấy tờ chứng minh chỗ ở hợp pháp (hợp đồng thuê nhà, văn bản cho ở nhờ)", CCCD], True),
    ("A", "Gia hạn tạm trú", "Cư trú", 3, None, 10000, "5.000 đ nếu nộp trực tuyến",
     [CT01, "Giấy tờ chứng minh chỗ ở hợp pháp còn thời hạn", CCCD], True),
    ("A", "Xóa đăng ký tạm trú", "Cư trú", 1, None, 0, "",
     [CT01, "Giấy tờ chứng minh thuộc trường hợp xóa đăng ký tạm trú (nếu có)"], True),
    ("A", "Thông báo lưu trú", "Cư trú", 0, None, 0, "Có thể thông báo qua điện thoại, ứng dụng VNeID",
     ["Họ tên, số định danh, thời gian lưu trú của người lưu trú"], False),
    ("A", "Đăng ký thường trú", "Cư trú", 7, None, 20000, "10.000 đ nếu nộp trực tuyến",
     [CT01, "Giấy tờ chứng minh chỗ ở hợp pháp", "Văn bản đồng ý của chủ hộ (nếu nhập vào hộ đã có)"], True),
    ("A", "Xác nhận thông tin về cư trú", "Cư trú", 1, None, 0, "Tối đa 3 ngày làm việc nếu cần xác minh",
     ["Tờ khai thay đổi thông tin cư trú (mẫu CT01) hoặc đề nghị trên VNeID", CCCD], True),
    ("B", "Chứng thực bản sao từ bản chính", "Chứng thực", None, 4, 2000,
     "2.000 đ/trang; từ trang thứ ba 1.000 đ/trang, tối đa 200.000 đ/bản (Thông tư 226/2016/TT-BTC)",
     ["Bản chính giấy tờ cần chứng thực", "Bản sao cần chứng thực (nếu tự photo)"], True),
    ("B", "Chứng thực chữ ký", "Chứng thực", 0, None, 10000, "10.000 đ/trường hợp",
     [CCCD, "Giấy tờ, văn bản sẽ ký (ký trước mặt người thực hiện chứng thực)"], True),
    ("B", "Chứng thực hợp đồng, giao dịch", "Chứng thực", 2, None, 50000, "50.000 đ/hợp đồng, giao dịch",
     ["Dự thảo hợp đồng, giao dịch", "CCCD của các bên", "Giấy tờ về tài sản (nếu có)"], True),
    ("B", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", "Chứng thực", 2, None, 30000, "",
     ["Hợp đồng, giao dịch đã được chứng thực", "Dự thảo văn bản sửa đổi, bổ sung"], True),
    ("C", "Đăng ký khai sinh", "Hộ tịch", 0, None, 0, "Miễn lệ phí khi đăng ký đúng hạn",
     ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "CCCD của cha hoặc mẹ"], True),
    ("C", "Đăng ký kết hôn", "Hộ tịch", 0, None, 0, "Tối đa 5 ngày làm việc nếu cần xác minh; miễn lệ phí",
     ["Tờ khai đăng ký kết hôn", "CCCD của hai bên (hai bên cùng có mặt)"], True),
    ("C", "Đăng ký khai tử", "Hộ tịch", 0, None, 0, "Miễn lệ phí khi đăng ký đúng hạn",
     ["Tờ khai đăng ký khai tử", "Giấy báo tử hoặc giấy tờ thay giấy báo tử"], True),
    ("C", "Cấp giấy xác nhận tình trạng hôn nhân", "Hộ tịch", 3, None, 0, "Lệ phí theo nghị quyết của tỉnh",
     ["Tờ khai cấp giấy xác nhận tình trạng hôn nhân", CCCD, "Bản án, quyết định ly hôn (nếu đã ly hôn)"], True),
    ("C", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", 0, None, 8000, "8.000 đ/bản (Thông tư 281/2016/TT-BTC)",
     ["Tờ khai cấp bản sao trích lục hộ tịch", CCCD], True),
    ("C", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "Hộ tịch", 3, None, 0,
     "Lệ phí theo nghị quyết của tỉnh", ["Tờ khai", "Giấy tờ chứng minh thông tin cần cải chính"], True),
    ("C", "Đăng ký lại khai sinh", "Hộ tịch", 5, None, 0, "",
     ["Tờ khai đăng ký lại khai sinh", "Bản sao giấy tờ có thông tin khai sinh (nếu có)"], True),
]  # fmt: skip

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Đức", "Thu", "Quang"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phúc", "Quân", "Thảo"]


async def load_counter_demo(ward_id: int, office_hours: str, *, per_day: int, seed: int) -> None:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    async with ward_scope(ward_id):
        async with write_transaction():
            group_ids = {}
            for order, (letter, name, capacity) in enumerate(GROUPS):
                group = ServiceGroup.ward_new(letter=letter, name=name, slot_capacity=capacity, sort_order=order)
                await group.save()
                group_ids[letter] = (group.id, capacity)
            bookable = []
            for order, (letter, name, field, days, hours, fee, note, documents, can_book) in enumerate(PROCEDURES):
                procedure = Procedure.ward_new(
                    service_group=group_ids[letter][0],
                    name=name,
                    field=field,
                    processing_days=days,
                    processing_hours=hours,
                    fee=fee,
                    fee_note=note,
                    documents="\n".join(documents),
                    bookable=can_book,
                    sort_order=order,
                    created_at=now,
                )
                await procedure.save()
                if can_book:
                    bookable.append((procedure.id, *group_ids[letter]))
        await _bookings(rng, office_hours, bookable, per_day)


def _id_number(rng: random.Random, born: int) -> str:
    """A CCCD number of the real structure: province, century and sex, year of birth, six digits."""
    return f"0{rng.choice(['01', '48', '79'])}{rng.choice('01')}{born % 100:02d}{rng.randint(0, 999_999):06d}"


async def _bookings(rng: random.Random, office_hours: str, bookable: list, per_day: int) -> None:
    """Today's bookings (the earlier ones already checked in, as the kiosk would have) and the next days'."""
    local = bookings.now_local()
    periods = bookings.periods_of(office_hours)
    today = [(local.date(), day_slots(periods, local.date(), 30))] if periods else []
    days = [d for d in today if d[1]] + upcoming_slots(
        periods, 30, datetime.combine(local.date() + timedelta(days=1), datetime.min.time()), 4
    )
    async with write_transaction():
        for day, slots in days:
            for i in range(per_day):
                slot = rng.choice(slots)
                procedure_id, group_id, capacity = rng.choice(bookable)
                if not await bookings._take_seat(group_id, day, slot.start, capacity):
                    continue
                past = slot.starts_at < local
                born = rng.randint(1960, 2004)
                booking = Booking.ward_new(
                    procedure=procedure_id,
                    service_group=group_id,
                    day=day,
                    slot_start=slot.start,
                    slot_end=slot.end,
                    full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                    phone=f"09{rng.randint(10_000_000, 99_999_999)}",
                    id_number=_id_number(rng, born) if i % 2 else "",
                    status=BookingStatus.checked_in if past and i % 3 else BookingStatus.booked,
                    code=bookings.new_code(),
                    token=secrets.token_urlsafe(16),
                    created_at=datetime.now(UTC) - timedelta(days=1),
                    checked_in_at=datetime.now(UTC) if past and i % 3 else None,
                )
                await booking.save()
