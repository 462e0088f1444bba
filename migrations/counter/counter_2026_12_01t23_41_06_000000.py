"""Per-ward keys and row-level security for the booking settings, closed days and slot seats; one live
booking per phone, procedure and day (after the tables exist: Piccolo runs raw steps before table steps)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from tenants.migration_helpers import add_unique_index, enable_ward_rls

ID = "2026-12-01T23:41:06:000000"
VERSION = "1.38.0"
DESCRIPTION = "per-ward keys and row-level security for booking settings, closed days and slot seats"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="counter", description=DESCRIPTION)
    add_unique_index(manager, "booking_settings_ward", "booking_settings", ["ward"])
    add_unique_index(manager, "closed_day_ward_day", "closed_day", ["ward", "day"])
    # The capacity check's row: one per group and slot, found by this key.
    add_unique_index(
        manager, "slot_seat_ward_group_day_start", "slot_seat", ["ward", "service_group", "day", "slot_start"]
    )
    # Two submits of the same person with different forms cannot both book (the index name says "phone": the
    # service tells this violation from a booking code drawn twice).
    add_unique_index(
        manager,
        "booking_live_phone_procedure_day",
        "booking",
        ["ward", "phone", "procedure", "day"],
        where="status = 'booked'",
    )
    for table in ("booking_settings", "closed_day", "slot_seat"):
        enable_ward_rls(manager, table)
    return manager
