"""A small HTTP/1.1 load generator for the page benchmarks: N keep-alive connections, each sending GET after
GET for a fixed time, recording every response's latency.

Written on raw asyncio streams (with uvloop when installed) because an HTTP client library would cost more
CPU per request than the servers under test; it runs in its own process, so it competes with the server
only for the machine's cores, the same way for every server measured.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds, one per 2xx/3xx response
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in milliseconds (nearest rank)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                return status, body
            body += chunk[:-2]
    return status, await reader.readexactly(length)


async def _connection(host: str, port: int, request: bytes, until: float, result: LoadResult, start: float) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while (now := time.perf_counter()) < until:
            writer.write(request)
            status, _body = await _read_response(reader)
            done = time.perf_counter()
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status < 400 and now >= start:
                result.latencies.append(done - now)
            elif status >= 400:
                result.errors += 1
    except (OSError, asyncio.IncompleteReadError):
        result.errors += 1
    finally:
        writer.close()


async def _run(host: str, port: int, path: str, connections: int, seconds: float, warmup: float) -> LoadResult:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/html\r\n"
        "Accept-Language: vi-VN,vi;q=0.9\r\nUser-Agent: nhatro-bench\r\n\r\n"
    ).encode()
    now = time.perf_counter()
    start, until = now + warmup, now + warmup + seconds
    result = LoadResult(seconds=seconds)
    await asyncio.gather(*(_connection(host, port, request, until, result, start) for _ in range(connections)))
    return result


def run_load(host: str, port: int, path: str, *, connections: int = 64, seconds: float = 10, warmup: float = 2):
    """Load `path` with `connections` keep-alive connections; responses during `warmup` are not counted."""
    try:
        import uvloop

        return uvloop.run(_run(host, port, path, connections, seconds, warmup))
    except ImportError:
        return asyncio.run(_run(host, port, path, connections, seconds, warmup))
