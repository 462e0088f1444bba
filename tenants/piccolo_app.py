from piccolo.conf.apps import AppConfig

from app.settings import ROOT
from tenants.tables import Ward

APP_CONFIG = AppConfig(
    app_name="tenants",
    migrations_folder_path=str(ROOT / "migrations" / "tenants"),
    table_classes=[Ward],
    migration_dependencies=[],
    commands=[],
)
