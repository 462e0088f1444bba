"""Transports: how a rendered message leaves. SMS through an HTTP gateway, Zalo ZNS, e-mail over SMTP, or, in
development, a log file recording what would have been sent (`notify.<channel>.backend = "log"`).

Credentials come from the environment only (`NOTIFY_SMS_TOKEN`, `NOTIFY_ZALO_TOKEN`, `NOTIFY_SMTP_PASSWORD`);
a ward with its own account sets the same name suffixed with its commune code (`NOTIFY_SMS_TOKEN_622`).

A transport returns the provider's reference, or raises `TransportError`; `permanent=True` means trying
again cannot help (a refused number, a template the provider does not know), so the message dies at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import aiosmtplib
import anyio
import httpx

from app.notify import sms
from app.notify.templates import Rendered
from app.settings import ROOT, get_settings


class TransportError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    """A message ready to leave: where to, what, and the key a provider can deduplicate on."""

    channel: str
    address: str
    event: str
    rendered: Rendered
    data: dict
    key: str  # the message's id, the same on every attempt: the provider's tracking/idempotency id
    ward_code: int | None = None


def secret(name: str, ward_code: int | None = None) -> str:
    secrets = get_settings().notify_secrets
    return (ward_code and secrets.get(f"{name}_{ward_code}")) or secrets.get(name, "")


def international(phone: str) -> str:
    """0912345678 -> 84912345678, the form gateways and Zalo take."""
    digits = "".join(c for c in phone if c.isdigit())
    return "84" + digits[1:] if digits.startswith("0") else digits


def _log_path() -> Path:
    path = Path(get_settings().file.notify.log_path)
    return path if path.is_absolute() else ROOT / path


async def log_transport(message: Outgoing, content: dict) -> str:
    """Development: append what would be sent, one JSON line per message, to `notify.log_path`."""
    line = json.dumps(
        {"at": datetime.now(UTC).isoformat(), "channel": message.channel, "to": message.address, **content},
        ensure_ascii=False,
    )
    path = _log_path()

    def write() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    await anyio.to_thread.run_sync(write)
    return "log"


def _raise_for(response: httpx.Response, what: str) -> None:
    if response.status_code >= 400:
        # 429 and 5xx are the gateway's trouble and pass; any other 4xx is ours and will not pass later.
        permanent = response.status_code < 500 and response.status_code not in (408, 429)
        raise TransportError(f"{what}: HTTP {response.status_code} {response.text[:200]}", permanent=permanent)


async def _post(url: str, *, json_body: dict, headers: dict, timeout: float, what: str) -> httpx.Response:
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.post(url, json=json_body, headers=headers)
    except httpx.HTTPError as exc:
        raise TransportError(f"{what}: {type(exc).__name__} {exc}") from exc
    _raise_for(response, what)
    return response


async def send_sms(message: Outgoing) -> str:
    settings = get_settings().file.notify.sms
    text, parts = sms.prepare(
        message.rendered.text, message.rendered.url, encoding=settings.encoding, max_parts=settings.max_parts
    )
    body = {
        "to": international(message.address),
        "text": text,
        "parts": parts,  # for gateways that take the parts; others split `text` themselves
        "encoding": "gsm7" if sms.is_gsm7(text) else "ucs2",
        "sender": settings.sender,
        "reference": message.key,
    }
    if settings.backend == "log":
        return await log_transport(message, {k: v for k, v in body.items() if k != "to"})
    if not settings.url:
        raise TransportError("notify.sms.url is not set")
    token = secret("NOTIFY_SMS_TOKEN", message.ward_code)
    headers = {"Idempotency-Key": message.key[:200]}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = await _post(settings.url, json_body=body, headers=headers, timeout=settings.timeout_seconds, what="SMS")
    try:
        return str(response.json().get("id", ""))[:100]
    except (ValueError, AttributeError):
        return ""


async def send_zalo(message: Outgoing) -> str:
    """A Zalo ZNS template message: the template approved for the event, its parameters from the data."""
    settings = get_settings().file.notify.zalo
    template_id = settings.templates.get(message.event, "")
    from app.notify.registry import get_event

    params = {name: str(message.data.get(name, "")) for name in get_event(message.event).zalo_params}
    body = {
        "phone": international(message.address),
        "template_id": template_id,
        "template_data": params,
        "tracking_id": message.key[:48],
    }
    if settings.backend == "log":
        return await log_transport(message, {k: v for k, v in body.items() if k != "phone"})
    token = secret("NOTIFY_ZALO_TOKEN", message.ward_code)
    if not token or not template_id:
        raise TransportError("Zalo ZNS needs NOTIFY_ZALO_TOKEN and a template for the event", permanent=True)
    response = await _post(
        settings.url,
        json_body=body,
        headers={"access_token": token},
        timeout=settings.timeout_seconds,
        what="Zalo ZNS",
    )
    answer = response.json()
    if answer.get("error", 0) != 0:
        # ZNS answers HTTP 200 with an error code: negative codes are about the request (permanent) except
        # the rate and quota ones; positive are the service's.
        code = int(answer.get("error"))
        raise TransportError(
            f"Zalo ZNS error {code}: {answer.get('message', '')}", permanent=code < 0 and code not in (-124, -1)
        )
    return str((answer.get("data") or {}).get("msg_id", ""))[:100]


async def send_email(message: Outgoing) -> str:
    settings = get_settings().file.notify.email
    email = EmailMessage()
    email["From"] = settings.sender
    email["To"] = message.address
    email["Subject"] = message.rendered.title
    domain = settings.sender.rpartition("@")[2].strip("> ") or "localhost"
    email["Message-ID"] = make_msgid(domain=domain)
    body = message.rendered.email_body
    if message.rendered.url:
        body += f"\n\n{message.rendered.url}"
    email.set_content(body + "\n\n-- \n" + get_settings().file.app.name + "\n")
    if settings.backend == "log":
        return await log_transport(message, {"subject": message.rendered.title, "body": body})
    password = secret("NOTIFY_SMTP_PASSWORD", message.ward_code)
    try:
        await aiosmtplib.send(
            email,
            hostname=settings.host,
            port=settings.port,
            username=settings.username or None,
            password=password or None,
            start_tls=settings.security == "starttls",
            use_tls=settings.security == "tls",
            timeout=settings.timeout_seconds,
        )
    except aiosmtplib.SMTPRecipientsRefused as exc:
        raise TransportError(f"SMTP refused the address: {exc}", permanent=True) from exc
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise TransportError(f"SMTP: {type(exc).__name__} {exc}") from exc
    return email["Message-ID"][:100]


TRANSPORTS = {"sms": send_sms, "zalo": send_zalo, "email": send_email}
