"""Typed settings: `litestar.toml` for everything that is not secret, the environment for secrets.

An unknown or mistyped key in `litestar.toml` stops start-up with a message naming it (msgspec's
`forbid_unknown_fields`). `DATABASE_URL`, `APP_SECRET_KEY` and the other secrets are read from the
environment only, so they never sit in a file under version control.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

import msgspec

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-only-secret-change-me"


class _Section(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    pass


class AppSection(_Section):
    name: str = "Nhà trọ số"
    mode: Literal["development", "production"] = "development"
    base_url: str = "http://127.0.0.1:8000"
    default_locale: Literal["vi", "en"] = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"


class DatabaseSection(_Section):
    sqlite_path: str = "data/nhatro.sqlite3"
    sqlite_timeout_seconds: float = 30.0
    pool_min: int = 2
    pool_max: int = 10
    # How long a process keeps the rows nearly every request reads (app.memo); other processes see a change
    # within this time. 0 reads them afresh each time.
    memo_seconds: float = 5.0


class SecuritySection(_Section):
    session_max_age_days: int = 14
    secure_cookies: bool = False
    login_max_failures: int = 5
    login_window_minutes: int = 15
    consent_text_version: str = "2025-07-01"


class ServerSection(_Section):
    host: str = "127.0.0.1"
    port: int = 8000


class SmsSection(_Section):
    backend: Literal["log", "http"] = "log"  # "log" writes to notify.log_path instead of sending
    url: str = ""  # the gateway's JSON endpoint; the token is NOTIFY_SMS_TOKEN in the environment
    sender: str = ""  # brandname, if the gateway takes one
    encoding: Literal["gsm7", "ucs2"] = "gsm7"  # gsm7: Vietnamese sent without diacritics (160 a part)
    max_parts: int = 3
    timeout_seconds: float = 10.0


class ZaloSection(_Section):
    backend: Literal["log", "zns"] = "log"
    url: str = "https://business.openapi.zalo.me/message/template"  # token: NOTIFY_ZALO_TOKEN
    templates: dict[str, str] = msgspec.field(default_factory=dict)  # event name -> approved ZNS template id
    timeout_seconds: float = 10.0


class EmailSection(_Section):
    backend: Literal["log", "smtp"] = "log"
    host: str = "127.0.0.1"
    port: int = 25
    security: Literal["none", "starttls", "tls"] = "none"
    username: str = ""  # the password is NOTIFY_SMTP_PASSWORD in the environment
    sender: str = "Nhà trọ số <no-reply@localhost>"
    timeout_seconds: float = 10.0


class NotifySection(_Section):
    dispatch: bool = True  # each app worker sends due messages in the background
    poll_seconds: float = 5.0
    batch: int = 50
    max_attempts: int = 6  # then the message is dead (an officer may send it again)
    retry_base_seconds: int = 30  # back-off: 30 s, 1 min, 2 min, 4 min, ...
    claim_seconds: int = 120  # a claimed message a dead worker left is retried after this
    default_channels: list[str] = msgspec.field(default_factory=lambda: ["sms", "email"])  # for a ward not set up
    log_path: str = "data/outbox.log"  # what the "log" backends would have sent
    keep_days: int = 180  # sent and dead messages, and read notifications, are deleted after this (personal data)
    sms: SmsSection = msgspec.field(default_factory=SmsSection)
    zalo: ZaloSection = msgspec.field(default_factory=ZaloSection)
    email: EmailSection = msgspec.field(default_factory=EmailSection)


class SchedulerSection(_Section):
    enabled: bool = True  # each app worker runs due jobs; a lease in the database lets one at a time do it
    interval_seconds: float = 60.0
    lease_seconds: int = 300


class FileSettings(_Section):
    app: AppSection = msgspec.field(default_factory=AppSection)
    database: DatabaseSection = msgspec.field(default_factory=DatabaseSection)
    security: SecuritySection = msgspec.field(default_factory=SecuritySection)
    server: ServerSection = msgspec.field(default_factory=ServerSection)
    notify: NotifySection = msgspec.field(default_factory=NotifySection)
    scheduler: SchedulerSection = msgspec.field(default_factory=SchedulerSection)


class SettingsError(RuntimeError):
    """Raised when settings cannot be used; the message says which key and why."""


class Settings(msgspec.Struct, kw_only=True):
    file: FileSettings
    database_url: str
    secret_key: str
    notify_secrets: dict[str, str] = msgspec.field(default_factory=dict)  # NOTIFY_* from the environment

    @property
    def production(self) -> bool:
        return self.file.app.mode == "production"

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def sqlite_path(self) -> Path:
        """DATABASE_URL=sqlite:///path overrides the file's path (tests use it); unset means the file's."""
        if self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///"))
        path = Path(self.file.database.sqlite_path)
        return path if path.is_absolute() else ROOT / path


def load_settings(path: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ) if env is None else env
    path = path or Path(env.get("APP_SETTINGS_FILE", ROOT / "litestar.toml"))
    try:
        file = msgspec.toml.decode(path.read_bytes(), type=FileSettings) if path.exists() else FileSettings()
    except msgspec.DecodeError as exc:  # ValidationError is a DecodeError; TOML syntax errors too
        # msgspec names the offending key and its path, e.g. "Object contains unknown field `prot` - at `$.server`".
        raise SettingsError(f"{path.name}: {exc}") from exc
    if mode := env.get("APP_MODE"):
        if mode not in ("development", "production"):
            raise SettingsError(f"APP_MODE must be 'development' or 'production', not {mode!r}")
        file.app.mode = mode  # type: ignore[assignment]
    if base_url := env.get("APP_BASE_URL"):
        file.app.base_url = base_url.rstrip("/")
    if memo_seconds := env.get("APP_MEMO_SECONDS"):
        file.database.memo_seconds = float(memo_seconds)
    if env.get("APP_BACKGROUND_JOBS", "").lower() in ("0", "off", "false", "no"):
        # A web-only process (or a test server) that leaves sending and reminders to others or to cron.
        file.notify.dispatch = False
        file.scheduler.enabled = False
    settings = Settings(
        file=file,
        database_url=env.get("DATABASE_URL", ""),
        secret_key=env.get("APP_SECRET_KEY", DEFAULT_SECRET),
        notify_secrets={key: value for key, value in env.items() if key.startswith("NOTIFY_")},
    )
    if settings.database_url and not (settings.is_postgres or settings.database_url.startswith("sqlite:///")):
        raise SettingsError("DATABASE_URL must be postgresql://… (or sqlite:///path); leave it unset for data/")
    if settings.production:
        if settings.secret_key == DEFAULT_SECRET or len(settings.secret_key) < 32:
            raise SettingsError("production mode needs APP_SECRET_KEY from the environment (32 characters or more)")
        file.security.secure_cookies = True
    return settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
