"""The dossier's papers as PDF: the receipt with the promised date (giấy tiếp nhận hồ sơ và hẹn trả kết quả)
and the apology slip with a new date (phiếu xin lỗi và hẹn lại ngày trả kết quả).

Official documents: printed in Vietnamese whatever the officer's language, laid out after the forms of the
one-stop mechanism (Mẫu 01 and Mẫu 04, Thông tư 01/2018/TT-VPCP). Pure renderers over plain data; rendering is
CPU-bound (WeasyPrint), so call them from a worker thread. The receipt carries two QR codes: one opens the
dossier's tracking page, the other (where the procedure has a fee and the ward set its account) is a VietQR
code any bank app pays the fee with, the dossier code in the memo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.counter.vietqr import BankAccount, fee_memo, payload
from app.housing.qr_svg import qr_svg
from app.i18n import to_local
from app.pdf import render_pdf


@dataclass(frozen=True)
class ReceiptData:
    ward_name: str
    code: str
    procedure: str
    applicant_name: str
    applicant_phone: str
    received_at: datetime
    due_at: datetime
    tracking_url: str
    legal_time: str  # "05 ngày làm việc" / "04 giờ làm việc"
    timed: bool = False  # an hours-based procedure: the time of day matters
    applicant_id_number: str = ""
    applicant_address: str = ""
    documents: tuple[str, ...] = ()
    fee: int = 0
    account: BankAccount | None = None
    officer_name: str = ""
    ward_address: str = ""
    track_form_url: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def fee_payload(self) -> str:
        if not self.fee or self.account is None:
            return ""
        return payload(self.account, amount=self.fee, memo=fee_memo(self.code))


@dataclass(frozen=True)
class ApologyData:
    ward_name: str
    code: str
    procedure: str
    applicant_name: str
    received_at: datetime
    previous_due_at: datetime
    new_due_at: datetime
    reason: str
    issued_at: datetime
    officer_name: str = ""


def legal_time_text(days: int | None, hours: int | None) -> str:
    if days is not None:
        return f"{days:02d} ngày làm việc"
    if hours:
        return f"{hours:02d} giờ làm việc"
    return "trong ngày"


def vn_moment(moment: datetime, *, timed: bool = True) -> str:
    """ "14 giờ 30 phút, ngày 02/12/2026", as the forms write it (Vietnam's time)."""
    at = to_local(moment)
    day = f"ngày {at:%d/%m/%Y}"
    return f"{at.hour:02d} giờ {at.minute:02d} phút, {day}" if timed else day


def vn_dated(moment: datetime) -> str:
    at = to_local(moment)
    return f"ngày {at.day:02d} tháng {at.month:02d} năm {at.year}"


def render_receipt_pdf(data: ReceiptData) -> bytes:
    fee_payload = data.fee_payload
    return render_pdf(
        "counter/receipt.html",
        r=data,
        track_qr=qr_svg(data.tracking_url),
        fee_qr=qr_svg(fee_payload) if fee_payload else "",
        fee_memo=fee_memo(data.code),
        vn_moment=vn_moment,
        vn_dated=vn_dated,
    )


def render_apology_pdf(data: ApologyData) -> bytes:
    return render_pdf("counter/apology.html", a=data, vn_moment=vn_moment, vn_dated=vn_dated)
