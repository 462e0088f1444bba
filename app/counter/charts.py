"""Small charts drawn on the server as inline SVG: no JavaScript library, crisp at any size, readable
without scripts and printable. Sized by their `viewBox`; CSS makes them as wide as their card."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR = "#0b5d4b"
MUTED = "#5f6b76"


def hbars(rows: Sequence[tuple[str, float | None]], *, suffix: str = "", maximum: float | None = None) -> Markup:
    """Horizontal bars, one per (label, value), the value written at the bar's end. `maximum`: the scale's
    end (100 for percentages); by default the largest value."""
    width, label_w, row_h = 360, 150, 26
    top = max([v for _l, v in rows if v is not None] + [maximum or 0, 1])
    height = row_h * max(len(rows), 1) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'font-family="system-ui, sans-serif" font-size="12">'
    ]
    for i, (label, value) in enumerate(rows):
        y = i * row_h + 4
        name = escape(label if len(label) <= 24 else label[:23] + "…")
        parts.append(f'<text x="0" y="{y + 14}" fill="{MUTED}">{name}<title>{escape(label)}</title></text>')
        if value is None:
            parts.append(f'<text x="{label_w}" y="{y + 14}" fill="{MUTED}">–</text>')
            continue
        bar = (width - label_w - 48) * value / top
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar:.1f}" height="{row_h - 8}" fill="{BAR}" rx="2"/>')
        shown = f"{value:g}{suffix}"
        parts.append(f'<text x="{label_w + bar + 4:.1f}" y="{y + 14}">{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(points: Sequence[tuple[str, int]], *, every: int = 0) -> Markup:
    """Vertical columns over time (label, value), e.g. tickets served per day; every `every`-th label shown."""
    width, height, base = 360, 140, 118
    n = max(len(points), 1)
    step = (width - 8) / n
    top = max([v for _l, v in points] + [1])
    every = every or max(1, n // 6)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'font-family="system-ui, sans-serif" font-size="10">',
        f'<line x1="4" y1="{base}" x2="{width - 4}" y2="{base}" stroke="#ccc"/>',
        f'<text x="4" y="10" fill="{MUTED}">{top}</text>',
    ]
    for i, (label, value) in enumerate(points):
        h = (base - 16) * value / top
        x = 4 + i * step
        parts.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{base - h:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" '
            f'fill="{BAR}"><title>{escape(label)}: {value}</title></rect>'
        )
        if i % every == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 8}" fill="{MUTED}">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
