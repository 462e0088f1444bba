"""The rating pages: the same page on the counter's tablet (the officer turns it to the resident, `?tablet=1`)
and on the resident's phone (from the dossier's tracking page or the ticket's page). No sign-in: the
unguessable token of the transaction is the key. A dossier is rated at /d/<token>/rate, a ticket at
/rate/ticket/<token>."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from app.counter import ratings
from app.counter.dossier_tables import DossierState
from app.counter.tables import TicketStatus
from app.errors import RuleError
from app.web.forms import Form
from app.web.http import form_data, see_other
from app.web.templating import render
from tenants.resolve import WardContext

PUBLIC = {"public": True}


class RatingForm(Form):
    def validate(self) -> None:
        level = self.choice("level", [str(level) for level in ratings.LEVELS])
        self.cleaned["level"] = None if "level" in self.errors else int(level)  # one of the levels' digits only
        self.cleaned["reasons"] = ratings.parse_reasons([c for c in ratings.REASONS if self.checkbox(f"r_{c}")])
        self.multiline("comment", max_length=1000)


@dataclass(frozen=True)
class Subject:
    """What is rated, as the pages need it."""

    kind: str  # dossier / ticket
    row: dict
    title: str
    code: str
    url: str  # the rating page
    back: str  # where the resident came from
    done: bool  # the service is over, so it may be rated

    async def rating(self) -> dict | None:
        if self.kind == "dossier":
            return await ratings.rating_of_dossier(self.row["id"])
        return await ratings.rating_of_ticket(self.row["id"])

    async def rate(self, form: RatingForm, channel: str, request: Request) -> bool:
        c = form.cleaned
        rate = ratings.rate_dossier if self.kind == "dossier" else ratings.rate_ticket
        return await rate(
            self.row, level=c["level"], reasons=c["reasons"], comment=c["comment"], channel=channel, connection=request
        )


async def _dossier(ward: WardContext, token: str) -> Subject:
    d = await ratings.rateable_dossier(token)
    if d is None:
        raise NotFoundException()
    return Subject(
        kind="dossier",
        row=d,
        title=d["procedure.name"],
        code=d["code"],
        url=f"{ward.base}/d/{token}/rate",
        back=f"{ward.base}/d/{token}",
        done=d["state"] == DossierState.returned,
    )


async def _ticket(ward: WardContext, token: str) -> Subject:
    t = await ratings.rateable_ticket(token)
    if t is None:
        raise NotFoundException()
    return Subject(
        kind="ticket",
        row=t,
        title=t["service_group.name"],
        code=t["label"],
        url=f"{ward.base}/rate/ticket/{token}",
        back=f"{ward.base}/t/{token}",
        done=t["status"] == TicketStatus.done,
    )


def _page(ward: WardContext, subject: Subject, *, form: RatingForm | None = None, tablet: bool, status: int = 200):
    return render(
        "counter/rating.html",
        status=status,
        ward=ward,
        subject=subject,
        form=form or RatingForm(),
        tablet=tablet,
        levels=ratings.LEVELS,
        faces=ratings.FACES,
        reasons=ratings.REASONS,
    )


async def _show(ward: WardContext, subject: Subject, tablet: int) -> Template | Response:
    if await subject.rating() is not None:
        return see_other(subject.url + "/thanks" + ("?tablet=1" if tablet else ""))
    if not subject.done:
        raise RuleError(ratings.NOT_YET, status_code=409)
    return _page(ward, subject, tablet=bool(tablet))


async def _submit(request: Request, ward: WardContext, subject: Subject) -> Template | Response:
    form = RatingForm(await form_data(request))
    tablet = form.value("channel") == "tablet"
    if not form.is_valid():
        return _page(ward, subject, form=form, tablet=tablet, status=422)
    await subject.rate(form, "tablet" if tablet else "phone", request)  # a second submit keeps the first
    return see_other(subject.url + "/thanks" + ("?tablet=1" if tablet else ""))


def _thanks(ward: WardContext, subject: Subject, tablet: int) -> Template:
    back = subject.back
    if tablet and ward.role is not None and ward.role.role.value == "officer" and subject.kind == "dossier":
        back = f"{ward.base}/officer/dossiers/{subject.row['id']}"
    return render("counter/rating_thanks.html", ward=ward, back=back, tablet=bool(tablet), subject=subject)


@get("/d/{token:str}/rate", name="rate_dossier", opt=PUBLIC, include_in_schema=False)
async def rate_dossier(
    ward: NamedDependency[WardContext], token: FromPath[str], tablet: FromQuery[int] = 0
) -> Template | Response:
    return await _show(ward, await _dossier(ward, token), tablet)


@post("/d/{token:str}/rate", name="rate_dossier_submit", opt=PUBLIC, include_in_schema=False)
async def rate_dossier_submit(
    request: Request, ward: NamedDependency[WardContext], token: FromPath[str]
) -> Template | Response:
    return await _submit(request, ward, await _dossier(ward, token))


@get("/d/{token:str}/rate/thanks", name="rate_dossier_thanks", opt=PUBLIC, include_in_schema=False)
async def rate_dossier_thanks(
    ward: NamedDependency[WardContext], token: FromPath[str], tablet: FromQuery[int] = 0
) -> Template:
    return _thanks(ward, await _dossier(ward, token), tablet)


@get("/rate/ticket/{token:str}", name="rate_ticket", opt=PUBLIC, include_in_schema=False)
async def rate_ticket(
    ward: NamedDependency[WardContext], token: FromPath[str], tablet: FromQuery[int] = 0
) -> Template | Response:
    return await _show(ward, await _ticket(ward, token), tablet)


@post("/rate/ticket/{token:str}", name="rate_ticket_submit", opt=PUBLIC, include_in_schema=False)
async def rate_ticket_submit(
    request: Request, ward: NamedDependency[WardContext], token: FromPath[str]
) -> Template | Response:
    return await _submit(request, ward, await _ticket(ward, token))


@get("/rate/ticket/{token:str}/thanks", name="rate_ticket_thanks", opt=PUBLIC, include_in_schema=False)
async def rate_ticket_thanks(
    ward: NamedDependency[WardContext], token: FromPath[str], tablet: FromQuery[int] = 0
) -> Template:
    return _thanks(ward, await _ticket(ward, token), tablet)


def ticket_rating_url(ward_slug: str, token: str) -> str:
    """The link (and QR) the ticket's page and the counter's tablet offer once the ticket is done."""
    return f"/w/{ward_slug}/rate/ticket/{token}"


ROUTES = [
    rate_dossier,
    rate_dossier_submit,
    rate_dossier_thanks,
    rate_ticket,
    rate_ticket_submit,
    rate_ticket_thanks,
]
