"""QR stickers: page sizes, Vietnamese text, and every QR decoding back to its URL.

Decoding needs the PDF rasterised by poppler-utils (`pdftoppm`, `pdftotext`); those tests skip and say so
when it is missing. Page sizes are read from the PDF itself, so they need nothing beyond Python.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
import qrcode
import zxingcpp
from PIL import Image, ImageDraw
from qrcode import util as qrcode_util
from qrcode.constants import ERROR_CORRECT_M

from app.housing import stickers
from app.housing.qr_svg import QUIET_ZONE, _pack, _penalty, property_qr_url, qr_matrix, qr_runs, qr_svg
from app.housing.stickers import StickerData, render_sticker_pdf, render_sticker_sheet, sheet_page_count
from app.settings import get_settings

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils is not installed (pdftoppm, pdftotext): apt-get install poppler-utils",
)

A6_POINTS = (105 * 72 / 25.4, 148 * 72 / 25.4)  # 297.6 × 419.5
A4_POINTS = (210 * 72 / 25.4, 297 * 72 / 25.4)  # 595.3 × 841.9

WARDS = ["Phường Phương Canh", "Phường Xuân Phương", "Phường Tây Mỗ", "Phường Đại Mỗ"]
HOUSES = ["Nhà trọ Hoa Sữa", "Khu trọ Bình An", "Nhà trọ cô Lụa", "Phòng trọ sinh viên Thành Đạt", "Nhà trọ Hưng Thịnh"]


def _sticker(token: str, name: str = "Nhà trọ Hoa Sữa, ngõ 12 Phương Canh") -> StickerData:
    return StickerData(
        ward_name="Phường Phương Canh",
        property_name=name,
        address="Số 8 ngõ 12 đường Xuân Phương, tổ dân phố 5, phường Phương Canh, Hà Nội",
        url=property_qr_url(token),
    )


def _stickers(count: int, prefix: str) -> list[StickerData]:
    return [
        StickerData(
            ward_name=WARDS[i % len(WARDS)],
            property_name=f"{HOUSES[i % len(HOUSES)]} số {i + 1}",
            address=f"Số {i + 3} ngõ {i % 40 + 1} đường Xuân Phương, tổ dân phố {i % 9 + 1}, Hà Nội",
            url=property_qr_url(f"{prefix}{i:04d}-Zk3pQ9vXw2LmN7aB"),
        )
        for i in range(count)
    ]


def _media_boxes(pdf: bytes) -> list[tuple[float, ...]]:
    """Every page's /MediaBox, read from the file and from its Flate-compressed (object) streams."""
    texts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            texts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    boxes = []
    for text in texts:
        for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", text):
            boxes.append(tuple(float(value) for value in box.split()))
    return boxes


def _page_size(box: tuple[float, ...]) -> tuple[float, float]:
    left, bottom, right, top = box
    return right - left, top - bottom


def _rasterise(pdf: bytes, directory: Path, dpi: int = 150) -> list[Image.Image]:
    source = directory / "out.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(directory / "page")], check=True)
    return [Image.open(path) for path in sorted(directory.glob("page-*.png"))]


def _decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def _pdf_text(pdf: bytes, directory: Path) -> str:
    source = directory / "text.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(source), "-"], check=True, capture_output=True).stdout
    return " ".join(text.decode("utf-8").split())


@pytest.fixture
def stop_pool():
    yield
    stickers.shutdown_pool()


# --- QR codes and their SVG ---------------------------------------------------------------------------------


def test_property_qr_url_uses_the_base_url() -> None:
    base = get_settings().file.app.base_url.rstrip("/")
    assert property_qr_url("AbC-123_x") == f"{base}/q/AbC-123_x"


def test_qr_svg_is_inline_scalable_and_one_path() -> None:
    svg = qr_svg(property_qr_url("inline-svg-check"))
    assert svg.startswith("<svg ") and svg.endswith("</svg>")
    assert "<?xml" not in svg
    assert re.search(r'viewBox="0 0 (\d+) \1"', svg)
    assert " width=" not in svg and " height=" not in svg
    assert 'shape-rendering="crispEdges"' in svg
    assert svg.count("<path") == 1


def test_qr_svg_is_cached_by_url() -> None:
    url = property_qr_url("cache-check-1")
    assert qr_svg(url) is qr_svg(url)
    assert qr_svg(property_qr_url("cache-check-2")) != qr_svg(url)


def test_qr_svg_path_decodes_back_to_the_url() -> None:
    """Draw the SVG's own path (one stroke a module wide per run) as pixels, then scan it."""
    url = property_qr_url("svg-decodes-0123456789")
    svg = qr_svg(url)
    size = int(re.search(r'viewBox="0 0 (\d+) ', svg)[1])
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y, length in re.findall(r"M(\d+) (\d+)\.5h(\d+)", re.search(r' d="([^"]+)"', svg)[1]):
        x, y, length = int(x), int(y), int(length)
        draw.rectangle([x * scale, y * scale, (x + length) * scale - 1, (y + 1) * scale - 1], fill=0)
    assert _decode(image) == [url]


def test_qr_has_a_quiet_zone_of_four_modules() -> None:
    matrix = qr_matrix(property_qr_url("quiet-zone"))
    size = len(matrix)
    border = [matrix[y][x] for y in range(size) for x in range(size) if min(x, y, size - 1 - x, size - 1 - y) < 4]
    assert QUIET_ZONE == 4 and not any(border)
    assert matrix[4][4] and matrix[4][size - 5] and matrix[size - 5][4]  # the finder patterns' corners


@pytest.mark.parametrize("token", ["a", "Zk3pQ9vXw2LmN7aB", "x" * 60, "0123456789" * 12])
def test_qr_symbol_matches_qrcode_own_encoder(token: str) -> None:
    """The faster mask choice picks qrcode's mask, so the symbol is identical module for module."""
    url = property_qr_url(token)
    reference = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    reference.add_data(url)
    reference.make(fit=True)
    assert qr_matrix(url) == reference.get_matrix()


def test_qr_runs_cover_exactly_the_dark_modules() -> None:
    url = property_qr_url("runs")
    size, runs = qr_runs(url)
    drawn = {(y, x + i) for y, x, length in runs for i in range(length)}
    matrix = qr_matrix(url)
    assert drawn == {(y, x) for y in range(size) for x in range(size) if matrix[y][x]}


def test_mask_penalty_equals_qrcode_lost_point() -> None:
    """The bitwise penalty scores random symbols exactly as qrcode's own `lost_point` does."""
    rng = random.Random(18004)
    for _ in range(60):
        size = rng.choice([21, 25, 33, 41, 57, 177])
        share = rng.random()
        modules = [[rng.random() < share for _ in range(size)] for _ in range(size)]
        assert _penalty(_pack(modules), size) == qrcode_util.lost_point(modules)


# --- the A6 sticker -----------------------------------------------------------------------------------------


def test_a6_sticker_is_one_a6_page() -> None:
    pdf = render_sticker_pdf(_sticker("a6-size"))
    assert pdf.startswith(b"%PDF-")
    boxes = _media_boxes(pdf)
    assert len(boxes) == 1
    assert _page_size(boxes[0]) == pytest.approx(A6_POINTS, abs=0.2)


@needs_poppler
def test_a6_sticker_text_keeps_vietnamese_diacritics(tmp_path: Path) -> None:
    text = _pdf_text(render_sticker_pdf(_sticker("a6-text")), tmp_path)
    assert "Nhà trọ Hoa Sữa, ngõ 12 Phương Canh" in text
    assert "đường Xuân Phương, tổ dân phố 5" in text
    assert "Quét mã để xem thông tin nhà trọ và dịch vụ của phường" in text
    assert "Scan to see this rental house and the ward's services" in text


@needs_poppler
def test_a6_sticker_qr_decodes_to_the_url(tmp_path: Path) -> None:
    sticker = _sticker("A6-decodes_Zk3pQ9vXw2LmN7aB")
    (page,) = _rasterise(render_sticker_pdf(sticker), tmp_path)
    assert _decode(page) == [sticker.url]


def test_a6_sticker_with_very_long_text_stays_on_one_page() -> None:
    long_name = "Khu nhà trọ sinh viên Hạnh Phúc Bình An Thịnh Vượng, dãy phòng phía sau chợ cũ " * 3
    pdf = render_sticker_pdf(_sticker("a6-long", name=long_name))
    assert len(_media_boxes(pdf)) == 1


# --- A4 sheets ----------------------------------------------------------------------------------------------


def test_empty_sheet_is_refused() -> None:
    with pytest.raises(ValueError):
        render_sticker_sheet([])


@needs_poppler
def test_sheet_of_13_has_3_a4_pages_and_every_qr_decodes(tmp_path: Path) -> None:
    items = _stickers(13, "sheet")
    progress: list[tuple[int, int]] = []
    pdf = render_sticker_sheet(items, lambda done, total: progress.append((done, total)), workers=1)
    boxes = _media_boxes(pdf)
    assert len(boxes) == sheet_page_count(13) == 3
    assert all(_page_size(box) == pytest.approx(A4_POINTS, abs=0.2) for box in boxes)
    assert progress[-1] == (13, 13)
    assert [done for done, _total in progress] == sorted(done for done, _total in progress)
    pages = _rasterise(pdf, tmp_path)
    assert len(pages) == 3
    for number, page in enumerate(pages):
        assert sorted(_decode(page)) == sorted(s.url for s in items[number * 6 : number * 6 + 6])
    text = _pdf_text(pdf, tmp_path)
    assert "Phòng trọ sinh viên Thành Đạt số 4" in text
    assert text.count("Quét mã để xem thông tin nhà trọ và dịch vụ của phường") == 13


@needs_poppler
def test_sheet_in_worker_processes_merges_chunks_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop_pool: None
) -> None:
    monkeypatch.setattr(stickers, "PAGES_PER_CHUNK", 1)  # 13 stickers: three chunks, shared by two workers
    items = _stickers(13, "pool")
    progress: list[tuple[int, int]] = []
    pdf = render_sticker_sheet(items, lambda done, total: progress.append((done, total)), workers=2)
    assert len(progress) == 3 and progress[-1] == (13, 13)
    assert len(_media_boxes(pdf)) == 3
    pages = _rasterise(pdf, tmp_path, dpi=100)
    for number, page in enumerate(pages):
        assert sorted(_decode(page)) == sorted(s.url for s in items[number * 6 : number * 6 + 6])
