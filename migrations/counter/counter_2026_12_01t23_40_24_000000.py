"""Per-ward unique keys and row-level security for counters and tickets (after the tables exist: Piccolo runs
a migration's raw steps before its table steps)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from tenants.migration_helpers import add_unique_index, enable_ward_rls

ID = "2026-12-01T23:40:24:000000"
VERSION = "1.38.0"
DESCRIPTION = "per-ward unique keys and row-level security for counters and tickets"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="counter", description=DESCRIPTION)
    add_unique_index(manager, "counter_ward_number", "counter", ["ward", "number"])
    add_unique_index(manager, "counter_group_ward_counter_group", "counter_group", ["ward", "counter", "service_group"])
    add_unique_index(manager, "ticket_sequence_ward_day_group", "ticket_sequence", ["ward", "day", "service_group"])
    # One number per group and day; a transfer's continuation row (transferred_from set) repeats its number.
    add_unique_index(
        manager,
        "ticket_ward_day_group_number",
        "ticket",
        ["ward", "day", "service_group", "number"],
        where="transferred_from IS NULL",
    )
    # A booking checks in once.
    add_unique_index(
        manager,
        "ticket_ward_booking",
        "ticket",
        ["ward", "booking"],
        where="booking IS NOT NULL AND transferred_from IS NULL",
    )
    # The queue is read by (ward, day, status): the waiting line, who is being served now.
    add_unique_index(manager, "ticket_ward_day_status_id", "ticket", ["ward", "day", "status", "id"])
    for table in ("counter", "counter_group", "ticket_sequence", "ticket"):
        enable_ward_rls(manager, table)
    return manager
