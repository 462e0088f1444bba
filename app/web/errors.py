"""Error pages in the visitor's language, and JSON errors for the API."""

from __future__ import annotations

import logging
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.response import Redirect

from app.errors import RuleError
from app.i18n import _l
from app.web.templating import render

log = logging.getLogger("app")

TITLES = {
    400: _l("The request could not be understood"),
    401: _l("Please sign in"),
    403: _l("This action was refused"),
    404: _l("Page not found"),
    405: _l("This action was refused"),
    409: _l("This could not be done"),
    422: _l("Please check what you entered"),
    429: _l("Too many requests"),
    500: _l("Something went wrong on our side"),
}
DETAILS = {
    403: _l("The form may have expired. Go back, reload the page and try again."),
    404: _l("The address may be mistyped, or the page is not available to you."),
    500: _l("The error has been recorded. Please try again in a moment."),
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _page(request: Request, status: int, message: object = None) -> Response:
    if _is_api(request):
        return Response(
            {"status_code": status, "detail": str(message or TITLES.get(status, status))},
            status_code=status,
            media_type=MediaType.JSON,
        )
    return render(
        "errors/error.html",
        status=status,
        title=TITLES.get(status, TITLES[400]),
        message=message or DETAILS.get(status, ""),
    )  # type: ignore[return-value]


def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException) and not _is_api(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(f"/login?next={quote(target)}", status_code=303)
    if _is_api(request):
        return Response({"status_code": status, "detail": exc.detail}, status_code=status, media_type=MediaType.JSON)
    return _page(request, status)


def rule_error_handler(request: Request, exc: RuleError) -> Response:
    return _page(request, exc.status_code, exc.text)


def internal_error_handler(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _page(request, 500)


EXCEPTION_HANDLERS = {
    HTTPException: http_exception_handler,
    RuleError: rule_error_handler,
    500: internal_error_handler,
}
