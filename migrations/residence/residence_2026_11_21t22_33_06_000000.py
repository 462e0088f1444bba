"""One declaration in progress per stay, and row-level security for the residence tables (after the tables
exist: Piccolo runs a migration's raw steps before its table steps)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from tenants.migration_helpers import add_unique_index, enable_ward_rls

ID = "2026-11-21T22:33:06:000000"
VERSION = "1.38.0"
DESCRIPTION = "one declaration in progress per stay, and row-level security"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="residence", description=DESCRIPTION)
    # A double tap or two tabs filing for the same stay make one declaration, not two.
    add_unique_index(
        manager,
        "declaration_ward_stay_in_progress",
        "declaration",
        ["ward", "stay"],
        where="state IN ('draft', 'submitted', 'received', 'rejected')",
    )
    enable_ward_rls(manager, "declaration")
    enable_ward_rls(manager, "declaration_event")
    return manager
