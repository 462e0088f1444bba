from piccolo.conf.apps import AppConfig

from app.notify.tables import JobLease, Notification, OutboxMessage, PlatformMessage, Preference, WardChannels
from app.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="notify",
    migrations_folder_path=str(ROOT / "migrations" / "notify"),
    table_classes=[OutboxMessage, PlatformMessage, Notification, Preference, WardChannels, JobLease],
    migration_dependencies=["tenants.piccolo_app", "app.accounts.piccolo_app"],
    commands=[],
)
