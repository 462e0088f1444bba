from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table

from app.accounts.tables import User
from tenants.tables import Ward


class AuditEvent(Table):
    """One audited action. Append-only: nothing updates or deletes these rows.

    `ward` is null for the events that happen outside any ward: a failed sign-in for an unknown phone,
    the platform admin creating a ward. A ward's officers read their ward's rows through
    `app.audit.service.ward_events()`, which takes the ward from the scope.
    """

    at = Timestamptz(index=True)
    ward = ForeignKey(Ward, null=True, default=None, index=True, on_delete=OnDelete.restrict)
    actor = ForeignKey(User, null=True, default=None, index=True, on_delete=OnDelete.set_null)
    action = Varchar(length=40, index=True)
    subject_type = Varchar(length=30, default="")
    subject_id = Integer(null=True, default=None)
    summary = Text(default="")
    phone = Varchar(length=15, default="", index=True)  # the phone typed at sign-in, for throttling
    ip = Varchar(length=45, default="", index=True)
    user_agent = Varchar(length=255, default="")
