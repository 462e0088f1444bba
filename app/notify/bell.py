"""The bell's unread count on every signed-in page: one indexed count, read before the page renders.

Skipped where no page with the header is rendered: the API, static files, and htmx requests that swap part
of a page (a boosted navigation swaps the whole body, so it counts)."""

from __future__ import annotations

from litestar.datastructures import Headers
from litestar.types import ASGIApp, Receive, Scope, Send

from app.notify.inbox import unread_count

SCOPE_KEY = "notify_unread"


class BellMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        user = scope.get("user") if scope["type"] == "http" else None
        if user is not None and not user.via_token and not scope["path"].startswith(("/api/", "/static/")):
            headers = Headers.from_scope(scope)
            if not headers.get("hx-request") or headers.get("hx-boosted"):
                scope[SCOPE_KEY] = await unread_count(user.id)  # type: ignore[literal-required]
        await self.app(scope, receive, send)
