"""HTML to PDF with WeasyPrint, one way for every document (stickers, forms, receipts).

WeasyPrint is imported inside the functions, because it loads Pango when imported; one `FontConfiguration`
and one template environment serve every rendering in the process. Documents set their text in DejaVu Sans
(Debian's fonts-dejavu-core), a single full font per weight, so Vietnamese diacritics come out right.
Rendering is CPU-bound: call from a worker thread (`anyio.to_thread.run_sync`), never on the event loop.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from app.settings import ROOT

if TYPE_CHECKING:
    from jinja2 import Environment


@lru_cache(maxsize=1)
def environment() -> Environment:
    from app.web.templating import make_environment

    return make_environment()


@lru_cache(maxsize=1)
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_document(html: str) -> Any:
    """The laid-out WeasyPrint document, for `write_pdf()` (with a finisher, if the caller draws on it)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=str(ROOT)).render(font_config=_font_config())


def render_pdf(template: str, **context: Any) -> bytes:
    return render_document(environment().get_template(template).render(**context)).write_pdf()
