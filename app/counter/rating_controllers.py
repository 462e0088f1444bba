"""The rating pages: the same page on the counter's tablet (the officer turns it to the resident, `?tablet=1`)
and on the resident's phone (from the tracking or ticket page's link). No sign-in: the unguessable token of
the transaction is the key."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from app.counter import ratings
from app.counter.dossier_tables import DossierState
from app.errors import RuleError
from app.web.forms import Form
from app.web.http import form_data, see_other
from app.web.templating import render
from tenants.resolve import WardContext

PUBLIC = {"public": True}


class RatingForm(Form):
    def validate(self) -> None:
        self.choice("level", [str(level) for level in ratings.LEVELS])
        self.cleaned["level"] = int(self.value("level")) if self.value("level").isdigit() else None
        self.cleaned["reasons"] = ratings.parse_reasons([c for c in ratings.REASONS if self.checkbox(f"r_{c}")])
        self.multiline("comment", max_length=1000)


def _page(ward: WardContext, subject: dict, action: str, *, form: RatingForm | None = None, tablet: bool, status=200):
    return render(
        "counter/rating.html",
        status=status,
        ward=ward,
        subject=subject,
        action=action,
        form=form or RatingForm(),
        tablet=tablet,
        levels=ratings.LEVELS,
        faces=ratings.FACES,
        reasons=ratings.REASONS,
    )


async def _dossier(token: str) -> dict:
    d = await ratings.rateable_dossier(token)
    if d is None:
        raise NotFoundException()
    return d


@get("/d/{token:str}/rate", name="rate_dossier", opt=PUBLIC, include_in_schema=False)
async def rate_dossier(
    ward: NamedDependency[WardContext], token: FromPath[str], tablet: FromQuery[int] = 0
) -> Template | Response:
    d = await _dossier(token)
    thanks = f"{ward.base}/d/{token}/rate/thanks" + ("?tablet=1" if tablet else "")
    if await ratings.rating_of_dossier(d["id"]) is not None:
        return see_other(thanks)
    if d["state"] != DossierState.returned:
        raise RuleError(ratings.NOT_YET, status_code=409)
    subject = {"title": d["procedure.name"], "code": d["code"], "back": f"{ward.base}/d/{token}"}
    return _page(ward, subject, f"{ward.base}/d/{token}/rate", tablet=bool(tablet))


@post("/d/{token:str}/rate", name="rate_dossier_submit", opt=PUBLIC, include_in_schema=False)
async def rate_dossier_submit(
    request: Request, ward: NamedDependency[WardContext], token: FromPath[str]
) -> Template | Response:
    d = await _dossier(token)
    form = RatingForm(await form_data(request))
    tablet = form.value("channel") == "tablet"
    subject = {"title": d["procedure.name"], "code": d["code"], "back": f"{ward.base}/d/{token}"}
    if not form.is_valid():
        return _page(ward, subject, f"{ward.base}/d/{token}/rate", form=form, tablet=tablet, status=422)
    c = form.cleaned
    await ratings.rate_dossier(
        d,
        level=c["level"],
        reasons=c["reasons"],
        comment=c["comment"],
        channel="tablet" if tablet else "phone",
        connection=request,
    )
    return see_other(f"{ward.base}/d/{token}/rate/thanks" + ("?tablet=1" if tablet else ""))


@get("/d/{token:str}/rate/thanks", name="rate_dossier_thanks", opt=PUBLIC, include_in_schema=False)
async def rate_dossier_thanks(
    request: Request, ward: NamedDependency[WardContext], token: FromPath[str], tablet: FromQuery[int] = 0
) -> Template:
    d = await _dossier(token)
    back = f"{ward.base}/d/{token}"
    officer = ward.role is not None and ward.role.role.value == "officer"
    if tablet and officer:
        back = f"{ward.base}/officer/dossiers/{d['id']}"
    return render("counter/rating_thanks.html", ward=ward, back=back, tablet=bool(tablet))


ROUTES = [rate_dossier, rate_dossier_submit, rate_dossier_thanks]
