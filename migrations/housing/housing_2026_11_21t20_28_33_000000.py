"""Per-ward unique keys and row-level security for the housing tables (after the tables exist:
Piccolo runs a migration's raw steps before its table steps)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from tenants.migration_helpers import add_unique_index, enable_ward_rls

ID = "2026-11-21T20:28:33:000000"
VERSION = "1.38.0"
DESCRIPTION = "ward keys and row-level security"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="housing", description=DESCRIPTION)
    add_unique_index(manager, "room_ward_property_code", "room", ["ward", "property", "code"])
    enable_ward_rls(manager, "property")
    enable_ward_rls(manager, "room")
    return manager
