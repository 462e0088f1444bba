"""The database engine and the one way to write: `write_transaction()`.

SQLite (embedded default) needs discipline to never answer "database is locked": WAL so readers do
not block the writer, a busy timeout, IMMEDIATE write transactions (a DEFERRED one fails at once when
it upgrades its read lock), and an in-process lock so only one writer at a time even asks SQLite.
That is why SQLite runs with a single worker. PostgreSQL gets a connection pool and several workers.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from urllib.parse import unquote, urlparse

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType, dict_factory
from piccolo.querystring import QueryString

from app.settings import Settings, get_settings


class SQLiteWithReaders(SQLiteEngine):
    """Piccolo's SQLite engine runs each statement outside a transaction on a new aiosqlite connection, which
    starts a new thread: about 2 ms a query, most of a simple page's time. Here such statements (nearly all
    reads) run on a few long-lived connections instead, one per thread of a small pool. Transactions are
    unchanged: `write_transaction` still takes a connection of its own."""

    READERS = 4

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._readers = ThreadPoolExecutor(max_workers=self.READERS, thread_name_prefix="sqlite-reader")
        self._local = threading.local()

    def _reader(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(**self.connection_kwargs)  # autocommit (isolation_level=None)
            connection.row_factory = dict_factory
            connection.execute("PRAGMA foreign_keys = 1")
            self._local.connection = connection
        return connection

    def _run(self, query: str, args: list) -> list:
        cursor = self._reader().execute(query, args)
        try:
            return cursor.fetchall()
        finally:
            cursor.close()

    async def _run_in_new_connection(self, query, args=None, query_type="generic", table=None):  # type: ignore[override]
        if query_type == "insert" and self.get_version_sync() < 3.35:  # no RETURNING: Piccolo's own way
            return await super()._run_in_new_connection(query, args, query_type, table)
        return await asyncio.get_running_loop().run_in_executor(self._readers, self._run, query, args or [])


def make_engine(settings: Settings) -> Engine:
    if settings.is_postgres:
        return PostgresEngine(config=postgres_config(settings.database_url), extensions=())
    path = settings.sqlite_path
    path.parent.mkdir(parents=True, exist_ok=True)
    prepare_sqlite_file(str(path), settings.file.database.sqlite_timeout_seconds)
    return SQLiteWithReaders(path=str(path), timeout=settings.file.database.sqlite_timeout_seconds)


def postgres_config(url: str) -> dict:
    parsed = urlparse(url)
    return {
        "host": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 5432,
        "user": unquote(parsed.username or "postgres"),
        "password": unquote(parsed.password) if parsed.password else None,
        "database": (parsed.path or "/postgres").lstrip("/"),
    }


def prepare_sqlite_file(path: str, timeout: float) -> None:
    # WAL is a property of the file: set it once, every later connection uses it.
    with sqlite3.connect(path, timeout=timeout) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")


DB: Engine = make_engine(get_settings())
_sqlite_writer = asyncio.Lock()
_pool_owner: list[object] = []
CLOSE_SECONDS = 5.0
log = logging.getLogger(__name__)


def is_postgres() -> bool:
    return isinstance(DB, PostgresEngine)


async def open_db(owner: object) -> None:
    """Start the PostgreSQL pool once; the first caller owns it and is the one to close it."""
    if is_postgres() and not _pool_owner:
        settings = get_settings().file.database
        await DB.start_connection_pool(
            min_size=settings.pool_min, max_size=settings.pool_max, reset=_keep_session_as_is
        )
        _pool_owner.append(owner)


async def _keep_session_as_is(connection: object) -> None:
    """asyncpg's default reset sends "RESET ALL; UNLISTEN *; CLOSE ALL; ..." each time a connection goes back to
    the pool: one more round trip per request. The app leaves nothing in a pooled session to reset: the ward
    setting is transaction-local (set_config(..., true)), LISTEN runs on its own connection (counter.live),
    and there are no cursors, session SETs or advisory locks. asyncpg still rolls back an open transaction."""


async def close_db(owner: object) -> None:
    if _pool_owner and _pool_owner[0] is owner:
        _pool_owner.clear()
        pool, DB.pool = DB.pool, None
        try:
            # asyncpg waits for every connection to be given back, and one whose query was cancelled at shutdown
            # (a background task stopped mid-statement) kept a worker from exiting for 15 s. Past the limit
            # close() terminates the connections instead, as asyncpg's documentation advises.
            await asyncio.wait_for(pool.close(), timeout=CLOSE_SECONDS)
        except TimeoutError:
            log.warning("database pool: connections still busy after %s s at shutdown; closed them", CLOSE_SECONDS)


def in_transaction() -> bool:
    return DB.current_transaction.get() is not None


@asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """Run a change as one transaction; on error nothing of it is written.

    Inside an open transaction (a ward-scoped request on PostgreSQL opens one for its row-level
    security setting) it becomes a savepoint, so a caught error such as a duplicate key rolls back
    only this change and leaves the request's transaction usable.
    """
    current = DB.current_transaction.get()
    if current is not None:
        savepoint = await current.savepoint()
        try:
            yield
        except BaseException:
            await savepoint.rollback_to()
            raise
        else:
            await savepoint.release()
        return
    if is_postgres():
        from tenants.scope import apply_ward_setting

        async with DB.transaction():
            await apply_ward_setting()
            yield
        return
    async with _sqlite_writer:
        async with DB.transaction(transaction_type=TransactionType.immediate):
            yield


async def ping() -> bool:
    try:
        await DB.run_querystring(QueryString("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not reachable" for the health check
        return False
    return True


def is_unique_violation(exc: BaseException) -> bool:
    """True for a duplicate key on either engine (sqlite3 or asyncpg), e.g. a double-submitted form."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    return type(exc).__name__ == "UniqueViolationError"
