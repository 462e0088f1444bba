"""How the counter back office's audited actions read in the ward's log. Keyed by the action names its modules
record (their constants import the audit service, so they cannot be imported here); a unit test checks that
every one of them has its label."""

from __future__ import annotations

from app.i18n import _l

ACTION_LABELS = {
    "dossier_received": _l("Dossier received"),
    "dossier_moved": _l("Dossier moved on"),
    "dossier_apology": _l("Apology slip issued"),
    "dossier_fee_paid": _l("Dossier fee paid"),
    "dossier_lookup_failed": _l("Dossier not found by code and phone"),
    "payment_account_updated": _l("Fee account changed"),
    "report_received": _l("Report received"),
    "report_updated": _l("Report handled"),
}
