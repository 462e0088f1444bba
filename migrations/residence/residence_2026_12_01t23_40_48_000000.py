"""The police desk: one settings row per ward, with row-level security; the inbox's index (a ward's
declarations by state, the earliest deadline first); and the index a person's record reads "who viewed them"
through (the audit log of the ward, by subject)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.querystring import QueryString

from tenants.migration_helpers import add_unique_index, enable_ward_rls

ID = "2026-12-01T23:40:48:000000"
VERSION = "1.38.0"
DESCRIPTION = "police desk settings, inbox and viewers indexes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="residence", description=DESCRIPTION)
    add_unique_index(manager, "desk_settings_ward", "desk_settings", ["ward"])
    enable_ward_rls(manager, "desk_settings")

    async def run() -> None:
        from app.db import DB

        for sql in (
            "CREATE INDEX IF NOT EXISTS declaration_ward_state_deadline ON declaration (ward, state, deadline)",
            "CREATE INDEX IF NOT EXISTS audit_event_ward_subject ON audit_event (ward, subject_type, subject_id, id)",
        ):
            await DB.run_querystring(QueryString(sql))

    manager.add_raw(run)
    return manager
