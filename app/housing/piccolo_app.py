from piccolo.conf.apps import AppConfig

from app.housing.tables import Property, Renter, Room, SelfRegistration, Stay, StickerSheet
from app.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="housing",
    migrations_folder_path=str(ROOT / "migrations" / "housing"),
    table_classes=[Property, Room, Renter, Stay, SelfRegistration, StickerSheet],
    migration_dependencies=["app.accounts.piccolo_app"],
    commands=[],
)
