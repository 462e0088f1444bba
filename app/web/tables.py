from __future__ import annotations

from piccolo.columns import Timestamptz, Varchar
from piccolo.table import Table


class SubmittedForm(Table):
    """A form's one-time token, recorded in the same transaction as the change the form made, so a
    double submit finds the first result instead of making a second record."""

    token = Varchar(length=64, unique=True, index=True)
    result_url = Varchar(length=500, default="")
    created_at = Timestamptz(index=True)
