from piccolo.conf.apps import AppConfig

from app.residence.tables import Declaration, DeclarationEvent, DeskSettings
from app.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="residence",
    migrations_folder_path=str(ROOT / "migrations" / "residence"),
    table_classes=[Declaration, DeclarationEvent, DeskSettings],
    migration_dependencies=["app.housing.piccolo_app", "app.audit.piccolo_app"],
    commands=[],
)
