"""How audited actions read in the log."""

from __future__ import annotations

from app.audit.service import Action
from app.counter.booking_labels import ACTION_LABELS as BOOKING_ACTION_LABELS
from app.counter.labels import ACTION_LABELS as COUNTER_ACTION_LABELS
from app.counter.queue_labels import ACTION_LABELS as QUEUE_ACTION_LABELS
from app.housing.labels import ACTION_LABELS as HOUSING_ACTION_LABELS
from app.i18n import _l
from app.notify.labels import ACTION_LABELS as NOTIFY_ACTION_LABELS
from app.residence.labels import ACTION_LABELS as RESIDENCE_ACTION_LABELS

ACTION_LABELS = {
    Action.SIGN_IN: _l("Signed in"),
    Action.SIGN_OUT: _l("Signed out"),
    Action.SIGN_IN_FAILED: _l("Failed sign-in"),
    Action.SIGN_IN_THROTTLED: _l("Sign-in slowed down"),
    Action.SIGN_UP: _l("Landlord sign-up"),
    Action.APPROVED: _l("Landlord approved"),
    Action.REJECTED: _l("Landlord rejected"),
    Action.ACCOUNT_CREATED: _l("Account created"),
    Action.PASSWORD_RESET: _l("Password reset"),
    Action.PASSWORD_CHANGED: _l("Password changed"),
    Action.DEACTIVATED: _l("Account deactivated"),
    Action.REACTIVATED: _l("Account reactivated"),
    Action.WARD_CREATED: _l("Ward created"),
    Action.WARD_UPDATED: _l("Ward updated"),
    Action.TOKEN_CREATED: _l("API token created"),
    Action.TOKEN_REVOKED: _l("API token revoked"),
    Action.WARD_SWITCHED: _l("Switched ward"),
    Action.RENTER_VIEWED: _l("Renter's details viewed"),
    **HOUSING_ACTION_LABELS,
    **RESIDENCE_ACTION_LABELS,
    **BOOKING_ACTION_LABELS,
    **COUNTER_ACTION_LABELS,
    **QUEUE_ACTION_LABELS,
    **NOTIFY_ACTION_LABELS,
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
