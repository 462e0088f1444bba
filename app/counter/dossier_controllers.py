"""Dossier pages: the officer receives a dossier, prints its receipt, moves it through its states, apologises
for a late one and marks its fee paid; the applicant follows it from the receipt's QR or with code and phone."""

from __future__ import annotations

from datetime import timedelta

import anyio
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from app.accounts.tables import Role
from app.audit.service import client_of, record
from app.audit.tables import AuditEvent
from app.counter import dossiers, ratings
from app.counter.dossier_forms import ApologyForm, DossierForm, MoveForm, PaymentAccountForm, TrackForm
from app.counter.dossier_tables import DossierState
from app.counter.receipts import ApologyData, ReceiptData, legal_time_text, render_apology_pdf, render_receipt_pdf
from app.counter.vietqr import BANKS, BankAccount
from app.db import write_transaction
from app.errors import RuleError
from app.i18n import _l
from app.settings import get_settings
from app.web.http import form_data, see_other
from app.web.ids import as_id
from app.web.templating import render
from tenants.resolve import WardContext

OFFICER = {"roles": {Role.officer}}
PUBLIC = {"public": True}
TRACK_FAILED = "dossier_lookup_failed"
TRACK_WINDOW = timedelta(minutes=15)
TRACK_MAX_FAILURES = 10  # wrong code/phone pairs from one address in the window
NOT_FOUND = _l("No dossier matches this code and phone number. Check both against your receipt.")


# --- the officer's list and receiving ---------------------------------------------------------------------


@get("/officer/dossiers", name="dossier_list", opt=OFFICER, include_in_schema=False)
async def dossier_list(
    ward: NamedDependency[WardContext], status: FromQuery[str] = "", q: FromQuery[str] = "", due: FromQuery[str] = ""
) -> Template:
    flagged = due == "soon"
    return render(
        "counter/dossiers.html",
        ward=ward,
        rows=await dossiers.search(state=status, q=q, flagged=flagged),
        state_filter=status if status in DossierState.__members__ else "",
        q=q,
        flagged=flagged,
        flagged_count=await dossiers.flagged_count(),
        states=list(DossierState),
        state_label=dossiers.state_label,
    )


async def _new_page(ward: WardContext, data: dict, *, form: DossierForm | None = None, status: int = 200):
    procs = await dossiers.procedures()
    proc = None
    if pid := as_id(form.value("procedure_id") if form else data.get("procedure_id")):
        proc = await dossiers.procedure(pid)
    documents = dossiers.documents_of(proc) if proc else []
    if form is None:
        form = DossierForm(data, procedures=[str(p["id"]) for p in procs], documents=documents)
    return render(
        "counter/dossier_new.html",
        status=status,
        ward=ward,
        form=form,
        procedures=procs,
        proc=proc,
        documents=documents,
        booking=data.get("booking", ""),
        ticket=data.get("ticket", ""),
    )


async def _prefill(booking: str, ticket: str) -> dict:
    """What a booking (or a ticket) already knows of the applicant and the procedure."""
    data: dict = {}
    if (booking_id := as_id(booking)) and (row := await dossiers.booking_for_receipt(booking_id)):
        data = {
            "booking": booking,
            "procedure_id": str(row["procedure"]),
            "full_name": row["full_name"],
            "phone": row["phone"],
            "id_number": row["id_number"],
        }
    if (ticket_id := as_id(ticket)) and (found := await dossiers.ticket_for_receipt(ticket_id)):
        data = {**found, **data, "ticket": ticket}
    return data


@get("/officer/dossiers/new", name="dossier_new", opt=OFFICER, include_in_schema=False)
async def dossier_new(request: Request, ward: NamedDependency[WardContext]) -> Template:
    query = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
    data = {**await _prefill(query.get("booking", ""), query.get("ticket", "")), **query}
    return await _new_page(ward, data)


@post("/officer/dossiers/new", name="dossier_create", opt=OFFICER, include_in_schema=False)
async def dossier_create(request: Request, ward: NamedDependency[WardContext]) -> Template | Response:
    data = await form_data(request)
    procs = await dossiers.procedures()
    proc = await dossiers.procedure(pid) if (pid := as_id(data.get("procedure_id"))) else None
    form = DossierForm(
        data, procedures=[str(p["id"]) for p in procs], documents=dossiers.documents_of(proc) if proc else []
    )
    if not form.is_valid():
        return await _new_page(ward, data, form=form, status=422)
    c = form.cleaned
    booking = data.get("booking", "")
    ticket = data.get("ticket", "")
    try:
        url = await dossiers.receive(
            procedure_id=int(c["procedure_id"]),
            applicant=dossiers.Applicant(c["full_name"], c["phone"], c["id_number"], c["address"]),
            documents=c["documents"],
            note=c["note"],
            office_hours=ward.office_hours,
            ward_slug=ward.slug,
            form_token=form.value("form_token"),
            connection=request,
            booking_id=as_id(booking),
            ticket_id=as_id(ticket),
        )
    except RuleError as exc:
        form.error(exc.field or "__all__", exc.text)
        return await _new_page(ward, data, form=form, status=exc.status_code)
    return see_other(url + "?received=1")


# --- one dossier ------------------------------------------------------------------------------------------


async def _dossier_or_404(dossier_id: int) -> dict:
    try:
        return await dossiers.dossier(dossier_id)
    except LookupError:
        raise NotFoundException() from None


async def _detail(
    ward: WardContext,
    dossier_id: int,
    *,
    move_form: MoveForm | None = None,
    apology_form: ApologyForm | None = None,
    status: int = 200,
    received: bool = False,
) -> Template:
    d = await _dossier_or_404(dossier_id)
    state = DossierState(d["state"])
    moves = [
        (s, dossiers.move_label(state, s)) for s in sorted(dossiers.TRANSITIONS[state], key=list(DossierState).index)
    ]
    return render(
        "counter/dossier.html",
        status=status,
        ward=ward,
        d=d,
        moves=moves,
        events=await dossiers.history(dossier_id),
        urgency=await dossiers.urgency_of(d),
        can_apologise=state in dossiers.OPEN,
        move_form=move_form or MoveForm(),
        apology_form=apology_form or ApologyForm(),
        state_label=dossiers.state_label,
        tracking_url=dossiers.tracking_url(ward.slug, d["token"]),
        rating=await ratings.rating_of_dossier(dossier_id),
        rating_label=ratings.level_label,
        timed=d["procedure.processing_days"] is None and bool(d["procedure.processing_hours"]),
        received=received,
    )


@get("/officer/dossiers/{dossier_id:int}", name="dossier_detail", opt=OFFICER, include_in_schema=False)
async def dossier_detail(
    ward: NamedDependency[WardContext], dossier_id: FromPath[int], received: FromQuery[int] = 0
) -> Template:
    return await _detail(ward, dossier_id, received=bool(received))


@post("/officer/dossiers/{dossier_id:int}/move", name="dossier_move", opt=OFFICER, include_in_schema=False)
async def dossier_move(
    request: Request, ward: NamedDependency[WardContext], dossier_id: FromPath[int]
) -> Template | Response:
    form = MoveForm(await form_data(request))
    await _dossier_or_404(dossier_id)
    if form.is_valid():
        c = form.cleaned
        try:
            await dossiers.move(dossier_id, c["to_state"], connection=request, reason=c["reason"], note=c["note"])
        except RuleError as exc:
            if exc.status_code == 409:
                raise
            form.error(exc.field or "__all__", exc.text)
            return await _detail(ward, dossier_id, move_form=form, status=exc.status_code)
        return see_other(f"{ward.base}/officer/dossiers/{dossier_id}")
    return await _detail(ward, dossier_id, move_form=form, status=422)


@post("/officer/dossiers/{dossier_id:int}/apology", name="dossier_apology", opt=OFFICER, include_in_schema=False)
async def dossier_apology(
    request: Request, ward: NamedDependency[WardContext], dossier_id: FromPath[int]
) -> Template | Response:
    form = ApologyForm(await form_data(request))
    await _dossier_or_404(dossier_id)
    if form.is_valid():
        try:
            await dossiers.apologise(
                dossier_id,
                new_date=form.cleaned["new_date"],
                reason=form.cleaned["reason"],
                connection=request,
                office_hours=ward.office_hours,
            )
        except RuleError as exc:
            if exc.status_code == 409:
                raise
            form.error(exc.field or "__all__", exc.text)
            return await _detail(ward, dossier_id, apology_form=form, status=exc.status_code)
        return see_other(f"{ward.base}/officer/dossiers/{dossier_id}?apology=1#apology")
    return await _detail(ward, dossier_id, apology_form=form, status=422)


@post("/officer/dossiers/{dossier_id:int}/fee-paid", name="dossier_fee_paid", opt=OFFICER, include_in_schema=False)
async def dossier_fee_paid(request: Request, ward: NamedDependency[WardContext], dossier_id: FromPath[int]) -> Response:
    await _dossier_or_404(dossier_id)
    await dossiers.mark_fee_paid(dossier_id, connection=request)
    return see_other(f"{ward.base}/officer/dossiers/{dossier_id}#fee")


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )


async def receipt_data(ward: WardContext, d: dict) -> ReceiptData:
    account = await dossiers.payment_account()
    base = get_settings().file.app.base_url.rstrip("/")
    return ReceiptData(
        ward_name=ward.name,
        ward_address=ward.address,
        code=d["code"],
        procedure=d["procedure.name"],
        applicant_name=d["applicant_name"],
        applicant_phone=d["applicant_phone"],
        applicant_id_number=d["applicant_id_number"],
        applicant_address=d["applicant_address"],
        documents=tuple(d["documents"]),
        received_at=d["received_at"],
        due_at=d["due_at"],
        legal_time=legal_time_text(d["procedure.processing_days"], d["procedure.processing_hours"]),
        timed=d["procedure.processing_days"] is None and bool(d["procedure.processing_hours"]),
        tracking_url=dossiers.tracking_url(ward.slug, d["token"]),
        track_form_url=f"{base}{ward.base}/track",
        fee=d["fee"],
        account=BankAccount(account["bank_bin"], account["account_number"], account["account_name"])
        if account
        else None,
        officer_name=d["received_by.full_name"] or "",
    )


@get("/officer/dossiers/{dossier_id:int}/receipt.pdf", name="dossier_receipt", opt=OFFICER, include_in_schema=False)
async def dossier_receipt(ward: NamedDependency[WardContext], dossier_id: FromPath[int]) -> Response:
    d = await _dossier_or_404(dossier_id)
    pdf = await anyio.to_thread.run_sync(render_receipt_pdf, await receipt_data(ward, d))
    return _pdf(pdf, f"phieu-hen-{d['code']}.pdf")


@get("/officer/dossiers/{dossier_id:int}/apology.pdf", name="dossier_apology_pdf", opt=OFFICER, include_in_schema=False)
async def dossier_apology_pdf(
    request: Request, ward: NamedDependency[WardContext], dossier_id: FromPath[int]
) -> Response:
    """The latest apology slip of the dossier, as it was issued (from its line in the history)."""
    d = await _dossier_or_404(dossier_id)
    events = await dossiers.history(dossier_id)
    apologies = [e for e in events if e["kind"] == "apology"]
    if not apologies:
        raise NotFoundException()
    last = apologies[-1]
    previous = next(e["due_at"] for e in reversed(events[: events.index(last)]) if e["due_at"] is not None)
    data = ApologyData(
        ward_name=ward.name,
        code=d["code"],
        procedure=d["procedure.name"],
        applicant_name=d["applicant_name"],
        received_at=d["received_at"],
        previous_due_at=previous,
        new_due_at=last["due_at"],
        reason=last["note"],
        issued_at=last["at"],
        officer_name=last["who.full_name"] or "",
    )
    pdf = await anyio.to_thread.run_sync(render_apology_pdf, data)
    return _pdf(pdf, f"phieu-xin-loi-{d['code']}.pdf")


# --- the fee account --------------------------------------------------------------------------------------


def _account_page(ward: WardContext, form: PaymentAccountForm, *, status: int = 200, saved: bool = False):
    return render("counter/dossier_payment_account.html", status=status, ward=ward, form=form, banks=BANKS, saved=saved)


@get("/officer/payment-account", name="payment_account", opt=OFFICER, include_in_schema=False)
async def payment_account(ward: NamedDependency[WardContext], saved: FromQuery[int] = 0) -> Template:
    row = await dossiers.payment_account() or {}
    form = PaymentAccountForm({k: row.get(k, "") for k in ("bank_bin", "account_number", "account_name")})
    return _account_page(ward, form, saved=bool(saved))


@post("/officer/payment-account", name="payment_account_save", opt=OFFICER, include_in_schema=False)
async def payment_account_save(request: Request, ward: NamedDependency[WardContext]) -> Template | Response:
    form = PaymentAccountForm(await form_data(request))
    if not form.is_valid():
        return _account_page(ward, form, status=422)
    c = form.cleaned
    await dossiers.save_payment_account(
        bank_bin=c["bank_bin"], account_number=c["account_number"], account_name=c["account_name"], connection=request
    )
    return see_other(f"{ward.base}/officer/payment-account?saved=1")


# --- the applicant's tracking -----------------------------------------------------------------------------


async def _failures(request: Request) -> int:
    ip, _agent = client_of(request)
    since = dossiers.now() - TRACK_WINDOW
    return await AuditEvent.count().where(
        (AuditEvent.action == TRACK_FAILED) & (AuditEvent.ip == ip) & (AuditEvent.at > since)
    )


@get("/track", name="dossier_track", opt=PUBLIC, include_in_schema=False)
async def dossier_track(ward: NamedDependency[WardContext]) -> Template:
    return render("counter/dossier_track.html", ward=ward, form=TrackForm())


@post("/track", name="dossier_track_submit", opt=PUBLIC, include_in_schema=False)
async def dossier_track_submit(request: Request, ward: NamedDependency[WardContext]) -> Template | Response:
    form = TrackForm(await form_data(request))
    if await _failures(request) >= TRACK_MAX_FAILURES:
        form.error("__all__", _l("Too many attempts. Try again in 15 minutes."))
        return render("counter/dossier_track.html", status=429, ward=ward, form=form)
    if form.is_valid():
        token = await dossiers.by_code_and_phone(form.cleaned["code"], form.cleaned["phone"])
        if token:
            return see_other(f"{ward.base}/d/{token}")
        async with write_transaction():
            await record(TRACK_FAILED, connection=request, subject_type="dossier", summary=form.cleaned["code"][:20])
        form.error("__all__", NOT_FOUND)
        return render("counter/dossier_track.html", status=404, ward=ward, form=form)
    return render("counter/dossier_track.html", status=422, ward=ward, form=form)


@get("/d/{token:str}", name="dossier_status", opt=PUBLIC, include_in_schema=False)
async def dossier_status(ward: NamedDependency[WardContext], token: FromPath[str]) -> Template:
    d = await dossiers.by_token(token)
    if d is None:
        raise NotFoundException()
    return render(
        "counter/dossier_status.html",
        ward=ward,
        d=d,
        steps=await dossiers.public_steps(d["id"]),
        state_label=dossiers.state_label,
        rated=await ratings.rating_of_dossier(d["id"]) is not None,
        can_rate=d["state"] == DossierState.returned,
    )


ROUTES = [
    dossier_list,
    dossier_new,
    dossier_create,
    dossier_detail,
    dossier_move,
    dossier_apology,
    dossier_fee_paid,
    dossier_receipt,
    dossier_apology_pdf,
    payment_account,
    payment_account_save,
    dossier_track,
    dossier_track_submit,
    dossier_status,
]
