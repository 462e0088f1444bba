"""The residence API under /api/v1/w/<ward>/: landlords list their declarations and file the one a stay needs
(made from what is known and submitted, or a rejected one resubmitted); the police work the inbox (receive,
accept with the reference, reject with the reason) and search who lives where.

The same services as the pages: the same state machine, the same audit rows (every person the police are
shown is written to the audit log, as on the pages), the same errors beside the same fields.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromPath, JSONBody, QueryParameter

from app.accounts.tables import Role
from app.api.housing import (
    IdempotencyKey,
    InvalidInput,
    _found,
    _invalid_input,
    _me,
    _once_token,
    _responses,
    _rule_error,
    _undecodable,
)
from app.api.residence_schemas import AcceptIn, DeclarationOut, RejectIn, ResidenceOut, ResidentOut, SearchOut
from app.errors import RuleError
from app.i18n import _l
from app.residence import declarations, inbox, search
from app.residence.declarations import SNAPSHOT_FIELDS, S
from app.residence.tables import Declaration
from tenants.resolve import WardContext

LANDLORD = {"roles": {Role.landlord}}
POLICE = {"roles": {Role.police}}
LIMIT = 200

_COLUMNS = (
    *(getattr(Declaration, f) for f in SNAPSHOT_FIELDS),
    Declaration.id,
    Declaration.stay,
    Declaration.kind,
    Declaration.state,
    Declaration.deadline,
    Declaration.reference,
    Declaration.rejection_reason,
    Declaration.submitted_at,
    Declaration.decided_at,
    Declaration.stay.room.property.id,
    Declaration.stay.room.property.name,
)


def _out(row: dict) -> DeclarationOut:
    return DeclarationOut(
        **{name: row[name] for name in DeclarationOut.__struct_fields__ if name in row},
        stay_id=row["stay"],
        property_id=row["stay.room.property.id"],
        property_name=row["stay.room.property.name"],
    )


async def _declaration(declaration_id: int, *, landlord_id: int | None = None) -> DeclarationOut:
    query = Declaration.ward_select(*_COLUMNS).where(Declaration.id == declaration_id)
    if landlord_id is not None:
        query = query.where(Declaration.stay.room.property.landlord == landlord_id)
    row = await query.first()
    if row is None:
        raise LookupError(declaration_id)
    return _out(row)


# --- the landlord ----------------------------------------------------------------------------------------


@get("/landlord/declarations", summary="The landlord's declarations, the latest first", opt=LANDLORD)
async def landlord_declarations(
    request: Request,
    ward: NamedDependency[WardContext],
    state_filter: Annotated[str, QueryParameter(name="state", description="A state; empty for all")] = "",
) -> list[DeclarationOut]:
    query = Declaration.ward_select(*_COLUMNS).where(Declaration.stay.room.property.landlord == _me(request))
    if state_filter in S.__members__:
        query = query.where(Declaration.state == state_filter)
    return [_out(row) for row in await query.order_by(Declaration.id, ascending=False).limit(LIMIT)]


@post(
    "/landlord/stays/{stay_id:int}/declarations",
    summary="File the declaration a stay needs now",
    description="Made from what the stay and the renter already say (nothing is typed again) and submitted: "
    "a lưu trú or tạm trú, a foreigner's declaration, an extension or a removal, whichever the stay needs. A "
    "draft or rejected one is brought up to date and submitted again. 409 when nothing is to be filed or it "
    "is already with the police.",
    opt=LANDLORD,
    responses=_responses(404, 409),
)
async def stay_declare(
    request: Request, ward: NamedDependency[WardContext], stay_id: FromPath[int], idempotency_key: IdempotencyKey = None
) -> DeclarationOut:
    await _found(declarations.stay_of_landlord(stay_id, _me(request)))
    await declarations.file_for_stay(
        stay_id,
        landlord_id=_me(request),
        form_token=_once_token(request, idempotency_key),
        connection=request,
        done_url=f"stays/{stay_id}",
    )
    latest = await declarations.declarations_for_stay(stay_id)
    return await _declaration(latest[-1]["id"])


@post(
    "/landlord/declarations/{declaration_id:int}/submit",
    summary="Submit a draft or rejected declaration again",
    description="Brought up to date from the stay and the renter (correct them first), then submitted.",
    opt=LANDLORD,
    status_code=200,
    responses=_responses(404, 409),
)
async def declaration_submit(
    request: Request,
    ward: NamedDependency[WardContext],
    declaration_id: FromPath[int],
    idempotency_key: IdempotencyKey = None,
) -> DeclarationOut:
    current = await _found(_declaration(declaration_id, landlord_id=_me(request)))
    if current.state not in (S.draft, S.rejected):
        raise RuleError(_l("This declaration is already filed."), status_code=409)
    await declarations.file_for_stay(
        current.stay_id,
        landlord_id=_me(request),
        form_token=_once_token(request, idempotency_key),
        connection=request,
        done_url=f"declarations/{declaration_id}",
    )
    return await _declaration(declaration_id)


# --- the police ------------------------------------------------------------------------------------------


@get(
    "/police/declarations",
    summary="The inbox: late ones first, then new, then by deadline",
    description="state: to_do (default: submitted or received), a state, or empty for all. Every person "
    "returned is written to the audit log as seen by the caller.",
    opt=POLICE,
)
async def police_declarations(
    request: Request,
    ward: NamedDependency[WardContext],
    kind: Annotated[str, QueryParameter(description="luu_tru, tam_tru, foreigner, extension or removal")] = "",
    state_filter: Annotated[str, QueryParameter(name="state", description="to_do, a state, or empty")] = inbox.TO_DO,
    group: Annotated[str, QueryParameter(description="A residential group (tổ dân phố)")] = "",
    property_id: Annotated[str, QueryParameter(description="A house's id")] = "",
) -> list[DeclarationOut]:
    rows, _more = await inbox.inbox_shown(
        inbox.InboxFilter.of(kind, state_filter, group, property_id), connection=request
    )
    if not rows:
        return []
    found = await Declaration.ward_select(*_COLUMNS).where(Declaration.id.is_in([r["id"] for r in rows]))
    by_id = {row["id"]: row for row in found}
    return [_out(by_id[r["id"]]) for r in rows]


@get(
    "/police/declarations/{declaration_id:int}",
    summary="One declaration (audited)",
    opt=POLICE,
    responses=_responses(404),
)
async def police_declaration(
    request: Request, ward: NamedDependency[WardContext], declaration_id: FromPath[int]
) -> DeclarationOut:
    await _found(inbox.declaration_shown(declaration_id, connection=request))
    return await _declaration(declaration_id)


async def _decide(request: Request, declaration_id: int, action: str, **kwargs: str) -> DeclarationOut:
    await _found(inbox.declaration(declaration_id))
    await _found(inbox.decide(declaration_id, action, connection=request, **kwargs))
    await inbox.declaration_shown(declaration_id, connection=request)  # the answer shows the person: audited
    return await _declaration(declaration_id)


@post(
    "/police/declarations/{declaration_id:int}/receive",
    summary="Take a filed declaration up",
    opt=POLICE,
    status_code=200,
    responses=_responses(404, 409),
)
async def police_receive(
    request: Request, ward: NamedDependency[WardContext], declaration_id: FromPath[int]
) -> DeclarationOut:
    return await _decide(request, declaration_id, "receive")


@post(
    "/police/declarations/{declaration_id:int}/accept",
    summary="Accept with the registration number or reference",
    description="A filed declaration not yet received is received first (both moves are in its history).",
    opt=POLICE,
    status_code=200,
    responses=_responses(400, 404, 409, 422),
)
async def police_accept(
    request: Request, ward: NamedDependency[WardContext], declaration_id: FromPath[int], data: JSONBody[AcceptIn]
) -> DeclarationOut:
    return await _decide(request, declaration_id, "accept", reference=data.reference)


@post(
    "/police/declarations/{declaration_id:int}/reject",
    summary="Reject with what the landlord must correct",
    opt=POLICE,
    status_code=200,
    responses=_responses(400, 404, 409, 422),
)
async def police_reject(
    request: Request, ward: NamedDependency[WardContext], declaration_id: FromPath[int], data: JSONBody[RejectIn]
) -> DeclarationOut:
    return await _decide(request, declaration_id, "reject", reason=data.reason)


@get(
    "/police/search",
    summary="Residency search: ID number (exact), phone, or name without diacritics",
    description="Each person returned, with where they stay now and stayed before in the ward, is written to "
    "the audit log as seen by the caller.",
    opt=POLICE,
    responses=_responses(422),
)
async def police_search(
    request: Request,
    ward: NamedDependency[WardContext],
    q: Annotated[str, QueryParameter(description="A name, phone or ID number", examples=None)] = "",
    birth_year: Annotated[str, QueryParameter(description="To narrow a common name")] = "",
) -> SearchOut:
    result = await search.search_shown(q, search.parse_birth_year(birth_year), connection=request)
    return SearchOut(
        kind=result.kind,
        more=result.more,
        people=[
            ResidentOut(
                **{k: getattr(p, k) for k in ResidentOut.__struct_fields__ if k not in ("now", "before")},
                now=ResidenceOut(**vars(p.now)) if p.now else None,
                before=[ResidenceOut(**vars(r)) for r in p.before],
            )
            for p in result.people
        ],
    )


residence_api = Router(
    path="/",
    route_handlers=[
        landlord_declarations,
        stay_declare,
        declaration_submit,
        police_declarations,
        police_declaration,
        police_receive,
        police_accept,
        police_reject,
        police_search,
    ],
    exception_handlers={  # type: ignore[dict-item]
        InvalidInput: _invalid_input,
        RuleError: _rule_error,
        ValidationException: _undecodable,
    },
    tags=["residence"],
)
