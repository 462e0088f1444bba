"""CSRF on every state-changing request, page forms, htmx and session-authenticated API calls alike.

Double-submit cookie (Litestar's CSRF middleware): forms carry `_csrf_token`, htmx sends the
`X-CSRFToken` header put on `<body>` by the base template. A request that authenticates with a
personal API token (`Authorization: Bearer …`) is exempt: a browser never adds that header by itself,
and such a request is never authenticated by the session cookie (see `app.accounts.middleware`).
"""

from __future__ import annotations

from litestar.config.csrf import CSRFConfig
from litestar.datastructures import Headers
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import Receive, Scope, Send

from app.settings import Settings


def bearer_token(scope: Scope) -> str | None:
    auth = Headers.from_scope(scope).get("authorization", "")
    scheme, _sep, token = auth.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class TokenAwareCSRFMiddleware(CSRFMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and bearer_token(scope):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def csrf_config(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        secret=settings.secret_key,
        cookie_name="csrftoken",
        header_name="x-csrftoken",
        cookie_secure=settings.file.security.secure_cookies,
        cookie_httponly=False,
        cookie_samesite="lax",
    )
