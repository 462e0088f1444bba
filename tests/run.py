"""`make test`: the whole suite on SQLite, then again on PostgreSQL when DATABASE_URL points at one.

On PostgreSQL a fresh database is created for the run, owned by an ordinary role (no superuser, no
BYPASSRLS), so row-level security binds the application exactly as in production; it is dropped after.
The last lines say what ran: each engine's figures, or why PostgreSQL did not run, and a total line.
Set REQUIRE_BROWSER=1 (CI does) to fail when no browser test ran.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
APP_ROLE = "nhatro_app"


def pytest(env_overrides: dict[str, str], label: str, junit: Path) -> dict[str, int]:
    env = {**os.environ, **env_overrides, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}", *sys.argv[1:]]
    print(f"\n=== {label} ===", flush=True)
    code = subprocess.call(args, cwd=ROOT, env=env)
    counts = {"passed": 0, "failed": 0, "skipped": 0, "e2e": 0, "code": code}
    if junit.exists():
        for case in ET.parse(junit).getroot().iter("testcase"):
            if case.find("failure") is not None or case.find("error") is not None:
                counts["failed"] += 1
            elif case.find("skipped") is not None:
                counts["skipped"] += 1
            else:
                counts["passed"] += 1
                if ".e2e." in case.get("classname", ""):
                    counts["e2e"] += 1
    if code not in (0, 5) and counts["failed"] == 0:
        counts["failed"] = 1  # collection or session error: count it as a failure
    return counts


async def _admin(url: str, *statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        for sql in statements:
            await conn.execute(sql)
    finally:
        await conn.close()


def postgres_database(url: str) -> tuple[str, str] | None:
    """Create a fresh database owned by an ordinary role; return (its URL, the name), or None."""
    name = f"nhatro_test_{secrets.token_hex(4)}"
    try:
        asyncio.run(
            _admin(
                url,
                f"""DO $$ BEGIN
                      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
                        CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS;
                      END IF;
                    END $$""",
                f"CREATE DATABASE {name} OWNER {APP_ROLE}",
            )
        )
    except Exception as exc:  # noqa: BLE001 - reported and the run goes on without PostgreSQL
        print(f"PostgreSQL unreachable at {url!r}: {exc}", flush=True)
        return None
    parsed = urlparse(url)
    netloc = f"{APP_ROLE}@{parsed.hostname}:{parsed.port or 5432}"
    return urlunparse(parsed._replace(netloc=netloc, path=f"/{name}")), name


def main() -> int:
    results: list[tuple[str, dict[str, int]]] = []
    notes: list[str] = []
    pg_url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="nhatro-test-") as tmp:
        sqlite_url = f"sqlite:///{tmp}/test.sqlite3"
        results.append(("SQLite", pytest({"DATABASE_URL": sqlite_url}, "SQLite", Path(tmp) / "sqlite.xml")))
        if pg_url.startswith(("postgres://", "postgresql://")):
            created = postgres_database(pg_url)
            if created:
                test_url, name = created
                try:
                    results.append(
                        ("PostgreSQL", pytest({"DATABASE_URL": test_url}, "PostgreSQL", Path(tmp) / "pg.xml"))
                    )
                finally:
                    asyncio.run(_admin(pg_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            else:
                results.append(("PostgreSQL", {"passed": 0, "failed": 1, "skipped": 0, "e2e": 0, "code": 1}))
                notes.append("PostgreSQL: DATABASE_URL is set but the server could not be used (see above).")
        else:
            notes.append("PostgreSQL: not run (DATABASE_URL is not set); the suite ran on SQLite alone.")

    print()
    for label, c in results:
        print(
            f"{label}: {c['passed']} passed, {c['failed']} failed, {c['skipped']} skipped "
            f"({c['e2e']} browser tests passed)"
        )
    for note in notes:
        print(note)
    failed = sum(c["failed"] for _l, c in results)
    if os.environ.get("REQUIRE_BROWSER") == "1" and any(c["e2e"] == 0 for _l, c in results):
        print("Browser tests: none ran on at least one engine, and REQUIRE_BROWSER=1.")
        failed = failed or 1
    passed = sum(c["passed"] for _l, c in results)
    skipped = sum(c["skipped"] for _l, c in results)
    print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or any(c["code"] not in (0,) for _l, c in results) else 0


if __name__ == "__main__":
    sys.exit(main())
