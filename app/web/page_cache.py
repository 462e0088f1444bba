"""Public pages rendered once and then served from memory: the property page a sticker opens.

Thousands of phones open it after scanning stickers, and for a visitor who is not signed in it is the same
page for everyone (per language): only the CSRF token of the language switcher differs. So the page is
rendered with a marker where the token goes, kept for `TTL_SECONDS`, and each request gets the stored bytes
with its own token put in. That skips the database and the template, which are nearly all of the cost.

A change to what such a page shows (a property's edit, verification, suspension or new sticker; a ward's
contacts) clears this process's copies at once (`forget`); other worker processes (PostgreSQL runs several)
show the change within `TTL_SECONDS`. Signed-in visitors (the header shows who they are) and URLs with a
query string are rendered afresh every time.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict

from litestar import Request
from litestar.utils.scope.state import ScopeState

TTL_SECONDS = 60.0
MAX_PAGES = 5000  # a ward has hundreds of houses; ×2 languages, across the wards one process serves

_MARK = "csrf-" + secrets.token_hex(16)
_pages: OrderedDict[tuple[str, str], tuple[float, bytes]] = OrderedDict()


def forget() -> None:
    """Something shown on public pages changed: render them afresh."""
    _pages.clear()


def cacheable(request: Request) -> bool:
    return request.scope.get("user") is None and not request.scope.get("query_string")


def cached(request: Request, key: tuple[str, str]) -> bytes | None:
    """The stored page for `key` with this request's CSRF token in it, or None."""
    entry = _pages.get(key)
    if entry is None or entry[0] < time.monotonic():
        return None
    return entry[1].replace(_MARK.encode(), _csrf_token(request).encode())


def render_and_keep(request: Request, key: tuple[str, str], template_name: str, context: dict) -> bytes:
    """Render the page with the marker for the token, keep it, and return it with this request's token."""
    state = ScopeState.from_scope(request.scope)
    token = _csrf_token(request)
    state.csrf_token = _MARK
    try:
        template = request.app.template_engine.get_template(template_name)
        html = template.render(
            **context, request=request, csrf_input=f'<input type="hidden" name="_csrf_token" value="{_MARK}" />'
        )
    finally:
        state.csrf_token = token
    body = html.encode()
    _pages[key] = (time.monotonic() + TTL_SECONDS, body)
    _pages.move_to_end(key)
    while len(_pages) > MAX_PAGES:
        _pages.popitem(last=False)
    return body.replace(_MARK.encode(), token.encode())


def _csrf_token(request: Request) -> str:
    token = ScopeState.from_scope(request.scope).csrf_token
    return token if isinstance(token, str) else ""
