"""The CT01 form and the landlord's receipt as PDF: one A4 page, every known value printed with its diacritics,
blanks left for the rest, the signatures and the date line left for the pen.

Text and page counts are read with poppler-utils (`pdftotext`, `pdfinfo`); those tests skip and say so when it
is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.residence.ct01 import (
    FORM_HEADER,
    Ct01Data,
    Ct01Member,
    ReceiptData,
    render_ct01_pdf,
    render_receipt_pdf,
    request_text,
)
from app.residence.deadlines import DeclarationKind

needs_poppler = pytest.mark.skipif(
    shutil.which("pdfinfo") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils is not installed (pdfinfo, pdftotext): apt-get install poppler-utils",
)

ADDRESS = "Phòng 203, nhà trọ Hoa Sữa, số 8 ngõ 12 đường Xuân Phương, tổ dân phố 5, Phường Xuân Phương, Hà Nội"
DATE_LINE = re.compile(r"\.{3,}, ngày \.{3,} tháng \.{3,} năm \.{3,}")


def _filled(**changes: object) -> Ct01Data:
    values: dict[str, object] = {
        "authority": "Công an Phường Xuân Phương, thành phố Hà Nội",
        "full_name": "Nguyễn Thị Kim Thư",
        "birth_date": date(1986, 1, 11),
        "gender": "Nữ",
        "id_number": "093186002237",
        "phone": "0912345678",
        "email": "kimthu.nguyen@example.vn",
        "household_head_name": "Nguyễn Thị Kim Thư",
        "household_head_relation": "Chủ hộ",
        "household_head_id_number": "093186002237",
        "request": request_text(DeclarationKind.tam_tru, ADDRESS, until=date(2027, 3, 1)),
        "members": (Ct01Member("Trần Đức Bình", date(2015, 5, 2), "Nam", "001215012345", "Con"),),
        "owner_name": "Lê Văn Hùng",
    }
    return Ct01Data(**(values | changes))  # type: ignore[arg-type]


def _pages(pdf: bytes, directory: Path) -> tuple[int, str]:
    """Page count and page size as pdfinfo reports them."""
    source = directory / "info.pdf"
    source.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(source)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])
    size = re.search(r"^Page size:\s+(.*)$", info, re.M)[1]
    return pages, size


def _text(pdf: bytes, directory: Path) -> str:
    source = directory / "text.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(source), "-"], check=True, capture_output=True).stdout
    return " ".join(out.decode("utf-8").split())


# --- CT01 -----------------------------------------------------------------------------------------------------


@needs_poppler
def test_filled_ct01_is_one_a4_page_with_every_value_and_its_diacritics(tmp_path):
    pdf = render_ct01_pdf(_filled())
    assert pdf.startswith(b"%PDF-")
    pages, size = _pages(pdf, tmp_path)
    assert pages == 1 and "(A4)" in size
    text = _text(pdf, tmp_path)
    assert FORM_HEADER in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ" in text
    assert "Kính gửi(1): Công an Phường Xuân Phương, thành phố Hà Nội" in text
    assert "1. Họ, chữ đệm và tên: Nguyễn Thị Kim Thư" in text
    assert "11 / 01 / 1986" in text
    assert "3. Giới tính: Nữ" in text
    assert "0912 345 678" in text and "kimthu.nguyen@example.vn" in text
    assert "8. Mối quan hệ với chủ hộ: Chủ hộ" in text
    # Each digit sits in its own box: the 12 digits in order, once for the declarant and once for the head.
    assert text.count("0 9 3 1 8 6 0 0 2 2 3 7") == 2
    assert "Đăng ký tạm trú tại: Phòng 203, nhà trọ Hoa Sữa" in text
    assert "Phường Xuân Phương, Hà Nội; thời hạn tạm trú đến ngày 01/03/2027" in text
    assert "Trần Đức Bình" in text and "02/05/2015" in text and "001215012345" in text
    assert "Lê Văn Hùng" in text  # the landlord's name under the owner's signature
    assert "None" not in text


@needs_poppler
def test_the_date_line_and_signatures_are_left_for_hand_writing(tmp_path):
    text = _text(render_ct01_pdf(_filled()), tmp_path)
    (line,) = DATE_LINE.findall(text)
    assert not re.search(r"\d", line)  # nothing dated: the form is dated when it is signed
    for block in (
        "Ý KIẾN CỦA CHỦ HỘ(3)",
        "Ý KIẾN CỦA CHA, MẸ HOẶC NGƯỜI GIÁM HỘ(4)",
        "NGƯỜI KÊ KHAI",
    ):
        assert block in text
    assert text.count("(Ghi rõ họ tên, chữ ký)") == 4


@needs_poppler
def test_blank_ct01_keeps_its_labels_and_prints_no_values(tmp_path):
    pdf = render_ct01_pdf(Ct01Data())
    assert _pages(pdf, tmp_path)[0] == 1
    text = _text(pdf, tmp_path)
    for label in (
        "Kính gửi(1):",
        "1. Họ, chữ đệm và tên:",
        "2. Ngày, tháng, năm sinh:",
        "4. Số định danh cá nhân:",
        "7. Họ, chữ đệm và tên chủ hộ:",
        "10. Nội dung đề nghị(2):",
        "11. Những thành viên trong hộ gia đình cùng thay đổi:",
    ):
        assert label in text
    assert DATE_LINE.search(text)
    assert "None" not in text
    # The only digits on a blank form are the footnote marks, the circular's number and date, and the law's
    # articles in the footnotes: none between field 1 and field 11.
    fields = text[text.index("1. Họ, chữ đệm và tên:") : text.index("11. Những thành viên")]
    assert re.findall(r"\d+", fields) == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "2"]


@needs_poppler
def test_many_members_and_a_long_request_still_fit_one_page(tmp_path):
    members = tuple(
        Ct01Member(f"Nguyễn Văn Thành Đạt số {i}", date(2010 + i, 1, 1), "Nam", f"00121{i:07d}", "Con")
        for i in range(8)
    )
    long_request = request_text(
        DeclarationKind.extension, ADDRESS + ", dãy phòng phía sau chợ cũ" * 4, date(2027, 1, 1)
    )
    pdf = render_ct01_pdf(_filled(members=members, request=long_request))
    assert _pages(pdf, tmp_path)[0] == 1
    text = _text(pdf, tmp_path)
    assert "Nguyễn Văn Thành Đạt số 7" in text
    assert "Gia hạn tạm trú tại:" in text


def test_an_id_number_longer_than_its_boxes_is_refused():
    with pytest.raises(ValueError):
        Ct01Data(id_number="0931860022371")
    with pytest.raises(ValueError):
        Ct01Data(members=(Ct01Member("A", id_number="1234567890123"),))


def test_request_text_for_each_declaration_filed_with_a_ct01():
    assert request_text(DeclarationKind.tam_tru, "Số 8 ngõ 12", date(2027, 3, 1)) == (
        "Đăng ký tạm trú tại: Số 8 ngõ 12; thời hạn tạm trú đến ngày 01/03/2027"
    )
    assert request_text(DeclarationKind.extension, "Số 8 ngõ 12", date(2029, 3, 1)) == (
        "Gia hạn tạm trú tại: Số 8 ngõ 12; thời hạn tạm trú đến ngày 01/03/2029"
    )
    assert request_text(DeclarationKind.removal, "Số 8 ngõ 12", date(2029, 3, 1)) == (
        "Xóa đăng ký tạm trú tại: Số 8 ngõ 12"
    )
    for kind in (DeclarationKind.luu_tru, DeclarationKind.foreigner):
        with pytest.raises(ValueError):
            request_text(kind, "Số 8 ngõ 12")


# --- the receipt ----------------------------------------------------------------------------------------------


def _receipt(**changes: object) -> ReceiptData:
    values: dict[str, object] = {
        "ward_name": "Phường Xuân Phương",
        "kind": "Đăng ký tạm trú",
        "renter_name": "Nguyễn Thị Kim Thư",
        "id_number": "093186002237",
        "property_name": "Nhà trọ Hoa Sữa",
        "address": "Số 8 ngõ 12 đường Xuân Phương, tổ dân phố 5",
        "room": "203",
        "filed_at": datetime(2025, 12, 31, 16, 30, tzinfo=UTC),  # 23:30 in Hà Nội
        "filed_by": "Lê Văn Hùng",
        "stay_from": date(2025, 12, 31),
        "stay_to": date(2027, 12, 31),
    }
    return ReceiptData(**(values | changes))  # type: ignore[arg-type]


@needs_poppler
def test_receipt_says_what_was_filed_for_whom_and_when(tmp_path, in_locale):
    in_locale("en")
    pdf = render_receipt_pdf(_receipt())
    assert pdf.startswith(b"%PDF-")
    pages, size = _pages(pdf, tmp_path)
    assert pages == 1 and "(A4)" in size
    text = _text(pdf, tmp_path)
    assert "Declaration receipt" in text
    assert "Đăng ký tạm trú" in text
    assert "Renter Nguyễn Thị Kim Thư" in text
    assert "093******237" in text and "093186002237" not in text  # the receipt needs no full ID number
    assert "Filed at 31/12/2025 23:30" in text  # Vietnam's time, not the server's UTC
    assert "Stay 31/12/2025 – 31/12/2027" in text
    assert "Nhà trọ Hoa Sữa" in text and "Phường Xuân Phương" in text and "Lê Văn Hùng" in text
    assert "Police reference Not given yet" in text


@needs_poppler
def test_receipt_shows_the_police_reference_once_given(tmp_path, in_locale):
    in_locale("en")
    text = _text(render_receipt_pdf(_receipt(reference="TT-2026/000123", stay_to=None)), tmp_path)
    assert "Police reference TT-2026/000123" in text
    assert "Not given yet" not in text
    assert "Stay 31/12/2025 Room" in text  # an open stay: no end date
