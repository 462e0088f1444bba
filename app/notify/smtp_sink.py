"""A local SMTP sink for development and tests: accepts every message and keeps it (in memory, and optionally
appended to a file), sends nothing on. `litestar notify smtp-sink` runs one on 127.0.0.1:1025; point
`[notify.email]` at it with backend = "smtp", port = 1025.

Only what a sending client needs of RFC 5321: EHLO/HELO, MAIL, RCPT, DATA (with dot-unstuffing), RSET, NOOP,
QUIT. No TLS and no authentication: it listens on loopback.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        part = self.message.get_body(("plain",))
        return part.get_content() if part else ""


@dataclass
class SmtpSink:
    host: str = "127.0.0.1"
    port: int = 0  # 0: any free port (see `.port` once started)
    path: Path | None = None  # append each message here too (mbox-like, for `make run`)
    received: list[Received] = field(default_factory=list)
    _server: asyncio.base_events.Server | None = None

    async def start(self) -> SmtpSink:
        self._server = await asyncio.start_server(self._session, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server:
            self._server.close()
            await self._server.wait_closed()

    async def __aenter__(self) -> SmtpSink:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def reply(line: str) -> None:
            writer.write((line + "\r\n").encode())

        sender, recipients = "", []
        reply("220 localhost sink ready")
        try:
            while line := await reader.readline():
                command = line.decode("utf-8", "replace").strip()
                verb = command[:4].upper()
                if verb == "EHLO":
                    reply("250-localhost")
                    reply("250-8BITMIME")
                    reply("250 SMTPUTF8")
                elif verb == "HELO":
                    reply("250 localhost")
                elif verb == "MAIL":
                    sender, recipients = command.partition(":")[2].split()[0].strip("<>"), []
                    reply("250 OK")
                elif verb == "RCPT":
                    recipients.append(command.partition(":")[2].split()[0].strip("<>"))
                    reply("250 OK")
                elif verb == "DATA":
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    await writer.drain()
                    lines = []
                    while (chunk := await reader.readline()) not in (b".\r\n", b".\n", b""):
                        lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                    message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                    self.received.append(Received(sender, recipients, message))  # type: ignore[arg-type]
                    if self.path:
                        with self.path.open("ab") as fh:
                            fh.write(b"From " + sender.encode() + b"\n" + b"".join(lines) + b"\n")
                    reply("250 OK: queued")
                elif verb == "RSET":
                    sender, recipients = "", []
                    reply("250 OK")
                elif verb == "NOOP":
                    reply("250 OK")
                elif verb == "QUIT":
                    reply("221 Bye")
                    await writer.drain()
                    break
                else:
                    reply("502 Command not implemented")
                await writer.drain()
        finally:
            writer.close()
