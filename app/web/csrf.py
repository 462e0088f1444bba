"""CSRF on every state-changing request, page forms, htmx and session-authenticated API calls alike.

Double-submit cookie (Litestar's CSRF middleware): forms carry `_csrf_token`, htmx sends the
`X-CSRFToken` header put on `<body>` by the base template. A request that authenticates with a
personal API token (`Authorization: Bearer …`) is exempt: a browser never adds that header by itself,
and such a request is never authenticated by the session cookie (see `app.accounts.middleware`).
"""

from __future__ import annotations

from litestar.config.csrf import CSRFConfig
from litestar.datastructures import Cookie, Headers
from litestar.middleware.csrf import CSRFMiddleware, generate_csrf_token
from litestar.types import ASGIApp, HTTPSendMessage, Receive, Scope, Send

from app.settings import Settings


def bearer_token(scope: Scope) -> str | None:
    auth = Headers.from_scope(scope).get("authorization", "")
    scheme, _sep, token = auth.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


class CsrfCookie:
    """The CSRF cookie's Set-Cookie header for a token, and new tokens. Litestar builds the header as a Cookie
    dataclass copied by `asdict` on every first visit, about as long as serving a kept page; it is the same
    but for the token (hex digits, nothing to quote), so it is made once here and the token put in."""

    def __init__(self, config: CSRFConfig) -> None:
        self.name = config.cookie_name
        self.secret = config.secret
        header = Cookie(
            key=config.cookie_name,
            value="-",
            path=config.cookie_path,
            secure=config.cookie_secure,
            httponly=config.cookie_httponly,
            samesite=config.cookie_samesite,
            domain=config.cookie_domain,
        ).to_header(header="")
        self._rest = header.removeprefix(f"{config.cookie_name}=-")

    def header(self, token: str) -> tuple[bytes, bytes]:
        return b"set-cookie", f"{self.name}={token}{self._rest}".encode("latin-1")

    def new_token(self) -> str:
        return generate_csrf_token(secret=self.secret)


class TokenAwareCSRFMiddleware(CSRFMiddleware):
    def __init__(self, app: ASGIApp, config: CSRFConfig) -> None:
        super().__init__(app, config)
        self.cookie = CsrfCookie(config)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and bearer_token(scope):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    def _set_cookie_if_needed(self, message: HTTPSendMessage, token: str) -> None:
        message["headers"].append(self.cookie.header(token))  # type: ignore[union-attr]


def csrf_config(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        secret=settings.secret_key,
        cookie_name="csrftoken",
        header_name="x-csrftoken",
        cookie_secure=settings.file.security.secure_cookies,
        cookie_httponly=False,
        cookie_samesite="lax",
    )
