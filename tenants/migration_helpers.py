"""Migration steps for ward-owned tables: per-ward unique keys and PostgreSQL row-level security.

Row-level security is the second wall behind `tenants.scope`.

Migrations call `enable_ward_rls(manager, table)` after creating a ward-owned table. The policy
compares each row's ward with the transaction-local setting `app.ward_id` (set by `ward_scope()`):
no setting, no rows. `FORCE` makes it bind the table's owner too; only a superuser bypasses it, so
production connects as an ordinary role (see README).
"""

from __future__ import annotations

from piccolo.querystring import QueryString

FUNCTIONS_SQL = [
    # The ward id of the current transaction, or NULL; a non-numeric value never raises.
    """
    CREATE OR REPLACE FUNCTION app_ward() RETURNS integer LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN current_setting('app.ward_id', true) ~ '^[0-9]+$'
                    THEN current_setting('app.ward_id', true)::integer END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION app_all_wards() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT coalesce(current_setting('app.ward_id', true) = '*', false)
    $$
    """,
]


def policy_sql(table: str) -> list[str]:
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS ward_isolation ON {table}",
        f"""CREATE POLICY ward_isolation ON {table}
            USING (app_all_wards() OR ward = app_ward())
            WITH CHECK (app_all_wards() OR ward = app_ward())""",
    ]


def enable_ward_rls(manager, table: str) -> None:
    """Add the RLS statements to a Piccolo migration; they run on PostgreSQL only."""

    async def run() -> None:
        from app.db import DB

        if DB.engine_type != "postgres":
            return
        for sql in [*FUNCTIONS_SQL, *policy_sql(table)]:
            await DB.run_querystring(QueryString(sql))

    manager.add_raw(run)


def add_unique_index(manager, name: str, table: str, columns: list[str], where: str = "") -> None:
    """A composite unique key, e.g. (ward, user, role). Piccolo's `Unique` constraint fails on SQLite;
    a unique index is portable and raises the same IntegrityError on both engines."""

    async def run() -> None:
        from app.db import DB

        sql = f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {table} ({', '.join(columns)})"
        if where:  # a partial index, e.g. one open stay per renter; both engines support it
            sql += f" WHERE {where}"
        await DB.run_querystring(QueryString(sql))

    manager.add_raw(run)
