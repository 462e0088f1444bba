from piccolo.conf.apps import AppConfig

from app.residence.tables import Declaration, DeclarationEvent
from app.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="residence",
    migrations_folder_path=str(ROOT / "migrations" / "residence"),
    table_classes=[Declaration, DeclarationEvent],
    migration_dependencies=["app.housing.piccolo_app"],
    commands=[],
)
