from piccolo.conf.apps import AppConfig

from app.counter.tables import Booking, BookingSettings, ClosedDay, Procedure, ServiceGroup, SlotSeat
from app.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="counter",
    migrations_folder_path=str(ROOT / "migrations" / "counter"),
    table_classes=[ServiceGroup, Procedure, Booking, BookingSettings, ClosedDay, SlotSeat],
    migration_dependencies=["tenants.piccolo_app", "app.accounts.piccolo_app"],
    commands=[],
)
