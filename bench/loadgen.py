"""The load generator of ``bench/pages.py``: one process, keep-alive HTTP/1.1 clients.

Run as ``python bench/loadgen.py`` with a JSON job on stdin; prints a JSON result on stdout.
Each client holds one connection (reopened only if the server closes it) and sends the next
request as soon as the previous response has been read in full. Requests completed during the
measured window count; those of the warm-up before it do not. CPU use of the server process,
of this process and of the whole machine is sampled at the edges of the window, so the result
shows whether the load generator itself was a bottleneck.

The client is a minimal HTTP/1.1 reader on asyncio streams (uvloop when available), which costs
far less CPU per request than ``http.client``: on a 2-core machine the load generator shares
the CPUs with the server it measures.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class Job:
    """What to load: one path on one server, with one ``Cookie`` header per client."""

    host: str
    port: int
    path: str
    cookies: list[str]
    warmup_seconds: float
    duration_seconds: float
    server_pid: int


@dataclass(slots=True)
class Result:
    """What happened in the measured window (latencies in milliseconds, CPU in % of a core)."""

    requests: int = 0
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    connection_errors: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    server_cpu_percent: float = 0.0
    postgres_cpu_percent: float = 0.0
    loadgen_cpu_percent: float = 0.0
    machine_cpu_percent: float = 0.0
    response_bytes: int = 0


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of every thread of ``pid`` (``/proc/<pid>/stat``)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # After the command name: state is field 3, utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def postgres_cpu_seconds() -> float:
    """CPU seconds of every PostgreSQL process (the server's backends among them)."""
    total = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        name, _, rest = text.partition(" (")[2].rpartition(")")
        if name == "postgres":
            fields = rest.split()
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of all cores since boot (``/proc/stat``)."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / CLOCK_TICKS, total / CLOCK_TICKS


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
    """Read one response; (status, body bytes, server keeps the connection)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = 0
    chunked = False
    keep_alive = True
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        value = value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and "chunked" in value:
            chunked = True
        elif name == "connection" and value == "close":
            keep_alive = False
    if not chunked:
        await reader.readexactly(length)
        return status, length, keep_alive
    size = 0
    while True:
        chunk_size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        await reader.readexactly(chunk_size + 2)
        size += chunk_size
        if chunk_size == 0:
            return status, size, keep_alive


class Window:
    """The measured window: its edges on the monotonic clock, and what was counted in it."""

    def __init__(self, job: Job) -> None:
        self.start = time.perf_counter() + job.warmup_seconds
        self.end = self.start + job.duration_seconds
        self.result = Result()

    def count(self, started: float, finished: float, status: int | None, size: int) -> None:
        if not self.start <= finished <= self.end:
            return
        result = self.result
        result.requests += 1
        if status is None:
            result.connection_errors += 1
            result.errors += 1
            return
        result.statuses[str(status)] = result.statuses.get(str(status), 0) + 1
        if status != 200:
            result.errors += 1
        result.response_bytes += size
        result.latencies_ms.append((finished - started) * 1000.0)


async def _client(job: Job, cookie: str, window: Window) -> None:
    request = (
        f"GET {job.path} HTTP/1.1\r\nHost: {job.host}:{job.port}\r\nCookie: {cookie}\r\n"
        "Accept: text/html\r\nUser-Agent: cadenza-bench\r\nConnection: keep-alive\r\n\r\n"
    ).encode("latin-1")
    writer: asyncio.StreamWriter | None = None
    reader: asyncio.StreamReader | None = None
    while time.perf_counter() < window.end:
        started = time.perf_counter()
        try:
            if writer is None or reader is None:
                reader, writer = await asyncio.open_connection(job.host, job.port)
            writer.write(request)
            status, size, keep_alive = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            window.count(started, time.perf_counter(), None, 0)
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.01)
            continue
        window.count(started, time.perf_counter(), status, size)
        if not keep_alive:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def _sample_cpu(job: Job, window: Window) -> None:
    """Read the CPU counters at the start and the end of the window."""
    await asyncio.sleep(max(0.0, window.start - time.perf_counter()))
    server_0 = process_cpu_seconds(job.server_pid)
    own_0 = time.process_time()
    postgres_0 = postgres_cpu_seconds()
    busy_0, _ = machine_cpu_seconds()
    wall_0 = time.perf_counter()
    await asyncio.sleep(max(0.0, window.end - time.perf_counter()))
    wall = time.perf_counter() - wall_0
    busy_1, _ = machine_cpu_seconds()
    result = window.result
    result.seconds = wall
    result.server_cpu_percent = 100.0 * (process_cpu_seconds(job.server_pid) - server_0) / wall
    result.loadgen_cpu_percent = 100.0 * (time.process_time() - own_0) / wall
    result.postgres_cpu_percent = 100.0 * (postgres_cpu_seconds() - postgres_0) / wall
    # In % of one core, like the two above: a 2-core machine is at most 200 %.
    result.machine_cpu_percent = 100.0 * (busy_1 - busy_0) / wall


async def run(job: Job) -> Result:
    """Load ``job.path`` with one client per cookie; return the measured window's result."""
    window = Window(job)
    await asyncio.gather(
        _sample_cpu(job, window), *(_client(job, cookie, window) for cookie in job.cookies)
    )
    return window.result


def main() -> None:
    raw: dict[str, Any] = json.load(sys.stdin)
    job = Job(**raw)
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(run(job))
    else:
        result = uvloop.run(run(job))
    json.dump(asdict(result), sys.stdout)


if __name__ == "__main__":
    main()
