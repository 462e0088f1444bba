"""Per-ward unique keys and row-level security for dossiers, the fee account, ratings and reports (after the
tables exist: Piccolo runs a migration's raw steps before its table steps)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from tenants.migration_helpers import add_unique_index, enable_ward_rls

ID = "2026-12-01T23:41:18:000000"
VERSION = "1.38.0"
DESCRIPTION = "per-ward keys and row-level security for dossiers, payment accounts, ratings and reports"

TABLES = ("payment_account", "dossier", "dossier_event", "rating", "report", "report_photo", "report_event")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="counter", description=DESCRIPTION)
    add_unique_index(manager, "payment_account_ward", "payment_account", ["ward"])
    add_unique_index(manager, "dossier_ward_code", "dossier", ["ward", "code"])
    # The officer's flagged list and the dashboard's periods read these ranges of one ward.
    add_unique_index(manager, "dossier_ward_state_due_id", "dossier", ["ward", "state", "due_at", "id"])
    add_unique_index(manager, "dossier_ward_received_id", "dossier", ["ward", "received_at", "id"])
    # One rating per transaction: a double submit or a second device finds the first one.
    add_unique_index(manager, "rating_ward_dossier", "rating", ["ward", "dossier"], where="dossier IS NOT NULL")
    add_unique_index(manager, "rating_ward_created_id", "rating", ["ward", "created_at", "id"])
    add_unique_index(manager, "report_ward_code", "report", ["ward", "code"])
    add_unique_index(manager, "report_ward_created_id", "report", ["ward", "created_at", "id"])
    for table in TABLES:
        enable_ward_rls(manager, table)
    return manager
