"""The fail-closed ward scope: the only way code reads or writes a ward-owned table.

The ward of the work at hand lives in a ContextVar, set once per request (or per CLI/job step) by
`ward_scope()`. Every ward-owned table mixes in `WardOwned`, whose `ward_*` query helpers add the
ward to every query and raise `NoWardScope` when none is set. `tests/unit/test_tenancy_static.py`
fails the build if code anywhere queries a ward-owned table directly (`Room.select(...)`).

On PostgreSQL a second wall stands behind this one: row-level security policies compare each row's
ward with the transaction-local setting `app.ward_id`, which `ward_scope()` sets at the start of the
transaction it opens. A query that escapes the first wall still sees only its ward's rows, and none
when no ward is set.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from piccolo.columns import ForeignKey, OnDelete
from piccolo.querystring import QueryString
from piccolo.table import Table

from app.db import DB, in_transaction, is_postgres
from tenants.tables import Ward

ACROSS_WARDS = -1  # a deliberate cross-ward read (sign-in, platform admin); never set by a request path
_current_ward: ContextVar[int | None] = ContextVar("current_ward", default=None)


class NoWardScope(RuntimeError):
    """A ward-owned table was queried with no ward set: a programming error, never a user's."""


def current_ward_id() -> int:
    ward_id = _current_ward.get()
    if ward_id is None:
        raise NoWardScope("ward-owned table queried outside ward_scope()")
    return ward_id


def has_ward_scope() -> bool:
    return _current_ward.get() not in (None, ACROSS_WARDS)


async def apply_ward_setting() -> None:
    """Tell PostgreSQL's row-level security which ward this transaction works in."""
    if not is_postgres():
        return
    ward_id = _current_ward.get()
    value = "" if ward_id is None else ("*" if ward_id == ACROSS_WARDS else str(ward_id))
    await DB.run_querystring(QueryString("SELECT set_config('app.ward_id', {}, true)", value))


@asynccontextmanager
async def _scope(ward_id: int) -> AsyncIterator[None]:
    token = _current_ward.set(ward_id)
    try:
        if is_postgres():
            if in_transaction():
                await apply_ward_setting()
                yield
            else:
                async with DB.transaction():
                    await apply_ward_setting()
                    yield
        else:
            yield
    finally:
        _current_ward.reset(token)


def ward_scope(ward_id: int) -> Any:
    """Work inside one ward: sets the ward and, on PostgreSQL, opens the transaction RLS keys on."""
    if ward_id is None or ward_id <= 0:
        raise NoWardScope("ward_scope() needs a ward id")
    return _scope(ward_id)


def across_wards() -> Any:
    """A deliberate read across wards, for the few places that need one (a user's own memberships at
    sign-in, the platform admin's overview). Grep for it: each use is a decision."""
    return _scope(ACROSS_WARDS)


class WardOwned:
    """Mixin for every ward-owned table: a non-null, indexed `ward`, and scoped query helpers."""

    ward = ForeignKey(Ward, null=False, index=True, on_delete=OnDelete.restrict)

    @classmethod
    def _ward_filter(cls):
        ward_id = current_ward_id()
        return None if ward_id == ACROSS_WARDS else cls.ward == ward_id  # type: ignore[attr-defined]

    @classmethod
    def _scoped(cls, query):
        condition = cls._ward_filter()
        return query if condition is None else query.where(condition)

    @classmethod
    def ward_select(cls, *columns, **kwargs):
        return cls._scoped(Table.select.__func__(cls, *columns, **kwargs))  # type: ignore[attr-defined]

    @classmethod
    def ward_objects(cls, *prefetch):
        return cls._scoped(Table.objects.__func__(cls, *prefetch))  # type: ignore[attr-defined]

    @classmethod
    def ward_count(cls):
        return cls._scoped(Table.count.__func__(cls))  # type: ignore[attr-defined]

    @classmethod
    def ward_exists(cls):
        return cls._scoped(Table.exists.__func__(cls))  # type: ignore[attr-defined]

    @classmethod
    def ward_update(cls, values: dict | None = None, **kwargs):
        return cls._scoped(Table.update.__func__(cls, values or {}, **kwargs))  # type: ignore[attr-defined]

    @classmethod
    def ward_delete(cls):
        return cls._scoped(Table.delete.__func__(cls))  # type: ignore[attr-defined]

    @classmethod
    def ward_raw(cls, sql: str, *args):
        """Hand-written SQL on this table, for a hot path where building the query with Piccolo costs more
        than running it (the police's residency search: 0.6 ms to build a join, 0.05 ms to run it). The
        SQL's first placeholder is the ward, written `"<table>"."ward" = {}`; it is filled in here with the
        current ward, so hand-written SQL cannot forget it."""
        ward_id = current_ward_id()
        if ward_id == ACROSS_WARDS:
            raise NoWardScope("ward_raw() reads one ward, not across_wards()")
        marker = f'"{cls._meta.tablename}"."ward" = {{}}'
        if sql.find(marker) < 0 or sql.find("{}") != sql.find(marker) + len(marker) - 2:
            raise NoWardScope(f"ward_raw() needs {marker} as the SQL's first placeholder")
        return Table.raw.__func__(cls, sql, ward_id, *args)  # type: ignore[attr-defined]

    @classmethod
    def ward_new(cls, **values):
        """A new row of the current ward, to `.save()` (inside `write_transaction()`)."""
        ward_id = current_ward_id()
        if ward_id == ACROSS_WARDS:
            raise NoWardScope("a new ward-owned row needs one ward, not across_wards()")
        return cls(ward=ward_id, **values)  # type: ignore[call-arg]

    @classmethod
    def ward_insert(cls, *rows):
        """Insert rows made with `ward_new()` in one statement; refuses rows of another ward."""
        ward_id = current_ward_id()
        for row in rows:
            if ward_id == ACROSS_WARDS or row.ward not in (None, ward_id):
                raise NoWardScope("ward_insert() writes rows of the current ward only")
            row.ward = ward_id
        return Table.insert.__func__(cls, *rows)  # type: ignore[attr-defined]


def ward_owned_tables() -> list[type[Table]]:
    """Every table class that carries the ward, across all Piccolo apps (used by the tests and RLS)."""
    from piccolo.conf.apps import Finder

    return [t for t in Finder().get_table_classes() if issubclass(t, WardOwned)]
