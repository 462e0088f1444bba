from piccolo.conf.apps import AppConfig

from app.settings import ROOT
from app.web.tables import SubmittedForm

APP_CONFIG = AppConfig(
    app_name="web",
    migrations_folder_path=str(ROOT / "migrations" / "web"),
    table_classes=[SubmittedForm],
    migration_dependencies=[],
    commands=[],
)
