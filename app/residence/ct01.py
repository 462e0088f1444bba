"""The CT01 form (Tờ khai thay đổi thông tin cư trú) pre-filled as PDF, and the landlord's receipt.

Pure renderers over plain data (no database): the caller gathers `Ct01Data` / `ReceiptData` from the stay and
stores or sends the bytes. Rendering is CPU-bound (about 100 ms warm on one core); call these from a worker
thread (`anyio.to_thread.run_sync`), never on the event loop.

CT01 is the form of tạm trú registration, its extension and its removal (Luật Cư trú Art 28.1, NĐ 154/2024
Art 10); lưu trú and foreigners' declarations do not use it. The form is an official document in Vietnamese
and is printed in Vietnamese whatever the user's language. Its layout follows the CT01 of Thông tư
66/2023/TT-BCA (the research notes, domain.md §1.5, list its fields (1)–(10), the members' table and the
sign-offs); Thông tư 53/2025/TT-BCA (01/07/2025) issued the CT01 in force now, said to be close to it, so the
header names that circular. Its exact field list is unconfirmed: check it against the official text before
relying on the printout. Every known value is printed; what is not known is left as a blank line or empty
boxes, and the signatures and the date line ("…, ngày … tháng … năm …") are left for hand writing, since the
form is dated when it is signed.

WeasyPrint through `app.pdf`, as every document (DejaVu Sans, for correct Vietnamese diacritics).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from app.pdf import environment, render_document
from app.residence.deadlines import DeclarationKind

if TYPE_CHECKING:
    from app.i18n import LazyText

# As the research notes give it: the circular of 01/07/2025 that issued the CT01 in force (domain.md §1.1).
FORM_HEADER = "Mẫu CT01 ban hành kèm theo Thông tư số 53/2025/TT-BCA ngày 01/7/2025 của Bộ trưởng Bộ Công an"
FORM_TITLE = "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ"
ID_BOXES = 12  # số định danh cá nhân: 12 digits, one box each
MIN_MEMBER_ROWS = 3  # field 11 always has room to add members by hand

# Field (10), "Nội dung đề nghị", for the declarations filed with a CT01.
_REQUESTS = {
    DeclarationKind.tam_tru: "Đăng ký tạm trú",
    DeclarationKind.extension: "Gia hạn tạm trú",
    DeclarationKind.removal: "Xóa đăng ký tạm trú",
}


@dataclass(frozen=True)
class Ct01Member:
    """A row of field 11: a member of the household whose residence changes with the declarant."""

    full_name: str
    birth_date: date | None = None
    gender: str = ""
    id_number: str = ""
    relation: str = ""  # to the head of household


@dataclass(frozen=True)
class Ct01Data:
    """Everything the form asks; an empty value (or None) is printed as a blank to fill in by hand."""

    authority: str = ""  # (1) Kính gửi: the residence registration authority, e.g. "Công an phường Xuân Phương"
    full_name: str = ""  # 1. Họ, chữ đệm và tên
    birth_date: date | None = None  # 2. Ngày, tháng, năm sinh
    gender: str = ""  # 3. Giới tính: "Nam" / "Nữ"
    id_number: str = ""  # 4. Số định danh cá nhân (12 digits)
    phone: str = ""  # 5. Số điện thoại liên hệ
    email: str = ""  # 6. Email
    household_head_name: str = ""  # 7. Họ, chữ đệm và tên chủ hộ
    household_head_relation: str = ""  # 8. Mối quan hệ với chủ hộ
    household_head_id_number: str = ""  # 9. Số định danh cá nhân của chủ hộ
    request: str = ""  # 10. Nội dung đề nghị (see `request_text`)
    members: tuple[Ct01Member, ...] = ()  # 11. Những thành viên trong hộ gia đình cùng thay đổi
    # Sign-offs: printed under the blank signature space when known.
    owner_name: str = ""  # Ý kiến của chủ sở hữu chỗ ở hợp pháp: the landlord
    guardian_name: str = ""  # Ý kiến của cha, mẹ hoặc người giám hộ: for a minor

    def __post_init__(self) -> None:
        for number in (self.id_number, self.household_head_id_number, *(m.id_number for m in self.members)):
            if len(number) > ID_BOXES:
                raise ValueError(f"a personal ID number has at most {ID_BOXES} digits")


@dataclass(frozen=True)
class ReceiptData:
    """What the landlord filed, for whom and when; `reference` once the police give one."""

    ward_name: str
    kind: str | LazyText  # what was filed, as the reader's language says it
    renter_name: str
    id_number: str  # printed masked: the receipt does not need the whole number
    property_name: str
    address: str
    room: str
    filed_at: datetime  # timezone-aware; printed in Vietnam's time
    filed_by: str = ""
    stay_from: date | None = None
    stay_to: date | None = None
    reference: str = ""


def request_text(kind: DeclarationKind, address: str, until: date | None = None) -> str:
    """Field (10) for a declaration filed with a CT01, e.g. "Đăng ký tạm trú tại: Số 8 ngõ 12 …; đến ngày
    31/12/2026" (`until`: the end of the term asked for, for a registration or an extension)."""
    if kind not in _REQUESTS:
        raise ValueError(f"a {kind} declaration is not filed with a CT01")
    text = f"{_REQUESTS[kind]} tại: {address}"
    if until is not None and kind is not DeclarationKind.removal:
        text += f"; thời hạn tạm trú đến ngày {until:%d/%m/%Y}"
    return text


def render_ct01_pdf(data: Ct01Data) -> bytes:
    """CT01 on one A4 page, every known field filled."""
    member_rows = [*data.members, *([None] * max(0, MIN_MEMBER_ROWS - len(data.members)))]
    html = (
        environment()
        .get_template("residence/ct01.html")
        .render(
            form=data,
            header=FORM_HEADER,
            title=FORM_TITLE,
            id_boxes=_boxes(data.id_number),
            head_id_boxes=_boxes(data.household_head_id_number),
            member_rows=member_rows,
        )
    )
    return render_document(html).write_pdf()


def render_receipt_pdf(receipt: ReceiptData) -> bytes:
    """The landlord's receipt on one A4 page, in the current language."""
    html = environment().get_template("residence/receipt.html").render(receipt=receipt)
    return render_document(html).write_pdf()


def _boxes(number: str) -> list[str]:
    return list(number.ljust(ID_BOXES))
