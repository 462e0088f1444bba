"""The dispatcher and the transports: a fake SMS gateway and Zalo endpoint (HTTP on 127.0.0.1) and an SMTP sink
receive what is sent; failures are retried with back-off and die after the last attempt; two dispatchers at
once send every message exactly once."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from app.db import write_transaction
from app.i18n import _l
from app.notify import Recipient, event, send
from app.notify.dispatch import claim, dispatch_all, dispatch_once
from app.notify.smtp_sink import SmtpSink
from app.notify.tables import OutboxMessage, WardChannels
from app.settings import get_settings
from tenants.scope import ward_scope
from tests.helpers import seen

PING = event("test.ping", title=_l("Ping"), text=_l("%(ward)s: ping %(code)s"), example={"code": "X1"})


class FakeGateway:
    """A tiny HTTP server: records each JSON request and answers with the next planned status."""

    def __init__(self, statuses: list[int] | None = None, delay: float = 0.0, bodies: list[dict] | None = None) -> None:
        self.requests: list[dict] = []
        self.statuses = list(statuses or [])
        self.bodies = list(bodies or [])
        self.delay = delay
        self.server: asyncio.base_events.Server | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/send"

    async def __aenter__(self) -> FakeGateway:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.close()
        await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode()
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in head.split("\r\n")[1:] if line)}
        body = json.loads(await reader.readexactly(int(headers.get("content-length", 0))) or b"{}")
        self.requests.append({"headers": headers, "body": body})
        await asyncio.sleep(self.delay)
        status = self.statuses.pop(0) if self.statuses else 200
        body = (
            self.bodies.pop(0)
            if self.bodies
            else {"id": f"gw-{len(self.requests)}", "error": 0, "data": {"msg_id": "z1"}}
        )
        answer = json.dumps(body).encode()
        writer.write(
            f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(answer)}\r\n"
            f"Connection: close\r\n\r\n".encode()
            + answer
        )
        await writer.drain()
        writer.close()


@pytest.fixture
def notify_settings(monkeypatch):
    settings = get_settings()
    monkeypatch.setitem(settings.notify_secrets, "NOTIFY_SMS_TOKEN", "sms-secret")
    monkeypatch.setitem(settings.notify_secrets, "NOTIFY_ZALO_TOKEN", "zalo-secret")
    monkeypatch.setattr(settings.file.notify, "retry_base_seconds", 30)
    monkeypatch.setattr(settings.file.notify, "max_attempts", 3)
    return settings.file.notify


async def queue(ward_id: int, n: int = 1, **recipient) -> None:
    recipient = recipient if ("phone" in recipient or "email" in recipient) else {"phone": "0911000111", **recipient}
    async with ward_scope(ward_id), write_transaction():
        for i in range(n):
            await send(PING, to=Recipient(**recipient), data={"code": str(i)}, subject=f"s{i}")


async def outbox() -> list[dict]:
    return await seen(OutboxMessage.select().order_by(OutboxMessage.id))


async def test_sms_goes_to_the_gateway_without_diacritics(world, notify_settings, monkeypatch):
    async with FakeGateway() as gateway:
        monkeypatch.setattr(notify_settings.sms, "backend", "http")
        monkeypatch.setattr(notify_settings.sms, "url", gateway.url)
        await queue(world.a.id)
        assert (await dispatch_once()).sent == 1
    [request] = gateway.requests
    assert request["headers"]["authorization"] == "Bearer sms-secret"
    body = request["body"]
    assert body["to"] == "84911000111"
    assert body["text"].endswith(": ping 0") and body["text"].isascii() and body["encoding"] == "gsm7"
    assert body["parts"] == [body["text"]]
    [row] = await outbox()
    assert (row["status"], row["attempts"], row["provider_ref"]) == ("sent", 1, "gw-1")


async def test_ucs2_gateways_keep_the_diacritics(world, notify_settings, monkeypatch):
    async with FakeGateway() as gateway:
        monkeypatch.setattr(notify_settings.sms, "backend", "http")
        monkeypatch.setattr(notify_settings.sms, "url", gateway.url)
        monkeypatch.setattr(notify_settings.sms, "encoding", "ucs2")
        await queue(world.a.id, locale="vi")
        await dispatch_once()
    body = gateway.requests[0]["body"]
    assert body["encoding"] == "ucs2" and not body["text"].isascii()


async def test_a_failing_gateway_is_retried_with_back_off_then_the_message_dies(world, notify_settings, monkeypatch):
    async with FakeGateway(statuses=[503, 503, 503]) as gateway:
        monkeypatch.setattr(notify_settings.sms, "backend", "http")
        monkeypatch.setattr(notify_settings.sms, "url", gateway.url)
        await queue(world.a.id)
        before = datetime.now(UTC)
        assert (await dispatch_once()).retried == 1
        [row] = await outbox()
        assert row["status"] == "pending" and row["attempts"] == 1 and "503" in row["last_error"]
        assert timedelta(seconds=29) < row["next_attempt_at"] - before < timedelta(seconds=40)
        assert (await dispatch_once()).retried == 0  # not due yet: nothing claimed

        async def due_now() -> None:
            async with ward_scope(world.a.id), write_transaction():
                await OutboxMessage.ward_update({OutboxMessage.next_attempt_at: datetime.now(UTC)})

        await due_now()
        assert (await dispatch_once()).retried == 1
        [row] = await outbox()
        assert timedelta(seconds=55) < row["next_attempt_at"] - datetime.now(UTC) < timedelta(seconds=65)  # doubled
        await due_now()
        assert (await dispatch_once()).dead == 1
        assert len(gateway.requests) == 3
    [row] = await outbox()
    assert (row["status"], row["attempts"]) == ("dead", 3)


async def test_a_refused_number_dies_at_once(world, notify_settings, monkeypatch):
    async with FakeGateway(statuses=[400]) as gateway:
        monkeypatch.setattr(notify_settings.sms, "backend", "http")
        monkeypatch.setattr(notify_settings.sms, "url", gateway.url)
        await queue(world.a.id)
        assert (await dispatch_once()).dead == 1
    assert (await outbox())[0]["status"] == "dead"


async def test_email_reaches_an_smtp_sink(world, notify_settings, monkeypatch):
    async with SmtpSink() as sink:
        monkeypatch.setattr(notify_settings.email, "backend", "smtp")
        monkeypatch.setattr(notify_settings.email, "port", sink.port)
        await queue(world.a.id, email="chu.nha@example.vn", locale="vi")
        assert (await dispatch_once()).sent == 1
    [mail] = sink.received
    assert mail.recipients == ["chu.nha@example.vn"]
    assert mail.subject == "Ping" or mail.subject
    assert "ping 0" in mail.body and "Phường" in mail.body  # e-mail keeps the diacritics


async def test_zalo_sends_the_events_template(world, notify_settings, monkeypatch):
    async with FakeGateway() as gateway:
        monkeypatch.setattr(notify_settings.zalo, "backend", "zns")
        monkeypatch.setattr(notify_settings.zalo, "url", gateway.url)
        monkeypatch.setitem(notify_settings.zalo.templates, "test.ping", "231677")
        async with ward_scope(world.a.id), write_transaction():
            await WardChannels.ward_insert(
                WardChannels.ward_new(sms=True, zalo=True, email=False, updated_at=datetime.now(UTC))
            )
        await queue(world.a.id)
        assert (await dispatch_once()).sent == 1
    [request] = gateway.requests
    assert request["headers"]["access_token"] == "zalo-secret"
    assert request["body"]["phone"] == "84911000111" and request["body"]["template_id"] == "231677"
    assert [r["channel"] for r in await outbox()] == ["zalo"]


async def test_a_number_without_zalo_gets_the_message_by_sms(world, notify_settings, monkeypatch):
    async with FakeGateway(bodies=[{"error": -108, "message": "Phone number is not a Zalo user"}]) as gateway:
        monkeypatch.setattr(notify_settings.zalo, "backend", "zns")
        monkeypatch.setattr(notify_settings.zalo, "url", gateway.url)
        monkeypatch.setitem(notify_settings.zalo.templates, "test.ping", "231677")
        monkeypatch.setattr(notify_settings.sms, "backend", "http")
        monkeypatch.setattr(notify_settings.sms, "url", gateway.url)
        async with ward_scope(world.a.id), write_transaction():
            await WardChannels.ward_insert(
                WardChannels.ward_new(sms=True, zalo=True, email=False, updated_at=datetime.now(UTC))
            )
        await queue(world.a.id)
        assert (await dispatch_once()).dead == 1  # the Zalo message
        assert (await dispatch_once()).sent == 1  # the SMS put in its place
    assert [r["body"].get("template_id", "sms") for r in gateway.requests] == ["231677", "sms"]
    rows = await outbox()
    assert [(r["channel"], r["status"]) for r in rows] == [("zalo", "dead"), ("sms", "sent")]
    assert "-108" in rows[0]["last_error"]


async def test_the_log_backend_records_what_would_be_sent(world, notify_settings, monkeypatch, tmp_path):
    monkeypatch.setattr(notify_settings, "log_path", str(tmp_path / "outbox.log"))
    await queue(world.a.id)
    await dispatch_once()
    [line] = (tmp_path / "outbox.log").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["to"] == "0911000111" and "ping 0" in json.loads(line)["text"]


async def test_two_dispatchers_send_each_message_once(world, notify_settings, monkeypatch):
    async with FakeGateway(delay=0.005) as gateway:
        monkeypatch.setattr(notify_settings.sms, "backend", "http")
        monkeypatch.setattr(notify_settings.sms, "url", gateway.url)
        await queue(world.a.id, n=20)
        await queue(world.b.id, n=20)
        first, second = await asyncio.gather(dispatch_all(limit=5), dispatch_all(limit=5))
    assert first.sent + second.sent == 40
    references = [r["body"]["reference"] for r in gateway.requests]
    assert len(references) == 40 and len(set(references)) == 40
    assert {r["status"] for r in await outbox()} == {"sent"}


async def test_a_claim_a_dead_worker_left_is_taken_again(world, notify_settings):
    await queue(world.a.id)
    [claimed] = await claim(OutboxMessage, 10)
    assert await claim(OutboxMessage, 10) == []  # claimed: no one else takes it
    later = datetime.now(UTC) + timedelta(seconds=notify_settings.claim_seconds + 1)
    [again] = await claim(OutboxMessage, 10, now=later)
    assert again["id"] == claimed["id"] and again["attempts"] == 2


async def test_a_dispatcher_whose_claim_lapsed_does_not_send_what_another_took(world, notify_settings, monkeypatch):
    """A slow gateway can outlast the claim of a message late in a batch; the dispatcher that took it over
    sends it, the first one must not send it as well."""
    from app.notify.dispatch import deliver

    async with FakeGateway() as gateway:
        monkeypatch.setattr(notify_settings.sms, "backend", "http")
        monkeypatch.setattr(notify_settings.sms, "url", gateway.url)
        await queue(world.a.id)
        [slow] = await claim(OutboxMessage, 10)
        later = datetime.now(UTC) + timedelta(seconds=notify_settings.claim_seconds + 1)
        [taken] = await claim(OutboxMessage, 10, now=later)  # the first claim lapsed: another dispatcher's now
        outcome = await deliver(OutboxMessage, slow)
        assert (outcome.sent, outcome.retried, outcome.dead) == (0, 0, 0) and gateway.requests == []
        assert (await deliver(OutboxMessage, taken)).sent == 1
    assert len(gateway.requests) == 1 and {r["status"] for r in await outbox()} == {"sent"}


async def test_a_stopping_worker_finishes_the_message_in_hand_and_leaves_the_rest(world, notify_settings, monkeypatch):
    """At shutdown the dispatcher is not cancelled mid-statement (which kept a database connection busy and the
    worker from exiting): the message being sent is finished and recorded, the rest of the batch stays claimed
    for the next dispatcher, and the database is usable at once."""
    from app.notify import dispatch

    async with FakeGateway(delay=0.3) as gateway:
        monkeypatch.setattr(notify_settings.sms, "backend", "http")
        monkeypatch.setattr(notify_settings.sms, "url", gateway.url)
        monkeypatch.setattr(notify_settings, "dispatch", True)
        await queue(world.a.id, n=5)
        dispatch.start()
        while not gateway.requests:
            await asyncio.sleep(0.02)
        started = asyncio.get_running_loop().time()
        await dispatch.stop()
        took = asyncio.get_running_loop().time() - started
    rows = await outbox()
    assert took < 1.0 and len(gateway.requests) == 1
    assert [r["status"] for r in rows].count("sent") == 1
    assert {r["status"] for r in rows} == {"sent", "sending"}  # taken again when the claim lapses
