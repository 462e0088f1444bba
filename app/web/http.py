"""Small request/response helpers shared by the HTML controllers."""

from __future__ import annotations

from urllib.parse import urlparse

from litestar import Request
from litestar.response import Redirect


async def form_data(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: form.get(key) for key in form.keys()}  # noqa: SIM118 - FormMultiDict has no dict()


def see_other(url: str) -> Redirect:
    """POST/redirect/GET: a reload never resubmits."""
    return Redirect(url, status_code=303)


def safe_next(url: str | None, default: str = "/") -> str:
    """Only same-site paths, so ?next= cannot send someone to another site."""
    if not url:
        return default
    parsed = urlparse(url)
    if parsed.scheme or parsed.netloc or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return default
    return url
