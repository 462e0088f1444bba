"""`litestar counter close-day`: end the counter's day in every ward (or one), e.g. from cron after hours.

Without the command the day is closed anyway at the queue's first use the next morning; running it in the
evening makes the day's figures final at once and marks the bookings nobody came for as no-shows.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import click


@click.group(name="counter", help="The one-stop counter's queue.")
def counter_group() -> None: ...


@counter_group.command(name="close-day", help="Archive the queue's tickets and mark unkept bookings no-show.")
@click.option("--ward", "ward_slug", default="", help="Only this ward (its slug); default every ward")
@click.option("--include-today", is_flag=True, help="Close today too (run after office hours)")
def close_day(ward_slug: str, include_today: bool) -> None:
    from app.counter.close_day import close_days
    from app.counter.queue import today
    from app.db import close_db, open_db
    from tenants.scope import ward_scope
    from tenants.service import list_wards

    async def run() -> list[tuple[str, object]]:
        owner = object()
        await open_db(owner)
        try:
            before = today() + timedelta(days=1) if include_today else today()
            done = []
            for ward in await list_wards(active_only=False):
                if ward_slug and ward["slug"] != ward_slug:
                    continue
                async with ward_scope(ward["id"]):
                    done.append((ward["slug"], await close_days(before)))
            return done
        finally:
            await close_db(owner)

    results = asyncio.run(run())
    if ward_slug and not results:
        raise click.ClickException(f"no ward {ward_slug}")
    for slug, closed in results:
        click.echo(
            f"{slug}: {closed.tickets} tickets archived ({closed.unserved} not served), "  # type: ignore[attr-defined]
            f"{closed.no_show_bookings} bookings no-show"  # type: ignore[attr-defined]
        )
