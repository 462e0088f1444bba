"""Per-ward unique keys and row-level security for the counter's core tables (after the tables exist:
Piccolo runs a migration's raw steps before its table steps)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from tenants.migration_helpers import add_unique_index, enable_ward_rls

ID = "2026-12-01T23:34:56:000000"
VERSION = "1.38.0"
DESCRIPTION = "per-ward unique keys and row-level security for groups, procedures and bookings"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="counter", description=DESCRIPTION)
    add_unique_index(manager, "service_group_ward_letter", "service_group", ["ward", "letter"])
    add_unique_index(manager, "booking_ward_code", "booking", ["ward", "code"])
    # The capacity check counts a slot's live bookings per group: this index makes it one range read.
    add_unique_index(manager, "booking_ward_service_group_day_slot_id", "booking", ["ward", "service_group", "day", "slot_start", "id"])
    for table in ("service_group", "procedure", "booking"):
        enable_ward_rls(manager, table)
    return manager
