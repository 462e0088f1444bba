from piccolo.conf.apps import AppConfig

from app.audit.tables import AuditEvent
from app.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="audit",
    migrations_folder_path=str(ROOT / "migrations" / "audit"),
    table_classes=[AuditEvent],
    migration_dependencies=["app.accounts.piccolo_app"],
    commands=[],
)
