"""CT01 benchmark: one pre-filled CT01 form as PDF, target under 300 ms warm.

Run with `python -m bench.ct01` (or every benchmark with `python -m bench.run`). In one fresh process:

- cold: the first form, paying for importing WeasyPrint, loading Pango, the fonts and the template;
- warm: the next `WARM_RUNS` forms, each for a different renter, as a long-running web worker renders them.
  The target applies to their 95th percentile.

The landlord's receipt is timed the same way, for information.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from app.residence.ct01 import Ct01Data, Ct01Member, ReceiptData, render_ct01_pdf, render_receipt_pdf, request_text
from app.residence.deadlines import DeclarationKind, tam_tru_expiry

WARM_RUNS = 40
TARGET_MS = 300.0

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Đức", "Thị Kim", "Minh", "Ngọc", "Hữu", "Thanh", "Quốc", "Thùy"]
GIVEN = ["Thư", "Bình", "Hùng", "Lan", "Dũng", "Hương", "Tuấn", "Ngọc Ánh", "Phương", "Đạt", "Yến", "Khải"]
WARDS = ["Phường Xuân Phương", "Phường Tây Mỗ", "Phường Đại Mỗ", "Phường Từ Liêm", "Phường Phương Canh"]
STREETS = ["đường Xuân Phương", "phố Trịnh Văn Bô", "đường Hồ Tùng Mậu", "phố Phương Canh", "đường Cầu Diễn"]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def make_form(seed: int) -> Ct01Data:
    """A realistic tạm trú registration: a renter, sometimes with a child, in a rented room."""
    rng = random.Random(seed)
    ward = rng.choice(WARDS)
    name = _name(rng)
    arrival = date(2026, 1, 1) + timedelta(days=rng.randint(0, 300))
    address = (
        f"Phòng {rng.randint(1, 5)}0{rng.randint(1, 9)}, số {rng.randint(1, 99)} ngõ {rng.randint(1, 120)} "
        f"{rng.choice(STREETS)}, tổ dân phố {rng.randint(1, 18)}, {ward}, Hà Nội"
    )
    members: tuple[Ct01Member, ...] = ()
    if rng.random() < 0.3:
        child_id = f"001{rng.randrange(10**9):09d}"
        members = (Ct01Member(_name(rng), date(2012 + rng.randint(0, 10), 6, 1), "Nam", child_id, "Con"),)
    number = f"0{rng.randint(1, 96):02d}{rng.choice('0123')}{rng.randint(70, 99):02d}{rng.randrange(10**6):06d}"
    return Ct01Data(
        authority=f"Công an {ward}, thành phố Hà Nội",
        full_name=name,
        birth_date=date(rng.randint(1970, 2005), rng.randint(1, 12), rng.randint(1, 28)),
        gender=rng.choice(["Nam", "Nữ"]),
        id_number=number,
        phone=f"09{rng.randrange(10**8):08d}",
        email="" if rng.random() < 0.6 else f"nguoithue{seed}@example.vn",
        household_head_name=name,
        household_head_relation="Chủ hộ",
        household_head_id_number=number,
        request=request_text(DeclarationKind.tam_tru, address, tam_tru_expiry(arrival, None)),
        members=members,
        owner_name=_name(rng),
    )


def make_receipt(seed: int) -> ReceiptData:
    form = make_form(seed)
    return ReceiptData(
        ward_name=form.authority.removeprefix("Công an ").split(",")[0],
        kind="Đăng ký tạm trú",
        renter_name=form.full_name,
        id_number=form.id_number,
        property_name="Nhà trọ Hoa Sữa",
        address=form.request.split("tại: ", 1)[1].split(";")[0],
        room="203",
        filed_at=datetime(2026, 3, 1, 3, 15, tzinfo=UTC),
        filed_by=form.owner_name,
        stay_from=date(2026, 3, 1),
    )


def _time_ms(render: Callable[[], bytes]) -> tuple[float, int]:
    started = time.perf_counter()
    pdf = render()
    return (time.perf_counter() - started) * 1000, len(pdf)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _series(label: str, render: Callable[[int], bytes]) -> tuple[float, list[float], int]:
    cold, size = _time_ms(lambda: render(0))
    warm = [_time_ms(lambda seed=seed: render(seed))[0] for seed in range(1, WARM_RUNS + 1)]
    print(
        f"  {label:<8} cold {cold:6.0f} ms   warm ({WARM_RUNS}): median {statistics.median(warm):5.0f} ms  "
        f"p95 {_percentile(warm, 0.95):5.0f} ms  max {max(warm):5.0f} ms   {size / 1024:4.0f} KiB"
    )
    return cold, warm, size


def run() -> bool:
    """Print the figures; True when the warm CT01's 95th percentile meets the target."""
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print("ct01: one pre-filled CT01 form (A4, one page) and the landlord's receipt, as PDF")
    print(f"  {os.cpu_count()} CPUs, load average before: {load}")
    _cold, warm, _size = _series("CT01", lambda seed: render_ct01_pdf(make_form(seed)))
    _series("receipt", lambda seed: render_receipt_pdf(make_receipt(seed)))
    print(f"  peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    p95 = _percentile(warm, 0.95)
    passed = p95 < TARGET_MS
    verdict = "PASS" if passed else "FAIL"
    print(f"  {verdict}: warm CT01 p95 {p95:.0f} ms (target < {TARGET_MS:.0f} ms)")
    return passed


def main() -> int:
    return 0 if run() else 1


if __name__ == "__main__":
    sys.exit(main())
