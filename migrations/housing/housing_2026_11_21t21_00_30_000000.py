"""Per-ward unique keys and row-level security for renters and stays (after the tables exist:
Piccolo runs a migration's raw steps before its table steps)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from tenants.migration_helpers import add_unique_index, enable_ward_rls

ID = "2026-11-21T21:00:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "renter keys and row-level security"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="housing", description=DESCRIPTION)
    add_unique_index(manager, "renter_ward_id_number", "renter", ["ward", "id_number"])
    add_unique_index(manager, "stay_one_open_per_renter", "stay", ["ward", "renter"], where="to_date IS NULL")
    enable_ward_rls(manager, "renter")
    enable_ward_rls(manager, "stay")
    return manager
