"""Test setup shared by every test: a migrated database (SQLite or PostgreSQL, from DATABASE_URL), emptied
before each test, the app, and a `browser()` factory of HTTP clients that keep their cookies."""

from __future__ import annotations

import os
import tempfile
from urllib.parse import urlparse

# Before anything imports the app: never run against a developer's own database.
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='nhatro-pytest-')}/test.sqlite3"
elif urlparse(os.environ["DATABASE_URL"]).scheme.startswith("postgres"):
    assert "test" in urlparse(os.environ["DATABASE_URL"]).path, "tests empty the database: use a *test* database"
os.environ.setdefault("APP_SECRET_KEY", "test-secret-" + "x" * 40)
os.environ.pop("APP_MODE", None)

import httpx
import pytest
from piccolo.apps.schema.commands.generate import sort_table_classes
from piccolo.conf.apps import Finder
from piccolo.querystring import QueryString

from tests.helpers import Browser, World, make_world


@pytest.fixture(scope="session")
async def database():
    from app.db import close_db, open_db
    from app.migrate import migrate

    await migrate()  # the migrations themselves are under test on every run
    owner = object()
    await open_db(owner)
    yield
    await close_db(owner)


async def _empty_all_tables() -> None:
    from app.db import DB, is_postgres

    tables = sort_table_classes(Finder().get_table_classes())
    if is_postgres():
        names = ", ".join(t._meta.get_formatted_tablename() for t in tables)
        await DB.run_querystring(QueryString(f"TRUNCATE {names} CASCADE"))
    else:
        for table in reversed(tables):
            await DB.run_querystring(QueryString(f"DELETE FROM {table._meta.get_formatted_tablename()}"))


@pytest.fixture(autouse=True)
async def clean_database(database):
    from app import memo
    from app.web import page_cache

    await _empty_all_tables()
    page_cache.forget()  # pages kept from an earlier test's rows
    memo.forget()  # and the wards, settings and procedures they read
    yield


@pytest.fixture(scope="session")
def app(database):
    from app.asgi import create_app

    return create_app()


@pytest.fixture
async def browser(app):
    """`await browser()` gives a new client with its own cookie jar (one person). The app runs in the
    test's own event loop (httpx's ASGI transport); the database was opened by the `database` fixture."""
    clients = []

    async def make(lang: str = "en") -> Browser:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8000")
        if lang:
            client.cookies.set(
                "lang", lang, domain="127.0.0.1"
            )  # most tests read English; the Vietnamese default is tested apart
        clients.append(client)
        return Browser(client)

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
async def world(database) -> World:
    """Two wards, A and B, each with an officer, a police account and an approved landlord; a platform admin."""
    return await make_world()
