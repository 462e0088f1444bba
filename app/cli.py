"""Commands added to the `litestar` CLI: `db migrate`, `wards create|list`, `users create`, `demo load`;
`notify dispatch|smtp-sink` and `jobs run-due` (app/notify/cli.py); `counter close-day` (app/counter/cli.py)."""

from __future__ import annotations

import asyncio
import sys

import click
from litestar.plugins import CLIPluginProtocol

from app.counter.cli import counter_group


def _run(coro):
    return asyncio.run(coro)


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


class NhaTroCLI(CLIPluginProtocol):
    def on_cli_init(self, cli: click.Group) -> None:
        cli.add_command(db_group)
        cli.add_command(wards_group)
        cli.add_command(users_group)
        cli.add_command(demo_group)
        cli.add_command(counter_group)
        from app.notify.cli import jobs_group, notify_group

        cli.add_command(notify_group)
        cli.add_command(jobs_group)


@click.group(name="db", help="Database schema.")
def db_group() -> None: ...


@db_group.command(name="migrate", help="Apply all Piccolo migrations (both engines).")
def db_migrate() -> None:
    from app.migrate import migrate

    _run(migrate())
    click.echo("Migrations applied.")


@click.group(name="wards", help="Wards (tenants).")
def wards_group() -> None: ...


@wards_group.command(name="create", help="Create a ward from its official commune code.")
@click.option("--code", type=int, required=True, help="Official commune code (list of 1 July 2025), e.g. 622")
@click.option("--slug", required=True, help="Address on the site, e.g. xuan-phuong")
@click.option("--address", default="")
@click.option("--phone", default="")
@click.option("--police-phone", default="")
@click.option("--email", default="")
@click.option("--office-hours", default="T2-T6 07:30-11:30 13:30-17:00", show_default=True)
def wards_create(
    code: int, slug: str, address: str, phone: str, police_phone: str, email: str, office_hours: str
) -> None:
    from app.errors import RuleError
    from app.vn.phone import PhoneError, normalize_phone
    from tenants.service import create_ward

    try:
        phone = normalize_phone(phone, allow_landline=True) if phone else ""
        police_phone = normalize_phone(police_phone, allow_landline=True) if police_phone else ""
        ward_id = _run(
            create_ward(
                code=code,
                slug=slug,
                address=address,
                phone=phone,
                police_phone=police_phone,
                email=email,
                office_hours=office_hours,
            )
        )
    except (RuleError, PhoneError) as exc:
        _fail(str(exc.text))
    click.echo(f"Ward {slug} created (id {ward_id}).")


@wards_group.command(name="list", help="List wards.")
def wards_list() -> None:
    from tenants.service import list_wards

    for w in _run(list_wards(active_only=False)):
        click.echo(
            f"{w['code']:>6}  {w['slug']:<24} {w['name']}, {w['province_name']}{'' if w['active'] else '  (inactive)'}"
        )


@click.group(name="users", help="User accounts.")
def users_group() -> None: ...


@users_group.command(name="create", help="Create a user, optionally with a role in a ward or as platform admin.")
@click.option("--phone", required=True)
@click.option("--name", "full_name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--ward", "ward_slug", default="", help="Ward slug for the role")
@click.option("--role", type=click.Choice(["officer", "police", "landlord"]), default=None)
@click.option("--platform-admin", is_flag=True, default=False)
def users_create(
    phone: str, full_name: str, password: str, ward_slug: str, role: str | None, platform_admin: bool
) -> None:
    from app.accounts.admin_service import create_user
    from app.accounts.tables import Role
    from app.errors import RuleError
    from app.vn.phone import PhoneError, normalize_phone
    from tenants.resolve import find_ward

    if bool(ward_slug) != bool(role):
        _fail("--ward and --role go together")
    if len(password) < 8:
        _fail("the password needs at least 8 characters")
    try:
        phone = normalize_phone(phone)
        ward_id = None
        if ward_slug:
            ward = _run(find_ward(ward_slug))
            if ward is None:
                _fail(f"no active ward {ward_slug!r}")
            ward_id = ward["id"]
        user_id = _run(
            create_user(
                phone=phone,
                full_name=full_name,
                password=password,
                ward_id=ward_id,
                role=Role(role) if role else None,
                platform_admin=platform_admin,
            )
        )
    except (RuleError, PhoneError) as exc:
        _fail(str(exc.text))
    click.echo(f"User {phone} ready (id {user_id}).")


@click.group(name="demo", help="Demo data.")
def demo_group() -> None: ...


@demo_group.command(name="load", help="Load the demo wards and accounts (refused in production mode).")
@click.option("--if-empty", is_flag=True, default=False, help="Only when the database has no ward yet")
def demo_load(if_empty: bool) -> None:
    from app.demo import DemoRefused, load_demo

    try:
        loaded = _run(load_demo(only_if_empty=if_empty))
    except DemoRefused as exc:
        _fail(str(exc))
    click.echo("Demo loaded." if loaded else "Database not empty: demo not loaded.")
