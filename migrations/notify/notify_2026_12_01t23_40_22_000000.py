"""Unique keys, the dispatcher's index and row-level security for notify's tables (after the tables exist:
Piccolo runs a migration's raw steps before its table steps)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.querystring import QueryString

from tenants.migration_helpers import add_unique_index, enable_ward_rls

ID = "2026-12-01T23:40:22:000000"
VERSION = "1.38.0"
DESCRIPTION = "message keys, dispatcher index and row-level security"


def add_index(manager, name: str, table: str, columns: list[str]) -> None:
    async def run() -> None:
        from app.db import DB

        await DB.run_querystring(QueryString(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({', '.join(columns)})"))

    manager.add_raw(run)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="notify", description=DESCRIPTION)
    # A message exists once per (event, recipient, subject, channel): a retried change or a second scheduler
    # inserts nothing new (ON CONFLICT DO NOTHING).
    add_unique_index(manager, "outbox_message_ward_dedupe_key", "outbox_message", ["ward", "dedupe_key"])
    add_unique_index(manager, "platform_message_dedupe_key", "platform_message", ["dedupe_key"])
    add_unique_index(manager, "ward_channels_ward", "ward_channels", ["ward"])
    # The dispatcher's claim: due messages in order, across wards.
    add_index(manager, "outbox_message_status_due", "outbox_message", ["status", "next_attempt_at"])
    add_index(manager, "platform_message_status_due", "platform_message", ["status", "next_attempt_at"])
    # The officers' outbox page, newest first; the bell's unread count.
    add_index(manager, "outbox_message_ward_created", "outbox_message", ["ward", "created_at"])
    add_index(manager, "notification_user_unread", "notification", ["\"user\"", "read_at"])
    for table in ("outbox_message", "ward_channels"):
        enable_ward_rls(manager, table)
    return manager
