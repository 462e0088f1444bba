"""SQLite: 200 concurrent writing requests end with 0 "database is locked" errors.

Against the real server (uvicorn, one worker, as `make run` serves SQLite): one signed-in officer
creates 200 API tokens at once. Every request must succeed and every token must be written. The same
test runs on PostgreSQL, where it checks the connection pool under the same burst.
"""

import asyncio
import re
import time

import httpx

from app.accounts.tables import ApiToken, User
from app.db import is_postgres
from tests.helpers import PASSWORD
from tests.live_server import live_server

__all__ = ["live_server"]

REQUESTS = 200
TIMEOUT_SECONDS = 60.0


async def test_200_concurrent_writes_all_succeed_without_database_is_locked(world, live_server):
    stderr_before = live_server.stderr_size()
    limits = httpx.Limits(max_connections=REQUESTS, max_keepalive_connections=REQUESTS)
    async with httpx.AsyncClient(
        base_url=live_server.url, timeout=httpx.Timeout(TIMEOUT_SECONDS), limits=limits
    ) as client:
        client.cookies.set("lang", "en", domain=live_server.host)
        assert (await client.get("/")).status_code == 200
        csrf = client.cookies["csrftoken"]
        signed_in = await client.post(
            "/login", data={"phone": world.a.officer, "password": PASSWORD, "_csrf_token": csrf}
        )
        assert signed_in.status_code == 303, signed_in.text[:500]
        assert signed_in.headers["location"] == "/w/ward-a/officer/"

        async def create(i: int) -> httpx.Response:
            return await client.post("/account/tokens", data={"name": f"load-{i:03d}", "_csrf_token": csrf})

        started = time.monotonic()
        responses = await asyncio.gather(*(create(i) for i in range(REQUESTS)), return_exceptions=True)
        elapsed = time.monotonic() - started

    failures = [
        f"#{i}: {r!r}" if isinstance(r, BaseException) else f"#{i}: {r.status_code} {r.text[:200]!r}"
        for i, r in enumerate(responses)
        if isinstance(r, BaseException) or r.status_code != 201
    ]
    engine = "PostgreSQL" if is_postgres() else "SQLite"
    assert not failures, f"{len(failures)} of {REQUESTS} requests failed on {engine} in {elapsed:.1f} s:\n" + (
        "\n".join(failures[:10])
    )
    assert all("Your new token. Copy it now" in r.text for r in responses)

    officer = await User.select(User.id).where(User.phone == world.a.officer).first()
    assert await ApiToken.count().where(ApiToken.user == officer["id"]) == REQUESTS
    names = {r["name"] for r in await ApiToken.select(ApiToken.name).where(ApiToken.user == officer["id"])}
    assert names == {f"load-{i:03d}" for i in range(REQUESTS)}

    whole_log = live_server.stderr()  # the whole session's: no request may ever have met a locked database
    assert "database is locked" not in whole_log.lower(), whole_log[-3000:]
    log = live_server.stderr(stderr_before)
    assert not re.search(r"Traceback|unhandled error", log), log[-3000:]
