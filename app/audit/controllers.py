from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from app.accounts.tables import Role
from app.audit.service import Action, ward_events
from app.web.templating import render
from tenants.resolve import WardContext

ACTIONS = sorted(v for k, v in vars(Action).items() if k.isupper())


@get("/officer/audit", name="audit_log", opt={"roles": {Role.officer}}, include_in_schema=False)
async def audit_log(
    ward: NamedDependency[WardContext], action: FromQuery[str] = "", before: FromQuery[int | None] = None
) -> Template:
    action = action if action in ACTIONS else ""
    events = await ward_events(action=action, before_id=before, limit=50)
    return render(
        "audit/log.html",
        ward=ward,
        events=events,
        actions=ACTIONS,
        action=action,
        next_before=events[-1]["id"] if len(events) == 50 else None,
    )


ROUTES = [audit_log]
