"""Who is asking: a personal API token (`Authorization: Bearer …`) or the session cookie, never both.

Sets `scope["user"]` (a CurrentUser or None) and `scope["session"]` (a dict handlers may change), and
persists the session when the response starts. Static files skip all of it.
"""

from __future__ import annotations

from datetime import timedelta

from litestar.datastructures import Cookie, Headers, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.accounts.current import load_current_user
from app.accounts.sessions import COOKIE, load_session, save_session
from app.accounts.tokens import user_id_for_token
from app.settings import get_settings
from app.web.csrf import bearer_token

SKIP_PREFIXES = ("/static/", "/healthz")


class AuthMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        security = get_settings().file.security
        self.max_age = timedelta(days=security.session_max_age_days)
        self.secure = security.secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in (ScopeType.HTTP, ScopeType.WEBSOCKET) or scope["path"].startswith(SKIP_PREFIXES):
            await self.app(scope, receive, send)
            return
        if token := bearer_token(scope):
            user_id = await user_id_for_token(token)
            scope["user"] = await load_current_user(user_id, None, via_token=True) if user_id else None
            scope["session"] = {}
            await self.app(scope, receive, send)
            return

        cookies = _cookies(scope)
        state = await load_session(cookies.get(COOKIE))
        scope["session"] = state.data
        scope["session_state"] = state  # type: ignore[typeddict-unknown-key]
        uid = state.data.get("uid")
        scope["user"] = await load_current_user(uid, state.data.get("mid")) if uid else None
        if uid and scope["user"] is None:
            state.data.clear()  # the account was deactivated: end this session

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                value = await save_session(state, self.max_age)
                if value is not None:
                    cookie = Cookie(
                        key=COOKIE,
                        value=value or "null",
                        max_age=int(self.max_age.total_seconds()) if value else 0,
                        httponly=True,
                        secure=self.secure,
                        samesite="lax",
                        path="/",
                    )
                    MutableScopeHeaders.from_message(message).add("set-cookie", cookie.to_header(header=""))
            await send(message)

        await self.app(scope, receive, send_wrapper)


def _cookies(scope: Scope) -> dict[str, str]:
    raw = Headers.from_scope(scope).get("cookie", "")
    out: dict[str, str] = {}
    for part in raw.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep:
            out.setdefault(key, value)
    return out
