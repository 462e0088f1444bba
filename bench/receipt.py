"""Dossier receipt benchmark: one giấy tiếp nhận hồ sơ và hẹn trả kết quả as PDF (A4, two QR codes: the
tracking link and the VietQR fee code), target under 300 ms warm, like the CT01 form.

Run with `python -m bench.receipt` (or every benchmark with `python -m bench.run`). In one fresh process:

- cold: the first receipt, paying for importing WeasyPrint, loading Pango, the fonts and the template;
- warm: the next `WARM_RUNS` receipts, each for a different dossier (new codes and tokens, so no QR code comes
  from the cache), as a long-running web worker renders them. The target applies to their 95th percentile.

The apology slip is timed the same way, for information.
"""

from __future__ import annotations

import os
import random
import resource
import secrets
import sys
from datetime import UTC, datetime, timedelta

from app.counter.receipts import ApologyData, ReceiptData, render_apology_pdf, render_receipt_pdf
from app.counter.vietqr import BankAccount
from bench.ct01 import _name, _percentile, _series

WARM_RUNS = 40
TARGET_MS = 300.0
PROCEDURES = [
    ("Đăng ký tạm trú", "03 ngày làm việc", 0, ["Tờ khai thay đổi thông tin cư trú (CT01)", "Hợp đồng thuê nhà"]),
    ("Chứng thực bản sao từ bản chính", "04 giờ làm việc", 6000, ["Bản chính giấy tờ", "Bản sao cần chứng thực"]),
    ("Cấp bản sao trích lục khai sinh", "01 ngày làm việc", 8000, ["Tờ khai", "Căn cước của người yêu cầu"]),
]


def make_receipt(seed: int) -> ReceiptData:
    rng = random.Random(seed)
    name, legal, fee, docs = rng.choice(PROCEDURES)
    received = datetime(2026, 12, 7, 2, 0, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 400))
    code = f"261207-{seed:03d}"
    return ReceiptData(
        ward_name="Phường Xuân Phương",
        ward_address="Trụ sở UBND phường Xuân Phương, Hà Nội",
        code=code,
        procedure=name,
        applicant_name=_name(rng),
        applicant_phone=f"09{rng.randrange(10**8):08d}",
        applicant_id_number=f"001{rng.randrange(10**9):09d}",
        applicant_address=f"Số {rng.randint(1, 99)} ngõ {rng.randint(1, 120)} Phương Canh",
        documents=tuple(docs),
        received_at=received,
        due_at=received + timedelta(days=3),
        legal_time=legal,
        tracking_url=f"https://nhatro.example.vn/w/xuan-phuong/d/{secrets.token_urlsafe(18)}",
        track_form_url="https://nhatro.example.vn/w/xuan-phuong/track",
        fee=fee,
        account=BankAccount("970415", "113000062201", "UBND PHUONG XUAN PHUONG"),
        officer_name="Nguyễn Thị Lan",
    )


def make_apology(seed: int) -> ApologyData:
    r = make_receipt(seed)
    return ApologyData(
        ward_name=r.ward_name,
        code=r.code,
        procedure=r.procedure,
        applicant_name=r.applicant_name,
        received_at=r.received_at,
        previous_due_at=r.due_at,
        new_due_at=r.due_at + timedelta(days=2),
        reason="Chờ kết quả xác minh của cơ quan liên quan",
        issued_at=r.due_at - timedelta(hours=20),
        officer_name="Trần Văn Hùng",
    )


def run() -> bool:
    """Print the figures; True when the warm receipt's 95th percentile meets the target."""
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print("receipt: a dossier's receipt with the promised date (A4, tracking QR and VietQR fee code) and the")
    print("  apology slip, as PDF")
    print(f"  {os.cpu_count()} CPUs, load average before: {load}")
    _cold, warm, _size = _series("receipt", lambda seed: render_receipt_pdf(make_receipt(seed)))
    _series("apology", lambda seed: render_apology_pdf(make_apology(seed)))
    print(f"  peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    p95 = _percentile(warm, 0.95)
    passed = p95 < TARGET_MS
    print(f"  {'PASS' if passed else 'FAIL'}: warm receipt p95 {p95:.0f} ms (target < {TARGET_MS:.0f} ms)")
    return passed


def main() -> int:
    return 0 if run() else 1


if __name__ == "__main__":
    sys.exit(main())
