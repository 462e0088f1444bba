"""Double submits create one record.

Every form that creates something carries a one-time `form_token`. The change and the token are written
in one transaction; a repeat of the same token (a double tap, a resent request) gets the first result's
URL instead of doing the change again. Two truly concurrent submits race on the token's unique index
(or the record's own unique key); the loser finds the winner's result.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from app.db import is_unique_violation, write_transaction
from app.web.tables import SubmittedForm


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


def _valid(token: str | None) -> bool:
    return bool(token) and 16 <= len(token) <= 64  # type: ignore[arg-type]


async def _result(token: str) -> str | None:
    row = await SubmittedForm.select(SubmittedForm.result_url).where(SubmittedForm.token == token).first()
    return row["result_url"] if row else None


async def run_once(token: str | None, action: Callable[[], Awaitable[str]]) -> str:
    """Run `action` (which makes the change and returns the URL to show next) once per token."""
    if not _valid(token):
        async with write_transaction():
            return await action()
    try:
        async with write_transaction():
            if done := await _result(token):  # type: ignore[arg-type]
                return done
            url = await action()
            await SubmittedForm.insert(SubmittedForm(token=token, result_url=url, created_at=datetime.now(UTC)))
            return url
    except Exception as exc:
        if is_unique_violation(exc) and (done := await _result(token)):  # type: ignore[arg-type]
            return done
        raise
