"""How roles and statuses read in the UI."""

from __future__ import annotations

from app.i18n import _l

ROLE_LABELS = {"officer": _l("Officer"), "police": _l("Police"), "landlord": _l("Landlord")}
STATUS_LABELS = {
    "pending": _l("Waiting for approval"),
    "active": _l("Active"),
    "rejected": _l("Rejected"),
    "deactivated": _l("Deactivated"),
}


def role_label(role) -> str:
    key = getattr(role, "value", role)
    return str(ROLE_LABELS.get(key, key))


def status_label(status) -> str:
    key = getattr(status, "value", status)
    return str(STATUS_LABELS.get(key, key))
