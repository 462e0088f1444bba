"""One rating per ticket, as per dossier (a per-ward partial unique index)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from tenants.migration_helpers import add_unique_index

ID = "2026-12-01T23:50:18:000000"
VERSION = "1.38.0"
DESCRIPTION = "one rating per ticket"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="counter", description=DESCRIPTION)
    add_unique_index(manager, "rating_ward_ticket", "rating", ["ward", "ticket"], where="ticket IS NOT NULL")
    return manager
