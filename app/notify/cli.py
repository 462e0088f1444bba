"""`litestar notify dispatch|smtp-sink` and `litestar jobs run-due` (for cron, or a worker without the app)."""

from __future__ import annotations

import asyncio

import click


async def _with_db(coro_factory):
    from app.db import close_db, open_db

    owner = object()
    await open_db(owner)
    try:
        return await coro_factory()
    finally:
        await close_db(owner)


@click.group(name="notify", help="Messages: send what is due, or run a local SMTP sink.")
def notify_group() -> None: ...


@notify_group.command(name="dispatch", help="Send every due message now (safe beside running app workers).")
def notify_dispatch() -> None:
    from app.notify.dispatch import dispatch_all

    outcome = asyncio.run(_with_db(dispatch_all))
    click.echo(f"Sent {outcome.sent}, to retry {outcome.retried}, failed {outcome.dead}.")


@notify_group.command(name="smtp-sink", help="Accept e-mail on 127.0.0.1 and keep it in a file (development).")
@click.option("--port", default=1025, show_default=True)
@click.option("--file", "path", default="data/mail.mbox", show_default=True)
def notify_smtp_sink(port: int, path: str) -> None:
    from pathlib import Path

    from app.notify.smtp_sink import SmtpSink

    async def serve() -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        sink = await SmtpSink(port=port, path=Path(path)).start()
        click.echo(f"SMTP sink on 127.0.0.1:{sink.port}, writing to {path}. Ctrl+C to stop.")
        await asyncio.Event().wait()

    asyncio.run(serve())


@click.group(name="jobs", help="Scheduled jobs (reminders).")
def jobs_group() -> None: ...


@jobs_group.command(name="run-due", help="Produce every reminder due by now, once (safe from cron on many machines).")
def jobs_run_due() -> None:
    from app.notify.scheduler import run_due

    produced = asyncio.run(_with_db(lambda: run_due(force=True)))
    for name, count in produced.items():
        click.echo(f"{name}: {count}")
