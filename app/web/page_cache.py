"""Public pages rendered once and then served from memory: the property page a sticker opens.

Thousands of phones open it after scanning stickers, and for a visitor who is not signed in it is the same
page for everyone (per language): only the CSRF token of the language switcher differs. So the page is
rendered with a marker where the token goes and kept for `TTL_SECONDS`; `KeptPageMiddleware`, ahead of the
rest of the stack, answers the next visitors from it with their own token put in. That skips the database,
the template and the framework's per-request work, which are nearly all of the cost.

A change to what such a page shows (a property's edit, verification, suspension or new sticker; a ward's
contacts) clears this process's copies at once (`forget`); other worker processes (PostgreSQL runs several)
show the change within `TTL_SECONDS`. Signed-in visitors (the header shows who they are), API callers and
URLs with a query string always go through the whole stack.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict

from litestar import Request
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from app import i18n
from app.accounts.sessions import COOKIE as SESSION_COOKIE
from app.settings import get_settings
from app.web.csrf import CsrfCookie, csrf_config

TTL_SECONDS = 60.0
MAX_PAGES = 5000  # a ward has hundreds of houses; ×2 languages, across the wards one process serves

_MARK = ("csrf-" + secrets.token_hex(16)).encode()
_pages: OrderedDict[tuple[str, str], tuple[float, bytes]] = OrderedDict()  # (path, locale) -> (until, page)


def forget() -> None:
    """Something shown on public pages changed: render them afresh."""
    _pages.clear()


def cacheable(request: Request) -> bool:
    return request.scope.get("user") is None and not request.scope.get("query_string")


def keep(request: Request, template_name: str, context: dict) -> bytes:
    """Render the page with the marker for the token, keep it for this path and language, and return it with
    this request's token."""
    state = ScopeState.from_scope(request.scope)
    token = state.csrf_token if isinstance(state.csrf_token, str) else ""
    state.csrf_token = _MARK.decode()
    try:
        template = request.app.template_engine.get_template(template_name)
        html = template.render(
            **context,
            request=request,
            csrf_input=f'<input type="hidden" name="_csrf_token" value="{_MARK.decode()}" />',
        )
    finally:
        state.csrf_token = token
    body = html.encode()
    key = (request.url.path, i18n.current_locale())
    _pages[key] = (time.monotonic() + TTL_SECONDS, body)
    _pages.move_to_end(key)
    while len(_pages) > MAX_PAGES:
        _pages.popitem(last=False)
    return body.replace(_MARK, token.encode())


class KeptPageMiddleware:
    """Answers a plain GET of a kept page for a visitor with no session and no API token, before anything
    else runs; everything else goes on through the stack (which keeps the page on a miss)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.csrf = CsrfCookie(csrf_config(get_settings()))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and not scope["query_string"] and _pages:
            page = self._kept(scope)
            if page is not None:
                await self._send(scope, page, send)
                return
        await self.app(scope, receive, send)

    def _kept(self, scope: Scope) -> bytes | None:
        headers = dict(scope["headers"])
        if b"authorization" in headers:
            return None
        cookies = _cookies(headers.get(b"cookie", b"").decode("latin-1"))
        if SESSION_COOKIE in cookies:
            return None
        locale = i18n.negotiate(cookies.get(i18n.LOCALE_COOKIE), headers.get(b"accept-language", b"").decode("latin-1"))
        entry = _pages.get((scope["path"], locale))
        if entry is None or entry[0] < time.monotonic():
            return None
        scope["kept_csrf"] = cookies.get(self.csrf.name)  # type: ignore[typeddict-unknown-key]
        return entry[1]

    async def _send(self, scope: Scope, page: bytes, send: Send) -> None:
        # As Litestar's CSRF middleware does for a safe method: the visitor's cookie is the token, else a new one.
        token = scope.pop("kept_csrf", None)  # type: ignore[misc]
        response_headers = [(b"content-type", b"text/html; charset=utf-8")]
        if not token:
            token = self.csrf.new_token()
            response_headers.append(self.csrf.header(token))
        body = page.replace(_MARK, token.encode())
        response_headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": response_headers})
        await send({"type": "http.response.body", "body": body})


def _cookies(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep:
            out[key] = value
    return out
