"""Sets the language of each request: the visitor's choice (cookie), else Accept-Language, else Vietnamese."""

from __future__ import annotations

from litestar.datastructures import Headers
from litestar.types import ASGIApp, Receive, Scope, Send

from app import i18n


class LocaleMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers.from_scope(scope)
        cookie = None
        for part in headers.get("cookie", "").split(";"):
            key, _sep, value = part.strip().partition("=")
            if key == i18n.LOCALE_COOKIE:
                cookie = value
        token = i18n.set_locale(i18n.negotiate(cookie, headers.get("accept-language")))
        try:
            await self.app(scope, receive, send)
        finally:
            i18n.reset_locale(token)
