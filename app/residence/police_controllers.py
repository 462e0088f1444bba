"""The ward police's desk: the residency search (who is this person, where do they stay, where did they stay)."""

from __future__ import annotations

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from app.accounts.tables import Role
from app.errors import RuleError
from app.residence import search
from app.web.templating import render
from tenants.resolve import WardContext

POLICE = {"roles": {Role.police}}
RESULTS_ID = "police-results"


@get("/police/search", name="police_search", opt=POLICE, include_in_schema=False)
async def police_search(
    request: Request, ward: NamedDependency[WardContext], q: FromQuery[str] = "", birth_year: FromQuery[str] = ""
) -> Template:
    """The search page; htmx asks for the results alone as the officer types. Every person shown is written
    to the audit log. An empty query shows the form alone; an unusable one, why, with status 422."""
    q, birth_year = " ".join(q.split()), birth_year.strip()
    result, error_field, error, status_code = None, "", None, 200
    if q or birth_year:
        try:
            year = search.parse_birth_year(birth_year)
            result = await search.search_shown(q, year, connection=request)
        except RuleError as exc:
            error_field, error, status_code = exc.field or "q", exc.text, exc.status_code
    results_only = request.headers.get("HX-Target") == RESULTS_ID
    return render(
        "residence/_police_search_results.html" if results_only else "residence/police_search.html",
        status=status_code,
        ward=ward,
        q=q,
        birth_year=birth_year,
        result=result,
        error_field=error_field,
        error=error,
        limit=search.LIMIT,
    )


ROUTES = [police_search]
