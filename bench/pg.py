"""A throw-away PostgreSQL database for a benchmark, owned by an ordinary role (no superuser, no BYPASSRLS), so
row-level security binds as in production; the benchmark measures in a child process against it (the app binds
its database when imported).

The server is `DATABASE_URL` if it points at PostgreSQL, else postgresql://postgres@127.0.0.1:5432/test, used as
an administrator. Without one the benchmark prints "skipped" and passes. `BENCH_KEEP=1` keeps the database.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"
OWNER_ROLE = "nhatro_bench"


def admin_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_URL


async def admin(url: str, *statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url, timeout=5)
    try:
        for sql in statements:
            await conn.execute(sql)
    finally:
        await conn.close()


def measure_in_fresh_database(module: str) -> bool:
    """Create the database, run `python -m <module> --measure` with DATABASE_URL (the owner role) and
    BENCH_ADMIN_URL (the administrator, for loading rows) pointing at it, then drop it. True if it passed."""
    url = admin_url()
    name = f"nhatro_bench_{secrets.token_hex(4)}"
    try:
        asyncio.run(
            admin(
                url,
                f"""DO $$ BEGIN
                      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OWNER_ROLE}') THEN
                        CREATE ROLE {OWNER_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS;
                      END IF;
                    END $$""",
                f"CREATE DATABASE {name} OWNER {OWNER_ROLE}",
            )
        )
    except Exception as exc:  # noqa: BLE001 - no server is a reason to skip, said aloud
        print(f"  skipped: PostgreSQL unreachable at {url!r} ({exc})")
        return True
    parsed = urlparse(url)
    owner = urlunparse(parsed._replace(netloc=f"{OWNER_ROLE}@{parsed.hostname}:{parsed.port or 5432}", path=f"/{name}"))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": owner,
        "BENCH_ADMIN_URL": urlunparse(parsed._replace(path=f"/{name}")),
        "APP_SECRET_KEY": "bench-" + "x" * 40,
        "PICCOLO_CONF": "app.piccolo_conf",
    }
    env.pop("APP_MODE", None)
    try:
        child = subprocess.run([sys.executable, "-m", module, "--measure"], cwd=ROOT, env=env)
        return child.returncode == 0
    finally:
        if not os.environ.get("BENCH_KEEP"):
            asyncio.run(admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        else:
            print(f"  kept the database {name} (BENCH_KEEP)")
