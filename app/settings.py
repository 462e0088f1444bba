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


class SecuritySection(_Section):
    session_max_age_days: int = 14
    secure_cookies: bool = False
    login_max_failures: int = 5
    login_window_minutes: int = 15
    consent_text_version: str = "2025-07-01"


class ServerSection(_Section):
    host: str = "127.0.0.1"
    port: int = 8000


class FileSettings(_Section):
    app: AppSection = msgspec.field(default_factory=AppSection)
    database: DatabaseSection = msgspec.field(default_factory=DatabaseSection)
    security: SecuritySection = msgspec.field(default_factory=SecuritySection)
    server: ServerSection = msgspec.field(default_factory=ServerSection)


class SettingsError(RuntimeError):
    """Raised when settings cannot be used; the message says which key and why."""


class Settings(msgspec.Struct, kw_only=True):
    file: FileSettings
    database_url: str
    secret_key: str

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
    settings = Settings(
        file=file,
        database_url=env.get("DATABASE_URL", ""),
        secret_key=env.get("APP_SECRET_KEY", DEFAULT_SECRET),
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
