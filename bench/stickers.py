"""Sticker sheet benchmark: 370 QR stickers (a ward's rental houses) on A4 sheets, target under 5 s warm.

Run with `python -m bench.stickers` (or every benchmark with `python -m bench.run`). Two runs in one fresh
process, each with its own 370 stickers (fresh tokens, so no QR code comes from the cache):

- cold: the first sheet, paying for starting the worker processes, Pango and the fonts;
- warm: the next sheet, as a long-running web worker renders it. The target applies to this one.

A third, informative run renders the warm sheet again in this process alone (`workers=1`), the cost
without worker processes.
"""

from __future__ import annotations

import base64
import os
import random
import re
import resource
import sys
import time
import zlib
from dataclasses import dataclass

from app.housing import stickers
from app.housing.qr_svg import property_qr_url
from app.housing.stickers import StickerData, render_sticker_sheet, sheet_page_count

COUNT = 370
TARGET_SECONDS = 5.0

WARDS = ["Phường Phương Canh", "Phường Xuân Phương", "Phường Tây Mỗ", "Phường Đại Mỗ", "Phường Từ Liêm"]
KINDS = ["Nhà trọ", "Khu nhà trọ", "Phòng trọ sinh viên", "Nhà cho thuê", "Chung cư mini"]
NAMES = [
    "Hoa Sữa", "Bình An", "Thành Đạt", "Hưng Thịnh", "Minh Tâm", "Phúc Lộc", "Cô Lụa", "Bác Tư", "Sao Mai",
    "Hồng Nhung", "Gia Bảo", "An Khang", "Thủy Tiên", "Ngọc Lan", "Đức Việt", "Trường Xuân",
]  # fmt: skip
STREETS = [
    "đường Xuân Phương", "phố Trịnh Văn Bô", "đường Hồ Tùng Mậu", "phố Phương Canh", "đường Cầu Diễn",
    "phố Nguyễn Văn Giáp", "đường Lê Quang Đạo", "phố Đại Linh", "đường Mễ Trì", "phố Tân Mỹ",
]  # fmt: skip


def make_stickers(count: int, seed: int) -> list[StickerData]:
    """`count` realistic stickers; a different `seed` gives different tokens, hence different QR codes."""
    rng = random.Random(seed)
    result = []
    for _ in range(count):
        street = rng.choice(STREETS)
        lane = rng.randint(1, 120)
        token = base64.urlsafe_b64encode(rng.randbytes(16)).rstrip(b"=").decode()
        result.append(
            StickerData(
                ward_name=rng.choice(WARDS),
                property_name=f"{rng.choice(KINDS)} {rng.choice(NAMES)}, ngõ {lane} {street.split(' ', 1)[1]}",
                address=f"Số {rng.randint(1, 99)} ngõ {lane} {street}, tổ dân phố {rng.randint(1, 18)}, Hà Nội",
                url=property_qr_url(token),
            )
        )
    return result


@dataclass
class Run:
    label: str
    seconds: float
    cpu_seconds: float  # this process only; the workers' time is not in it
    pages: int
    size: int

    def line(self) -> str:
        return (
            f"  {self.label:<22} {self.seconds:6.2f} s  {COUNT / self.seconds:6.1f} stickers/s  "
            f"{self.pages} pages  {self.size / 1024:6.0f} KiB  (CPU in this process {self.cpu_seconds:.2f} s)"
        )


def _render(label: str, seed: int, workers: int | None = None) -> Run:
    items = make_stickers(COUNT, seed)
    started, cpu = time.perf_counter(), time.process_time()
    pdf = render_sticker_sheet(items, workers=workers)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return Run(label, seconds, cpu, count_pages(pdf), len(pdf))


def count_pages(pdf: bytes) -> int:
    """Page dictionaries in the file, including those inside compressed object streams."""
    texts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            texts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", text)) for text in texts)


def run() -> bool:
    """Print the figures; True when the warm run meets the target."""
    workers = stickers.SHEET_WORKERS
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"stickers: {COUNT} QR stickers on A4 sheets (2 × 3, {sheet_page_count(COUNT)} pages)")
    print(f"  {os.cpu_count()} CPUs, {workers} worker processes, load average before: {load}")
    cold = _render("cold (first sheet)", seed=1)
    print(cold.line())
    warm = _render("warm (next sheet)", seed=2)
    print(warm.line())
    single = _render("warm, 1 process", seed=3, workers=1)
    print(single.line())
    stickers.shutdown_pool()  # the workers end, so RUSAGE_CHILDREN holds their peak
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  peak RSS: this process {own:.0f} MiB, largest worker {workers_peak:.0f} MiB")
    passed = warm.seconds < TARGET_SECONDS
    verdict = "PASS" if passed else "FAIL"
    print(f"  {verdict}: warm {warm.seconds:.2f} s for {COUNT} stickers (target < {TARGET_SECONDS:.0f} s)")
    return passed


def main() -> int:
    return 0 if run() else 1


if __name__ == "__main__":
    sys.exit(main())
