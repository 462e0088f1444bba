from piccolo.conf.apps import AppConfig

from app.counter.tables import Booking, Counter, CounterGroup, Procedure, ServiceGroup, Ticket, TicketSequence
from app.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="counter",
    migrations_folder_path=str(ROOT / "migrations" / "counter"),
    table_classes=[ServiceGroup, Procedure, Booking, Counter, CounterGroup, TicketSequence, Ticket],
    migration_dependencies=["tenants.piccolo_app", "app.accounts.piccolo_app"],
    commands=[],
)
