"""QR codes as small inline SVG for stickers: vector in PDFs (WeasyPrint) and crisp on screens.

The `qrcode` package encodes (error correction M, smallest version that fits, 4-module quiet zone); this
module picks the mask and draws the SVG, because those are where the time goes when a ward prints a sheet of
several hundred stickers:

- qrcode's own mask choice builds and scores eight full matrices module by module in pure Python (about
  8 ms of its 9 ms a code). Here the data is placed once, each mask is applied with one XOR on the symbol
  held as a single integer, and the ISO/IEC 18004 penalty (N1 to N4) is counted with bit operations on all
  rows at once: the same mask, so the same symbol as qrcode's, in about a third of the time.
- WeasyPrint parses SVG path data one command at a time, so the path has as few commands as possible: each
  horizontal run of dark modules is one `M…h…` stroke one module wide (butt caps), half as many commands
  as a filled rectangle per run, and a third of the size of qrcode's SvgPathImage. Sheets of stickers skip the
  SVG and draw `qr_runs` straight into the PDF (app/housing/stickers.py).

The SVG has no XML declaration and no fixed size (CSS sizes it through the `viewBox`). Codes are cached by
URL; rotating a sticker changes its token, hence its URL, so the cache never serves a stale code.
"""

from __future__ import annotations

from functools import lru_cache

import qrcode
from qrcode import util
from qrcode.constants import ERROR_CORRECT_M

from app.settings import get_settings

QUIET_ZONE = 4  # modules of light margin on every side, as ISO/IEC 18004 requires

_FINDER_PATTERNS = ("10111010000", "00001011101")  # 1:1:3:1:1, four light modules after or before


def property_qr_url(token: str) -> str:
    """The public URL a property's sticker points at."""
    return f"{get_settings().file.app.base_url.rstrip('/')}/q/{token}"


# --- choosing the mask ------------------------------------------------------------------------------------
# A symbol of `size` × `size` modules is one integer: row r takes the bits from r * slot, with column c at
# bit (size - 1 - c), and `slot - size` zero bits between rows. Shifting by 1 then looks one module to the
# right, and shifting by `slot` one row down, for every row at once.


def _slot(size: int) -> int:
    return size + len(_FINDER_PATTERNS[0])


def _pack(rows: list[list[bool]]) -> int:
    slot = _slot(len(rows))
    packed = 0
    for r, row in enumerate(rows):
        packed |= int("".join("1" if module else "0" for module in row), 2) << (r * slot)
    return packed


@lru_cache(maxsize=64)
def _areas(size: int) -> tuple[int, int, int, int]:
    """Masks of the modules that have a right-hand neighbour, a neighbour below, and room for the 11-module
    finder-like pattern across, and down."""
    slot = _slot(size)
    row = (1 << size) - 1

    def rows(count: int, bits: int) -> int:
        return sum(bits << (r * slot) for r in range(count))

    return rows(size, row >> 1), rows(size - 1, row), rows(size, row >> 10), rows(size - 10, row)


@lru_cache(maxsize=320)
def _mask_flips(mask: int, size: int) -> int:
    """The modules that mask pattern `mask` flips."""
    flips = util.mask_func(mask)
    return _pack([[flips(row, col) for col in range(size)] for row in range(size)])


def _penalty(symbol: int, size: int) -> int:
    """ISO/IEC 18004 mask penalty of a packed symbol.

    N1: 3 + (length - 5) for each run of 5 or more same-colour modules across or down; N2: 3 for each 2 × 2
    block of one colour; N3: 40 for each 1:1:3:1:1 finder-like pattern with 4 light modules on one side;
    N4: 10 for each full 5 % by which the dark share is away from 50 %.
    """
    slot = _slot(size)
    right, below, across_room, down_room = _areas(size)
    score = 0
    # N1: `same` marks equal neighbours; a run of L >= 5 modules leaves L - 4 marks in `four`, in one stretch.
    for step, room in ((1, right), (slot, below)):
        same = ~(symbol ^ (symbol >> step)) & room
        four = same & (same >> step) & (same >> 2 * step) & (same >> 3 * step)
        score += four.bit_count() + 2 * (four & ~(four << step)).bit_count()
    lower = symbol >> slot
    different = (symbol ^ (symbol >> 1)) | (lower ^ (lower >> 1)) | (symbol ^ lower)
    score += 3 * (~different & right & below).bit_count()  # N2
    inverse = ~symbol
    found = 0
    for pattern in _FINDER_PATTERNS:  # N3
        across, down = across_room, down_room
        for j, bit in enumerate(pattern):
            source = symbol if bit == "1" else inverse
            across &= source >> (len(pattern) - 1 - j)
            down &= source >> (j * slot)
        found += across.bit_count() + down.bit_count()
    score += 40 * found
    return score + 10 * int(abs(symbol.bit_count() * 100 / (size * size) - 50) / 5)  # N4


class _QRCode(qrcode.QRCode):
    """qrcode's encoder with a faster choice of the same mask (see the module docstring)."""

    _function_modules: list[list[bool]]

    def map_data(self, data, mask_pattern):  # type: ignore[no-untyped-def]
        # Called once the function patterns are in place: whatever is still None holds data.
        self._function_modules = [[module is not None for module in row] for row in self.modules]
        super().map_data(data, mask_pattern)

    def best_mask_pattern(self) -> int:
        self.makeImpl(True, 0)  # function patterns, and the data under mask 0
        size = self.modules_count
        fixed = _pack(self._function_modules)
        placed = _pack(self.modules)
        fixed_dark = placed & fixed
        data = (placed ^ _mask_flips(0, size)) & ~fixed
        scores = [(_penalty(fixed_dark | ((data ^ _mask_flips(mask, size)) & ~fixed), size), mask) for mask in range(8)]
        return min(scores)[1]  # the lowest penalty; on a tie the lowest mask number, as qrcode does


def qr_matrix(url: str) -> list[list[bool]]:
    """Dark (True) and light modules, quiet zone included, error correction M, smallest version that fits."""
    code = _QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


@lru_cache(maxsize=4096)
def qr_runs(url: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The code as `(size, runs)`: `size` modules a side (quiet zone included) and each horizontal run of dark
    modules as `(row, first column, length)`. The SVG and the PDF sheets both draw from this."""
    matrix = qr_matrix(url)
    runs = []
    for y, row in enumerate(matrix):
        x, size = 0, len(row)
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return len(matrix), tuple(runs)


@lru_cache(maxsize=4096)
def qr_svg(url: str) -> str:
    """An inline `<svg>` for `url`: one `<path>`, a `viewBox` in modules, sized by CSS.

    No background: print on white, or give the `svg` a white CSS background on screens.
    """
    size, runs = qr_runs(url)
    path = "".join(f"M{x} {y}.5h{length}" for y, x, length in runs)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges"'
        f' role="img" aria-label="QR"><path fill="none" stroke="#000" d="{path}"/></svg>'
    )
