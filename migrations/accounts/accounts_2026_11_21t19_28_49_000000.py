"""Per-ward unique keys and row-level security for the ward-owned tables of accounts.

Hand-written: Piccolo runs a migration's raw steps before its table steps, so these follow the
migration that creates the tables.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from tenants.migration_helpers import add_unique_index, enable_ward_rls

ID = "2026-11-21T19:28:49:000000"
VERSION = "1.38.0"
DESCRIPTION = "ward keys and row-level security"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)
    add_unique_index(manager, "membership_ward_user_role", "membership", ["ward", "\"user\"", "role"])
    enable_ward_rls(manager, "membership")
    enable_ward_rls(manager, "consent")
    return manager
