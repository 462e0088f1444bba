from piccolo.conf.apps import AppConfig

from app.counter.tables import (
    Booking,
    BookingSettings,
    ClosedDay,
    Counter,
    CounterGroup,
    Procedure,
    ServiceGroup,
    SlotSeat,
    Ticket,
    TicketSequence,
)
from app.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="counter",
    migrations_folder_path=str(ROOT / "migrations" / "counter"),
    table_classes=[
        ServiceGroup,
        Procedure,
        Booking,
        BookingSettings,
        ClosedDay,
        SlotSeat,
        Counter,
        CounterGroup,
        TicketSequence,
        Ticket,
    ],
    migration_dependencies=["tenants.piccolo_app", "app.accounts.piccolo_app"],
    commands=[],
)

# The back office (dossiers, fee account, ratings, reports) keeps its tables in a module of its own.
from app.counter.dossier_tables import DOSSIER_TABLES  # noqa: E402

for _table in DOSSIER_TABLES:
    APP_CONFIG.register_table(_table)
APP_CONFIG.migration_dependencies.append("app.housing.piccolo_app")  # reports may name a property
