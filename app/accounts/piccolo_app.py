from piccolo.conf.apps import AppConfig

from app.accounts.tables import ApiToken, Consent, Membership, SessionRecord, User
from app.settings import ROOT

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=str(ROOT / "migrations" / "accounts"),
    table_classes=[User, Membership, Consent, ApiToken, SessionRecord],
    migration_dependencies=["tenants.piccolo_app"],
    commands=[],
)
