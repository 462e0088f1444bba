"""Printable QR stickers for rental houses: one A6 sticker, or A4 sheets of six to cut, as PDF bytes.

Pure functions over plain data (no database): the caller gathers `StickerData` and stores or sends the bytes.
Rendering is CPU-bound; call these from a worker thread (`anyio.to_thread.run_sync`), never on the event loop.

- WeasyPrint through `app.pdf` (one font configuration per process, DejaVu Sans for the diacritics).
- The A6 sticker carries its QR as inline SVG (vector).
- A sheet is laid out by WeasyPrint with an empty square where each QR goes, and the QR is drawn into that
  square as PDF rectangles (still vector) from a `write_pdf` finisher. WeasyPrint parses SVG path data in
  Python, one command at a time: about 10 ms a code, as much as the rest of a sticker. The positions come
  from `SheetGeometry`, which the template uses too.
- Sheets are laid out a few pages per WeasyPrint document (one big document is slower, and a chunk is the
  unit of progress). Large sheets are shared between worker processes (`SHEET_WORKERS`); each chunk comes
  back as the PDF objects its pages use, and `_merge` renumbers them into one PDF with pydyf.
"""

from __future__ import annotations

import io
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

from markupsafe import Markup

from app.housing.qr_svg import qr_runs, qr_svg
from app.pdf import environment, render_document

INSTRUCTION_VI = "Quét mã để xem thông tin nhà trọ và dịch vụ của phường"
INSTRUCTION_EN = "Scan to see this rental house and the ward's services"
SHEET_TITLE = "Nhãn QR nhà trọ"

PAGES_PER_CHUNK = 8  # sheet pages per WeasyPrint document, per task in the pool, per on_progress call
SHEET_WORKERS = min(2, os.cpu_count() or 1)  # worker processes for sheets of more than one chunk

_PT_PER_MM = 72 / 25.4
_REFERENCE = re.compile(rb"(\d+) 0 R")

# A rendered chunk: its page objects' numbers in order, and {number: pydyf object} of everything they use.
_Chunk = tuple[list[int], dict[int, Any]]


@dataclass(frozen=True)
class StickerData:
    ward_name: str
    property_name: str
    address: str
    url: str


@dataclass(frozen=True)
class SheetGeometry:
    """Where things go on an A4 sheet, in mm from the top-left corner of the page or of a cell."""

    page_width: float = 210
    page_height: float = 297
    columns: int = 2
    rows: int = 3
    text_left: float = 6  # ward, name and address above the QR; instructions below
    text_width: float = 93
    head_top: float = 5
    head_height: float = 22.5
    qr_top: float = 28
    qr_size: float = 50  # the whole symbol, quiet zone included
    foot_top: float = 79
    foot_height: float = 16
    cells: tuple[tuple[float, float], ...] = field(init=False)
    cut_path: str = field(init=False)

    def __post_init__(self) -> None:
        width, height = self.cell_width, self.cell_height
        cells = tuple((col * width, row * height) for row in range(self.rows) for col in range(self.columns))
        cuts = [f"M{col * width:g} 0V{self.page_height:g}" for col in range(1, self.columns)]
        cuts += [f"M0 {row * height:g}H{self.page_width:g}" for row in range(1, self.rows)]
        object.__setattr__(self, "cells", cells)
        object.__setattr__(self, "cut_path", "".join(cuts))

    @property
    def cell_width(self) -> float:
        return self.page_width / self.columns

    @property
    def cell_height(self) -> float:
        return self.page_height / self.rows

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def qr_origin(self, index: int) -> tuple[float, float]:
        """Top-left corner of the QR of the `index`-th sticker on a page, in mm."""
        x, y = self.cells[index]
        return x + (self.cell_width - self.qr_size) / 2, y + self.qr_top


SHEET = SheetGeometry()


def sheet_page_count(count: int) -> int:
    return -(-count // SHEET.per_page)


def render_sticker_pdf(sticker: StickerData) -> bytes:
    """An A6 portrait PDF (105 × 148 mm, one page) for one rental house, its QR as inline SVG."""
    html = (
        environment()
        .get_template("housing/sticker_a6.html")
        .render(
            sticker=sticker,
            qr=Markup(qr_svg(sticker.url)),
            instruction_vi=INSTRUCTION_VI,
            instruction_en=INSTRUCTION_EN,
        )
    )
    return render_document(html).write_pdf()


def render_sticker_sheet(
    stickers: list[StickerData],
    on_progress: Callable[[int, int], None] | None = None,
    *,
    workers: int | None = None,
) -> bytes:
    """A4 portrait sheets of 2 × 3 stickers with cut lines, in the order given (six a page).

    `on_progress(done, total)` counts stickers; it is called in this thread each time a chunk of
    `PAGES_PER_CHUNK` pages is laid out, in whatever order chunks finish. `workers` (default `SHEET_WORKERS`):
    1 renders in this process; more shares the chunks among the module's pool of worker processes, started
    on first use with that many processes (call `shutdown_pool` when the application stops). A sheet of one
    chunk is always rendered in this process.
    """
    if not stickers:
        raise ValueError("no stickers to render")
    total = len(stickers)
    per_chunk = SHEET.per_page * PAGES_PER_CHUNK
    chunks = [stickers[start : start + per_chunk] for start in range(0, total, per_chunk)]
    workers = SHEET_WORKERS if workers is None else workers
    if workers > 1 and len(chunks) > 1:
        rendered: Iterable[tuple[int, _Chunk]] = _render_in_pool(chunks, workers)
    else:
        rendered = ((index, _render_chunk(chunk)) for index, chunk in enumerate(chunks))
    results: dict[int, _Chunk] = {}
    done = 0
    for index, result in rendered:
        results[index] = result
        done += len(chunks[index])
        if on_progress is not None:
            on_progress(done, total)
    return _merge([results[index] for index in range(len(chunks))])


# --- one chunk: lay out, draw the QR codes, keep the PDF objects the pages use ---------------------------


def _sheet_html(stickers: list[StickerData]) -> str:
    pages = [stickers[i : i + SHEET.per_page] for i in range(0, len(stickers), SHEET.per_page)]
    return (
        environment()
        .get_template("housing/sticker_sheet.html")
        .render(
            pages=pages,
            g=SHEET,
            title=SHEET_TITLE,
            instruction_vi=INSTRUCTION_VI,
            instruction_en=INSTRUCTION_EN,
        )
    )


def _qr_operators(url: str, index: int) -> bytes:
    """PDF operators filling the QR of `url` into the square of the `index`-th cell, in default user space
    (points, origin at the bottom left of the page)."""
    size, runs = qr_runs(url)
    left, top = SHEET.qr_origin(index)
    module = SHEET.qr_size * _PT_PER_MM / size
    page_top = SHEET.page_height * _PT_PER_MM
    # Module coordinates (column, row from the top) to page points.
    head = f"q 0 g {module:.5f} 0 0 {-module:.5f} {left * _PT_PER_MM:.3f} {page_top - top * _PT_PER_MM:.3f} cm\n"
    body = "\n".join(f"{x} {y} {length} 1 re" for y, x, length in runs)
    return f"{head}{body}\nf Q".encode("ascii")


def _render_chunk(stickers: list[StickerData]) -> _Chunk:
    document = render_document(_sheet_html(stickers))
    pages = [stickers[i : i + SHEET.per_page] for i in range(0, len(stickers), SHEET.per_page)]
    if len(document.pages) != len(pages):
        raise RuntimeError(f"sticker sheet laid out on {len(document.pages)} pages instead of {len(pages)}")
    chunk: list[_Chunk] = []

    def finish(_document: Any, pdf: Any) -> None:
        page_numbers = _reference_numbers(pdf.pages["Kids"])
        for number, cells in zip(page_numbers, pages, strict=True):
            (contents,) = _reference_numbers([pdf.objects[number]["Contents"]])
            operators = pdf.objects[contents].stream
            # WeasyPrint leaves its own transformation in place at the end of the page: wrap it.
            operators.insert(0, b"q")
            operators.append(b"Q")
            operators.extend(_qr_operators(sticker.url, index) for index, sticker in enumerate(cells))
        chunk.append(_extract(pdf, page_numbers))

    document.write_pdf(finisher=finish)
    return chunk[0]


def _reference_numbers(values: Iterable[Any]) -> list[int]:
    """Object numbers of the references in a pydyf array: b"12 0 R" items, or 12, 0, "R" triples."""
    items = list(values)
    numbers = []
    for i, item in enumerate(items):
        if isinstance(item, bytes | str) and (match := _REFERENCE.fullmatch(_as_bytes(item))):
            numbers.append(int(match[1]))
        elif item in ("R", b"R") and i >= 2 and items[i - 1] == 0 and isinstance(items[i - 2], int):
            numbers.append(items[i - 2])
    return numbers


def _as_bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def _children(value: Any) -> Iterable[Any]:
    import pydyf

    if isinstance(value, pydyf.Stream):
        return value.extra.values()
    if isinstance(value, dict):
        return value.values()
    if isinstance(value, list):
        return value
    return ()


def _extract(pdf: Any, page_numbers: list[int]) -> _Chunk:
    """The objects reachable from the pages (not the page tree, catalogue or info), streams compressed into
    plain pydyf streams so they pickle small and the merge does not compress them again."""
    import pydyf

    objects: dict[int, Any] = {}
    pending = list(page_numbers)
    while pending:
        number = pending.pop()
        if number in objects:
            continue
        original = pdf.objects[number]
        if number in page_numbers:
            original = pydyf.Dictionary({key: value for key, value in original.items() if key != "Parent"})
        if isinstance(original, pydyf.Stream):
            serialised = original.data  # extra, "stream", the (compressed) data, "endstream"
            _extra, _separator, data = serialised.partition(b"\nstream\n")
            extra = pydyf.Dictionary(original.extra)
            if original.compress:
                extra["Filter"] = "/FlateDecode"
            objects[number] = pydyf.Stream([data.removesuffix(b"\nendstream")], extra)
            values = [extra]
        else:
            objects[number] = original
            values = [original]
        while values:
            value = values.pop()
            values.extend(_children(value))
            if isinstance(value, list):
                pending.extend(_reference_numbers(value))
            elif isinstance(value, bytes | str) and _REFERENCE.fullmatch(_as_bytes(value)):
                pending.extend(_reference_numbers([value]))
    return page_numbers, objects


# --- the pool of worker processes ------------------------------------------------------------------------

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def _warm_up() -> None:
    """Worker start: load Pango, the fonts and the templates once, not in the first real chunk."""
    _render_chunk([StickerData("Phường", "Nhà trọ", "Số 1", "https://example.invalid/q/warm-up")])


def _get_pool(workers: int) -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            # spawn, not fork: the web app has threads, and a forked copy of a threaded process can deadlock.
            _pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=_warm_up)
        return _pool


def shutdown_pool() -> None:
    """Stop the worker processes (on application shutdown; they start again when next needed)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _render_in_pool(chunks: list[list[StickerData]], workers: int) -> Iterator[tuple[int, _Chunk]]:
    global _pool
    pool = _get_pool(workers)
    futures: dict[Future[_Chunk], int] = {}
    try:
        futures = {pool.submit(_render_chunk, chunk): index for index, chunk in enumerate(chunks)}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=futures.__getitem__):
                yield futures[future], future.result()
    except BrokenProcessPool:
        with _pool_lock:  # a worker died: start afresh next time
            if _pool is pool:
                _pool = None
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        for future in futures:  # on an error, or a caller that stopped early, drop the chunks not started
            future.cancel()


# --- merging chunks into one PDF -------------------------------------------------------------------------


def _merge(chunks: list[_Chunk]) -> bytes:
    """One PDF with the pages of every chunk, in order; each chunk keeps its own fonts and resources."""
    import pydyf

    pdf = pydyf.PDF()
    pdf.info["Title"] = pydyf.String(SHEET_TITLE)
    pdf.info["Producer"] = pydyf.String("Nhà trọ số (WeasyPrint, pydyf)")
    for page_numbers, objects in chunks:
        renumbered: dict[int, int] = {}
        for number, value in objects.items():
            if number not in page_numbers:
                pdf.add_object(value)
                renumbered[number] = value.number
        for number in page_numbers:
            pdf.add_page(objects[number])
            renumbered[number] = objects[number].number
        seen: set[int] = set()
        for value in objects.values():
            _renumber(value, renumbered, seen)
        for number in page_numbers:
            objects[number]["Parent"] = pdf.pages.reference
    output = io.BytesIO()
    pdf.write(output, version=b"1.7", compress=True)
    return output.getvalue()


def _renumber(value: Any, renumbered: dict[int, int], seen: set[int]) -> None:
    """Point every reference inside `value` (and the containers in it) at the merged object numbers."""
    import pydyf

    container = value.extra if isinstance(value, pydyf.Stream) else value
    if not isinstance(container, dict | list) or id(container) in seen:
        return
    seen.add(id(container))
    keys = list(container) if isinstance(container, dict) else list(range(len(container)))
    for key in keys:
        item = container[key]
        if isinstance(item, bytes | str) and (match := _REFERENCE.fullmatch(_as_bytes(item))):
            container[key] = f"{renumbered[int(match[1])]} 0 R".encode()
        elif isinstance(container, list) and item in ("R", b"R") and key >= 2 and container[key - 1] == 0:
            container[key - 2] = renumbered[container[key - 2]]
        else:
            _renumber(item, renumbered, seen)
