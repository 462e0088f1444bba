"""The application factory: `create_app()` wires settings, database, middleware, routes and the CLI."""

from __future__ import annotations

import logging

from litestar import Litestar, Request, Router
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.htmx import HTMXPlugin
from litestar.response import Redirect
from litestar.static_files import create_static_files_router

from app.accounts import controllers as account_pages
from app.accounts import ward_controllers as account_ward_pages
from app.accounts.middleware import AuthMiddleware
from app.accounts.sessions import purge_expired
from app.api.routes import api_router
from app.audit import controllers as audit_pages
from app.cli import NhaTroCLI
from app.counter import board_controllers as board_pages
from app.counter import booking_controllers as booking_pages
from app.counter import dashboard_controllers as dashboard_pages
from app.counter import desk_controllers as counter_pages
from app.counter import dossier_controllers as dossier_pages
from app.counter import kiosk_controllers as kiosk_pages
from app.counter import live as counter_live
from app.counter import procedure_controllers as procedure_pages
from app.counter import rating_controllers as rating_pages
from app.counter import report_controllers as report_pages
from app.db import close_db, open_db
from app.housing import controllers as housing_pages
from app.housing import import_controllers as import_pages
from app.housing import public_controllers as self_registration_pages
from app.housing import renter_controllers as renter_pages
from app.housing import sticker_sheet_controllers as sticker_sheet_pages
from app.housing.sticker_sheets import stop_jobs as stop_sticker_sheets
from app.housing.stickers import shutdown_pool
from app.notify import controllers as notify_pages
from app.notify import dispatch as notify_dispatch
from app.notify import scheduler as notify_scheduler
from app.notify import ward_controllers as notify_ward_pages
from app.notify.bell import BellMiddleware
from app.residence import landlord_controllers as declaration_pages
from app.residence import police_controllers as police_pages
from app.settings import ROOT, get_settings
from app.site import controllers as site
from app.web.csrf import TokenAwareCSRFMiddleware, csrf_config
from app.web.errors import EXCEPTION_HANDLERS
from app.web.ids import ids_in_range
from app.web.locale import LocaleMiddleware
from app.web.page_cache import KeptPageMiddleware
from app.web.templating import template_config
from tenants import admin as ward_admin
from tenants.resolve import provide_ward, ward_guard

# Pages reachable while a password must be changed (a reset or a new staff account).
_PASSWORD_CHANGE_ALLOWED = ("/account/password", "/logout", "/lang", "/static/", "/healthz", "/api/")


async def must_change_password_first(request: Request) -> Redirect | None:
    # async: Litestar would run a plain function in a worker thread, on every request
    user = request.scope.get("user")
    if (
        user
        and user.must_change_password
        and not user.via_token
        and not request.url.path.startswith(_PASSWORD_CHANGE_ALLOWED)
    ):
        return Redirect("/account/password", status_code=303)
    return None


def ward_router() -> Router:
    """Everything under /w/<ward>/: the ward is resolved, checked and scoped once, for every route."""
    return Router(
        path="/w/{ward_slug:str}",
        route_handlers=[
            site.ward_home,
            *account_ward_pages.ROUTES,
            *audit_pages.ROUTES,
            *housing_pages.WARD_ROUTES,
            *renter_pages.ROUTES,
            *import_pages.ROUTES,
            *self_registration_pages.WARD_ROUTES,
            *sticker_sheet_pages.ROUTES,
            *police_pages.ROUTES,
            *declaration_pages.ROUTES,
            *procedure_pages.ROUTES,
            *booking_pages.ROUTES,
            *kiosk_pages.ROUTES,
            *counter_pages.ROUTES,
            *board_pages.ROUTES,
            *dossier_pages.ROUTES,
            *rating_pages.ROUTES,
            *report_pages.ROUTES,
            *dashboard_pages.ROUTES,
            *notify_ward_pages.ROUTES,
        ],
        dependencies={"ward": Provide(provide_ward)},
        guards=[ward_guard],
        include_in_schema=False,
    )


def create_app() -> Litestar:
    settings = get_settings()
    logging.basicConfig(level=logging.INFO)
    owner = object()

    async def on_startup() -> None:
        await open_db(owner)
        await purge_expired()  # housekeeping: expired sessions are already ignored when read
        notify_dispatch.start()  # sends queued messages in the background (notify.dispatch)
        notify_scheduler.start()  # produces due reminders, one worker at a time (scheduler.enabled)

    async def on_shutdown() -> None:
        await notify_scheduler.stop()
        await notify_dispatch.stop()
        await counter_live.stop()  # this worker's LISTEN connection for the live queue pages
        await stop_sticker_sheets()  # sheets being rendered here are marked failed while the database is open
        await close_db(owner)
        shutdown_pool()  # the sticker sheets' worker processes, if a large sheet started them

    return Litestar(
        route_handlers=[
            site.platform_home,
            site.set_language,
            site.healthz,
            housing_pages.public_property,
            *self_registration_pages.PUBLIC_ROUTES,
            *account_pages.ROUTES,
            *notify_pages.ROUTES,
            *ward_admin.ROUTES,
            ward_router(),
            api_router,
            create_static_files_router(
                path="/static", directories=[ROOT / "static"], include_in_schema=False, send_as_attachment=False
            ),
        ],
        middleware=[
            KeptPageMiddleware,  # first: a kept public page needs nothing of what follows
            LocaleMiddleware,
            AuthMiddleware,
            BellMiddleware,  # the unread count for the header's bell, once the user is known
            DefineMiddleware(TokenAwareCSRFMiddleware, config=csrf_config(settings)),
        ],
        guards=[ids_in_range],
        before_request=must_change_password_first,
        template_config=template_config(),
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        plugins=[HTMXPlugin(), NhaTroCLI()],
        openapi_config=OpenAPIConfig(
            title="Nhà trọ số API",
            version="1",
            path="/api/v1/schema",
            render_plugins=[SwaggerRenderPlugin()],
            components=Components(
                security_schemes={
                    "token": SecurityScheme(type="http", scheme="bearer", description="Personal API token")
                }
            ),
            security=[{"token": []}],
        ),
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        debug=False,
    )
