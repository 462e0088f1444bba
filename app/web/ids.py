"""Row ids that arrive typed: in a path (`{id:int}`), a form field or a query string.

Two things must not become a 500: a "digit" int() refuses (`str.isdigit()` admits "²"), and a number beyond
the databases' integer column (PostgreSQL's int4), which the driver refuses. Neither can name a row, so a form
treats it as no choice and a path answers 404.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException
from litestar.handlers import BaseRouteHandler

ID_MAX = 2_147_483_647  # the integer column's largest value (PostgreSQL int4)


def as_id(value: object) -> int | None:
    """The id `value` names (ASCII digits, 1 … ID_MAX), else None."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        return None
    number = int(text)
    return number if 0 < number <= ID_MAX else None


async def ids_in_range(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
    """App-wide guard: an integer path parameter no row can have is 404 before the handler runs."""
    for value in connection.path_params.values():
        if isinstance(value, int) and not 0 <= value <= ID_MAX:
            raise NotFoundException()
