from app.accounts.tables import ApiToken, Membership
from tests.helpers import seen, text_of


async def _token(b, name="Ứng dụng di động") -> str:
    response = await b.post("/account/tokens", {"name": name})
    assert response.status_code == 201
    return response.text.split('<code class="token">')[1].split("</code>")[0]


async def test_a_user_creates_uses_and_revokes_a_personal_token(browser, world):
    b = await browser()
    await b.login(world.a.officer)
    token = await _token(b)
    assert token.startswith("nts_")
    row = await ApiToken.select().first()
    assert row["token_hash"] != token and token not in str(row)  # only the hash is kept
    page = await b.get("/account")
    assert "Ứng dụng di động" in text_of(page.text) and token not in page.text  # shown once only

    api = await browser()
    headers = {"Authorization": f"Bearer {token}"}
    me = await api.client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    body = me.json()
    assert body["phone"] == world.a.officer
    assert [(r["ward"], r["role"], r["status"]) for r in body["roles"]] == [("ward-a", "officer", "active")]

    revoke = await b.post(f"/account/tokens/{row['id']}/revoke")
    assert revoke.status_code == 303
    assert (await api.client.get("/api/v1/me", headers=headers)).status_code == 401
    assert (await api.client.get("/api/v1/me", headers={"Authorization": "Bearer nts_made-up"})).status_code == 401


async def test_token_calls_need_no_csrf_but_session_calls_do(browser, world):
    from tests.test_support import pending_landlord

    pending = await pending_landlord(world.a.id)
    b = await browser()
    await b.login(world.a.officer)
    # Session-authenticated API call without the CSRF header: refused, nothing changed.
    refused = await b.client.post(f"/api/v1/w/ward-a/landlords/{pending}/approve", json={})
    assert refused.status_code == 403
    assert (await seen(Membership.select(Membership.status).where(Membership.id == pending).first()))[
        "status"
    ] == "pending"
    # With a token: no CSRF needed, and the session cookie is not even looked at.
    token = await _token(b)
    api = await browser()
    ok = await api.client.post(
        f"/api/v1/w/ward-a/landlords/{pending}/approve", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "active"


async def test_api_lists_accounts_and_validates_the_reason(browser, world):
    from tests.test_support import pending_landlord

    pending = await pending_landlord(world.a.id)
    b = await browser()
    await b.login(world.a.officer)
    headers = {"Authorization": f"Bearer {await _token(b)}"}
    accounts = await b.client.get("/api/v1/w/ward-a/accounts?role=landlord", headers=headers)
    assert accounts.status_code == 200
    assert {a["status"] for a in accounts.json()} == {"active", "pending"}
    no_reason = await b.client.post(f"/api/v1/w/ward-a/landlords/{pending}/reject", json={}, headers=headers)
    assert no_reason.status_code == 422
    assert "reason" in no_reason.json()["detail"]
    # Police cannot use officer endpoints: 404, like anything not theirs.
    police = await browser()
    await police.login(world.a.police)
    police_headers = {"Authorization": f"Bearer {await _token(police)}"}
    assert (await b.client.get("/api/v1/w/ward-a/accounts", headers=police_headers)).status_code == 404


async def test_ward_info_is_public(browser, world):
    response = await (await browser()).get("/api/v1/w/ward-a/")
    assert response.status_code == 200
    assert response.json()["name"] == "Phường Xuân Phương" and response.json()["code"] == 622


async def test_the_openapi_document_describes_the_api_only(browser, world):
    doc = await (await browser()).get("/api/v1/schema/openapi.json")
    assert doc.status_code == 200
    paths = doc.json()["paths"]
    assert "/api/v1/me" in paths and "/api/v1/w/{ward_slug}/accounts" in paths
    assert all(p.startswith("/api/v1") for p in paths)  # HTML pages stay out of the schema
    assert doc.json()["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
