"""Row-level security for sticker sheets (after the table exists)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from tenants.migration_helpers import enable_ward_rls

ID = "2026-11-21T21:30:52:000000"
VERSION = "1.38.0"
DESCRIPTION = "sticker sheet row-level security"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="housing", description=DESCRIPTION)
    enable_ward_rls(manager, "sticker_sheet")
    return manager
