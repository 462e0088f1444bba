"""The officer's counter page (call next, recall, call a number, start, finish, skip, transfer, pause) and the
ward's list of counters. Every button is a plain form (works without JavaScript); with htmx the page is boosted
and its queue refreshes itself from the ward's live events."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from app.accounts.tables import Role
from app.counter import tickets
from app.counter.board import read_state
from app.counter.close_day import close_past_days
from app.counter.counters import list_counters, save_counter, service_groups
from app.errors import RuleError
from app.i18n import _l
from app.web.forms import Form
from app.web.http import see_other
from app.web.ids import as_id
from app.web.templating import render
from tenants.resolve import WardContext

OFFICER = {"roles": {Role.officer}}
WAITING_SHOWN = 12


class CounterForm(Form):
    def __init__(self, data=None, groups: list[str] | None = None) -> None:
        super().__init__(data)
        self.groups = groups or []

    def validate(self) -> None:
        self.integer("number", minimum=1, maximum=999)
        self.text("name", required=False, max_length=60)
        chosen = []
        for value in self.groups:
            if group := as_id(value):
                chosen.append(group)
        if not chosen:
            self.error("groups", _l("Choose at least one service this counter calls."))
        self.cleaned["groups"] = chosen


async def _form_of(request: Request) -> tuple[dict, list[str]]:
    form = await request.form()
    return {k: form.get(k) for k in form.keys()}, form.getall("groups") if "groups" in form else []  # noqa: SIM118


async def _counters_page(ward: WardContext, form: CounterForm | None = None, status: int = 200) -> Template:
    return render(
        "counter/counters.html",
        status=status,
        ward=ward,
        counters=await list_counters(include_inactive=True),
        groups=await service_groups(),
        form=form or CounterForm({"number": str(len(await list_counters(include_inactive=True)) + 1)}),
    )


@get("/counters", name="counters", opt=OFFICER, include_in_schema=False)
async def counters_page(ward: NamedDependency[WardContext]) -> Template:
    await close_past_days()
    return await _counters_page(ward)


@post("/counters", name="counter_create", opt=OFFICER, include_in_schema=False)
async def counter_create(request: Request, ward: NamedDependency[WardContext]) -> Template | Response:
    data, groups = await _form_of(request)
    form = CounterForm(data, groups)
    if form.is_valid():
        c = form.cleaned
        try:
            await save_counter(None, number=c["number"], name=c["name"], group_ids=c["groups"], connection=request)
        except RuleError as exc:
            form.error(exc.field or "__all__", exc.text)
            return await _counters_page(ward, form, exc.status_code)
        return see_other(f"{ward.base}/counters")
    return await _counters_page(ward, form, 422)


async def _counter_or_404(counter_id: int) -> dict:
    row = await tickets.counter(counter_id)
    if row is None:
        raise NotFoundException()
    return row


async def _edit_page(ward: WardContext, counter: dict, form: CounterForm, status: int = 200) -> Template:
    return render(
        "counter/counter_edit.html", status=status, ward=ward, counter=counter, groups=await service_groups(),
        form=form,
    )  # fmt: skip


@get("/counters/{counter_id:int}/edit", name="counter_edit", opt=OFFICER, include_in_schema=False)
async def counter_edit(ward: NamedDependency[WardContext], counter_id: FromPath[int]) -> Template:
    row = await _counter_or_404(counter_id)
    groups = [str(g) for g in await tickets.groups_of(counter_id)]
    data = {"number": str(row["number"]), "name": row["name"], "active": "on" if row["active"] else ""}
    return await _edit_page(ward, row, CounterForm(data, groups))


@post("/counters/{counter_id:int}/edit", name="counter_update", opt=OFFICER, include_in_schema=False)
async def counter_update(
    request: Request, ward: NamedDependency[WardContext], counter_id: FromPath[int]
) -> Template | Response:
    row = await _counter_or_404(counter_id)
    data, groups = await _form_of(request)
    form = CounterForm(data, groups)
    if form.is_valid():
        c = form.cleaned
        try:
            await save_counter(
                counter_id, number=c["number"], name=c["name"], group_ids=c["groups"],
                active=form.checkbox("active"), connection=request,
            )  # fmt: skip
        except RuleError as exc:
            form.error(exc.field or "__all__", exc.text)
            return await _edit_page(ward, row, form, exc.status_code)
        return see_other(f"{ward.base}/counters")
    return await _edit_page(ward, row, form, 422)


async def _desk(ward: WardContext, counter_id: int, *, message: Form | None = None, status: int = 200) -> dict:
    row = await _counter_or_404(counter_id)
    group_ids = await tickets.groups_of(counter_id)
    waiting = await tickets.waiting_for(counter_id, group_ids)
    state = await read_state()
    return {
        "ward": ward,
        "counter": row,
        "current": await tickets.current_of(counter_id),
        "waiting": waiting[:WAITING_SHOWN],
        "waiting_count": len(waiting),
        "served_here": await tickets.served_today(counter_id),
        "groups": await service_groups(),
        "my_groups": group_ids,
        "others": [c for c in state.counters if c.id != counter_id],
        "form": message or Form(),
    }


@get("/counters/{counter_id:int}", name="counter_desk", opt=OFFICER, include_in_schema=False)
async def counter_desk(request: Request, ward: NamedDependency[WardContext], counter_id: FromPath[int]) -> Template:
    await close_past_days()
    context = await _desk(ward, counter_id)
    if request.headers.get("hx-target") == "desk-live":  # the live refresh: the current ticket and the queue only
        return render("counter/_counter_live.html", **context)
    return render("counter/counter_desk.html", **context)


ACTIONS = ("call", "recall", "start", "finish", "skip", "transfer", "pause", "resume")


@post("/counters/{counter_id:int}", name="counter_act", opt=OFFICER, include_in_schema=False)
async def counter_act(request: Request, ward: NamedDependency[WardContext], counter_id: FromPath[int]) -> Response:
    form = await request.form()
    data = {k: form.get(k) for k in form.keys()}  # noqa: SIM118
    action = data.get("action", "")
    officer_id = request.scope["user"].id
    try:
        await do(counter_id, action, data, officer_id=officer_id)
    except LookupError:
        raise NotFoundException() from None
    except RuleError as exc:
        message = Form(data)
        message.error(exc.field or "__all__", exc.text)
        return await _desk_response(request, ward, counter_id, message, exc.status_code)
    return see_other(f"{ward.base}/counters/{counter_id}")


async def _desk_response(request: Request, ward: WardContext, counter_id: int, message: Form, status: int) -> Template:
    return render("counter/counter_desk.html", status=status, **await _desk(ward, counter_id, message=message))


async def do(counter_id: int, action: str, data: dict, *, officer_id: int | None) -> dict | None:
    """One of the counter's actions by name, as the page and the API send it. A counter of another ward is
    LookupError (404) before anything about the request is said."""
    if await tickets.counter(counter_id) is None:
        raise LookupError(counter_id)
    if action == "call":
        return await tickets.call(counter_id, officer_id=officer_id, label=data.get("label") or "")
    if action in ("recall", "start", "finish", "skip"):
        return await getattr(tickets, action)(counter_id, officer_id=officer_id)
    if action == "transfer":
        target = data.get("to") or ""  # "c12" another counter, "g3" another group's queue
        kind, raw_id = target[:1], target[1:]
        to_counter = as_id(raw_id) if kind == "c" else None
        to_group = as_id(raw_id) if kind == "g" else None
        if to_counter is None and to_group is None:
            raise RuleError(_l("Choose another counter or another service."), field="to")
        return await tickets.transfer(counter_id, officer_id=officer_id, to_counter=to_counter, to_group=to_group)
    if action == "pause":
        await tickets.pause(counter_id, officer_id=officer_id, reason=data.get("reason") or "")
        return None
    if action == "resume":
        await tickets.resume(counter_id, officer_id=officer_id)
        return None
    raise RuleError(_l("Choose one of the options."), field="action")


ROUTES = [counters_page, counter_create, counter_edit, counter_update, counter_desk, counter_act]
