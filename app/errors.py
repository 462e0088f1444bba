"""The error a rule raises when a request cannot be done as asked; shown beside `field` in the form."""

from __future__ import annotations

from app.i18n import LazyText


class RuleError(Exception):
    def __init__(self, message: LazyText, field: str | None = None, status_code: int = 422) -> None:
        super().__init__(message.message)
        self.text = message
        self.field = field
        self.status_code = status_code
