"""app/settings.py: typed settings from litestar.toml, secrets from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import DEFAULT_SECRET, ROOT, FileSettings, Settings, SettingsError, load_settings

SECRET = "s" * 40


@pytest.fixture
def toml(tmp_path):
    def write(text: str) -> Path:
        path = tmp_path / "settings.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_the_repository_litestar_toml_loads():
    settings = load_settings(ROOT / "litestar.toml", {})
    assert isinstance(settings, Settings)
    assert settings.file.app.mode == "development"
    assert settings.file.app.default_locale in ("vi", "en")
    assert settings.file.app.timezone == "Asia/Ho_Chi_Minh"
    assert settings.file.server.port == 8000
    assert settings.file.security.secure_cookies is False
    assert settings.secret_key == DEFAULT_SECRET
    assert settings.database_url == ""
    assert not settings.production and not settings.is_postgres


def test_app_settings_file_from_the_environment(toml):
    path = toml("[server]\nport = 9000\n")
    assert load_settings(None, {"APP_SETTINGS_FILE": str(path)}).file.server.port == 9000


def test_missing_file_means_defaults(tmp_path):
    settings = load_settings(tmp_path / "nowhere.toml", {})
    assert settings.file == FileSettings()
    assert settings.sqlite_path == ROOT / "data" / "nhatro.sqlite3"


def test_empty_file_means_defaults(toml):
    assert load_settings(toml(""), {}).file == FileSettings()


def test_values_are_read(toml):
    settings = load_settings(
        toml(
            '[app]\nname = "Thử"\ndefault_locale = "en"\n'
            "[database]\npool_max = 3\nsqlite_timeout_seconds = 5\n"
            "[security]\nlogin_max_failures = 9\n"
            '[server]\nhost = "0.0.0.0"\nport = 8080\n'
        ),
        {},
    )
    assert settings.file.app.name == "Thử"
    assert settings.file.app.default_locale == "en"
    assert settings.file.database.pool_max == 3
    assert settings.file.database.sqlite_timeout_seconds == 5.0
    assert settings.file.security.login_max_failures == 9
    assert (settings.file.server.host, settings.file.server.port) == ("0.0.0.0", 8080)
    assert settings.file.database.pool_min == 2  # keys left out keep their defaults


def test_mistyped_key_is_named(toml):
    with pytest.raises(SettingsError) as exc:
        load_settings(toml("[server]\nprot = 8000\n"), {})
    assert "`prot`" in str(exc.value)
    assert "server" in str(exc.value)
    assert "settings.toml" in str(exc.value)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[srever]\nport = 8000\n", "srever"),
        ("[logging]\nlevel = 'info'\n", "logging"),
        ("port = 8000\n", "port"),
        ("[app]\ntimezone = 'Asia/Ho_Chi_Minh'\nsecret_key = 'x'\n", "secret_key"),
        ("[database]\nurl = 'postgresql://x'\n", "url"),
    ],
)
def test_unknown_section_or_key_is_named(toml, text, named):
    with pytest.raises(SettingsError, match=f"`{named}`"):
        load_settings(toml(text), {})


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[server]\nport = 'eight thousand'\n", "$.server.port"),
        ("[app]\nmode = 'staging'\n", "$.app.mode"),
        ("[app]\ndefault_locale = 'fr'\n", "$.app.default_locale"),
        ("[security]\nsecure_cookies = 'yes'\n", "$.security.secure_cookies"),
        ("server = 1\n", "$.server"),
    ],
)
def test_wrong_type_is_named(toml, text, where):
    with pytest.raises(SettingsError) as exc:
        load_settings(toml(text), {})
    assert where in str(exc.value)


def test_malformed_toml_is_a_settings_error(toml):
    with pytest.raises(SettingsError, match=r"settings\.toml"):
        load_settings(toml("[server\nport = 8000\n"), {})


# --- production mode --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "env"),
    [
        ("", {"APP_MODE": "production"}),
        ("[app]\nmode = 'production'\n", {}),
        ("", {"APP_MODE": "production", "APP_SECRET_KEY": DEFAULT_SECRET}),
        ("", {"APP_MODE": "production", "APP_SECRET_KEY": "x" * 31}),
        ("", {"APP_MODE": "production", "APP_SECRET_KEY": ""}),
        ("[app]\nmode = 'production'\n", {"APP_SECRET_KEY": "short"}),
    ],
)
def test_production_needs_a_real_secret(toml, text, env):
    with pytest.raises(SettingsError, match="APP_SECRET_KEY"):
        load_settings(toml(text), env)


@pytest.mark.parametrize(
    ("text", "env"),
    [
        ("", {"APP_MODE": "production", "APP_SECRET_KEY": SECRET}),
        ("[app]\nmode = 'production'\n", {"APP_SECRET_KEY": SECRET}),
        ("[app]\nmode = 'production'\n[security]\nsecure_cookies = false\n", {"APP_SECRET_KEY": SECRET}),
        ("[security]\nsecure_cookies = false\n", {"APP_MODE": "production", "APP_SECRET_KEY": "y" * 32}),
    ],
)
def test_production_with_a_secret_forces_secure_cookies(toml, text, env):
    settings = load_settings(toml(text), env)
    assert settings.production
    assert settings.file.app.mode == "production"
    assert settings.file.security.secure_cookies is True
    assert settings.secret_key == env["APP_SECRET_KEY"]


def test_development_keeps_the_default_secret_and_cookie_setting(toml):
    settings = load_settings(toml(""), {})
    assert not settings.production
    assert settings.secret_key == DEFAULT_SECRET
    assert settings.file.security.secure_cookies is False
    assert load_settings(toml("[security]\nsecure_cookies = true\n"), {}).file.security.secure_cookies is True


def test_app_mode_in_the_environment_overrides_the_file(toml):
    settings = load_settings(toml("[app]\nmode = 'production'\n"), {"APP_MODE": "development"})
    assert not settings.production
    assert settings.file.security.secure_cookies is False


def test_empty_app_mode_is_ignored(toml):
    assert not load_settings(toml(""), {"APP_MODE": ""}).production


@pytest.mark.parametrize("mode", ["staging", "Production", "prod", "dev"])
def test_unknown_app_mode_is_refused(toml, mode):
    with pytest.raises(SettingsError, match=repr(mode)):
        load_settings(toml(""), {"APP_MODE": mode})


def test_app_base_url_from_the_environment_loses_its_trailing_slash(toml):
    settings = load_settings(toml(""), {"APP_BASE_URL": "https://nhatro.example.vn/"})
    assert settings.file.app.base_url == "https://nhatro.example.vn"


# --- database URL -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["mysql://u:p@localhost/db", "sqlite://x.db", "sqlite:x.db", "postgresql+asyncpg://u@h/db", "/tmp/x.db", "x"],
)
def test_unsupported_database_url_is_refused(toml, url):
    with pytest.raises(SettingsError, match="DATABASE_URL"):
        load_settings(toml(""), {"DATABASE_URL": url})


@pytest.mark.parametrize("url", ["postgresql://u:p@db.example/nhatro", "postgres://u@localhost/nhatro"])
def test_postgres_url(toml, url):
    settings = load_settings(toml(""), {"DATABASE_URL": url})
    assert settings.is_postgres
    assert settings.database_url == url


def test_sqlite_url_with_an_absolute_path(toml):
    settings = load_settings(toml(""), {"DATABASE_URL": "sqlite:////x/y.db"})
    assert not settings.is_postgres
    assert settings.sqlite_path == Path("/x/y.db")


def test_sqlite_url_three_slashes_is_the_path_as_written(toml):
    # sqlite:///x/y.db is the relative path x/y.db (SQLAlchemy's convention), taken as it stands:
    # relative to the working directory, not to the project root as the file's sqlite_path is.
    settings = load_settings(toml(""), {"DATABASE_URL": "sqlite:///x/y.db"})
    assert settings.sqlite_path == Path("x/y.db")


def test_sqlite_path_from_the_file(toml):
    assert load_settings(toml("[database]\nsqlite_path = '/srv/n.db'\n"), {}).sqlite_path == Path("/srv/n.db")
    assert load_settings(toml("[database]\nsqlite_path = 'var/n.db'\n"), {}).sqlite_path == ROOT / "var" / "n.db"


def test_sqlite_url_wins_over_the_file(toml):
    settings = load_settings(toml("[database]\nsqlite_path = '/srv/n.db'\n"), {"DATABASE_URL": "sqlite:////t/t.db"})
    assert settings.sqlite_path == Path("/t/t.db")


def test_postgres_url_leaves_the_sqlite_path_alone(toml):
    settings = load_settings(toml(""), {"DATABASE_URL": "postgresql://u@h/d"})
    assert settings.sqlite_path == ROOT / "data" / "nhatro.sqlite3"


def test_background_jobs_can_be_left_to_cron(tmp_path):
    settings = load_settings(tmp_path / "none.toml", env={"APP_BACKGROUND_JOBS": "0", "NOTIFY_SMS_TOKEN": "t"})
    assert settings.file.notify.dispatch is False and settings.file.scheduler.enabled is False
    assert settings.notify_secrets == {"NOTIFY_SMS_TOKEN": "t"}
    assert load_settings(tmp_path / "none.toml", env={}).file.scheduler.enabled is True
