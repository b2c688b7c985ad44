"""The live benchmark's load generator: many room sockets in one process, a few of them senders.

Started by ``bench/live/run.py`` (several processes side by side). Reads a JSON job on the first
line of stdin, opens its sockets (each sends ``hello``), waits until the room is quiet and prints
``{"ready": ...}``. Then, for each ``{"go": ...}`` line, its senders post chat messages at their
share of the total rate for the given time, every socket records when each message arrives,
and it prints ``{"phase": ...}`` with the counts, a latency histogram and its own CPU time.
``{"quit": true}`` ends it.

The message body is ``bench:<phase>.<proc>.<n>:<send time in ns>`` (``time.monotonic_ns``,
one clock for every process on the machine), so the latency is measured from the moment the
sender wrote the message to the moment a receiver's socket read the frame that carries it.

The client is a minimal WebSocket client on asyncio's Protocol (uvloop): the handshake, masked
text frames out, unmasked frames in, pong to pings. A general client (the ``websockets``
package) parses frame by frame through generators and costs several times more CPU per frame;
on a 2-core box the load generator shares the CPUs with the servers it measures, so its cost
is kept low and reported.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MARK = b"bench:"
PING = b'{"type":"ping"}'
"""The room's heartbeat frame: not counted when waiting for the room to be quiet."""


def latency_bin(ms: float) -> int:
    """Histogram bins: 0.5 ms up to 2 s, then 10 ms."""
    if ms < 2000:
        return int(ms * 2)
    return 4000 + int((ms - 2000) / 10)


def bin_ms(index: int) -> float:
    """The upper edge of a bin, in ms."""
    if index < 4000:
        return (index + 1) / 2
    return 2000 + (index - 4000 + 1) * 10


def mask_frame(text: str, *, opcode: int = 0x1) -> bytes:
    payload = text.encode()
    n = len(payload)
    if n < 126:
        head = bytes([0x80 | opcode, 0x80 | n])
    elif n < 65536:
        head = bytes([0x80 | opcode, 0x80 | 126]) + n.to_bytes(2, "big")
    else:
        head = bytes([0x80 | opcode, 0x80 | 127]) + n.to_bytes(8, "big")
    key = os.urandom(4)
    repeated = (key * (n // 4 + 1))[:n]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(n, "big")
    return head + key + masked


@dataclass
class Phase:
    """What one sending phase collects in this process."""

    tag: bytes = b""
    received: int = 0
    in_snapshots: int = 0
    """Messages that reached a socket inside a ``room.snapshot`` (it fell behind)."""
    late: int = 0
    histogram: dict[int, int] = field(default_factory=dict)
    last_receive_ns: int = 0
    worst: dict[bytes, float] = field(default_factory=dict)
    """Per message (its id in the body), the slowest delivery in ms: shows whether a high
    p99 is every message a little late or a few messages very late (a stall)."""


class RoomSocket(asyncio.Protocol):
    """One participant's socket."""

    def __init__(self, *, request: bytes, state: Generator) -> None:
        self.request = request
        self.state = state
        self.transport: Any = None
        self.buffer = bytearray()
        self.upgraded = False
        self.opened: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.caught_up: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.closed = False
        self.close_code = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.transport.write(self.request)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.state.lost_sockets += 1
        if not self.opened.done():
            self.opened.set_exception(ConnectionError(f"closed before upgrade: {exc}"))

    def send(self, text: str) -> None:
        if self.transport is not None and not self.closed:
            self.transport.write(mask_frame(text))

    def data_received(self, data: bytes) -> None:
        now = time.monotonic_ns()
        buf = self.buffer
        buf += data
        if not self.upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(buf[: buf.find(b"\r\n")])
            if b" 101 " not in status:
                if not self.opened.done():
                    self.opened.set_exception(ConnectionError(status.decode(errors="replace")))
                assert self.transport is not None
                self.transport.close()
                return
            del buf[: end + 4]
            self.upgraded = True
            self.opened.set_result(None)
        pos = 0
        size = len(buf)
        state = self.state
        while size - pos >= 2:
            b0 = buf[pos]
            length = buf[pos + 1] & 0x7F
            start = pos + 2
            if length == 126:
                if size - pos < 4:
                    break
                length = int.from_bytes(buf[pos + 2 : pos + 4], "big")
                start = pos + 4
            elif length == 127:
                if size - pos < 10:
                    break
                length = int.from_bytes(buf[pos + 2 : pos + 10], "big")
                start = pos + 10
            end = start + length
            if end > size:
                break
            opcode = b0 & 0x0F
            if opcode == 0x1:
                if end - start != len(PING) or buf[start:end] != PING:
                    state.frames += 1
                mark = buf.find(MARK, start, end)
                if mark >= 0 and buf.find(b'"room.snapshot"', start, end) >= 0:
                    while mark >= 0:
                        state.on_chat(buf, mark + len(MARK), end, now, snapshot=True)
                        mark = buf.find(MARK, mark + 1, end)
                elif mark >= 0:
                    state.on_chat(buf, mark + len(MARK), end, now)
                elif not self.caught_up.done() and buf.find(b'"room.caught_up"', start, end) >= 0:
                    self.caught_up.set_result(None)
                elif buf.find(b'"error"', start, end) >= 0:
                    state.errors += 1
                    if len(state.error_samples) < 5:
                        state.error_samples.append(bytes(buf[start:end]).decode(errors="replace"))
                elif buf.find(b'"ack"', start, end) >= 0:
                    state.acks += 1
            elif opcode == 0x9:
                self.send_control(0xA, bytes(buf[start:end]))
            elif opcode == 0x8:
                if length >= 2:
                    self.close_code = int.from_bytes(buf[start : start + 2], "big")
                self.closed = True
            pos = end
        if pos:
            del buf[:pos]

    def send_control(self, opcode: int, payload: bytes) -> None:
        if self.transport is None or self.closed:
            return
        key = os.urandom(4)
        masked = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
        self.transport.write(bytes([0x80 | opcode, 0x80 | len(payload)]) + key + masked)


def factory(sock: RoomSocket) -> Callable[[], RoomSocket]:
    return lambda: sock


class Generator:
    """This process's sockets and counters."""

    def __init__(self, job: dict[str, Any]) -> None:
        self.job = job
        self.proc = int(job["proc"])
        self.sockets: list[RoomSocket] = []
        self.senders: list[RoomSocket] = []
        self.frames = 0
        self.acks = 0
        self.errors = 0
        self.error_samples: list[str] = []
        self.lost_sockets = 0
        self.phase = Phase()

    def on_chat(
        self, buf: bytearray, start: int, end: int, now: int, *, snapshot: bool = False
    ) -> None:
        phase = self.phase
        tag = phase.tag
        if buf[start : start + len(tag)] != tag:
            phase.late += 1
            return
        colon = buf.find(b":", start, end)
        stop = buf.find(b'"', colon, end)
        sent = int(buf[colon + 1 : stop])
        ms = (now - sent) / 1e6
        message = bytes(buf[start + len(tag) : colon])
        if ms > phase.worst.get(message, 0.0):
            phase.worst[message] = ms
        index = latency_bin(ms)
        phase.histogram[index] = phase.histogram.get(index, 0) + 1
        phase.received += 1
        phase.in_snapshots += snapshot
        phase.last_receive_ns = now

    async def open_all(self) -> dict[str, Any]:
        job = self.job
        loop = asyncio.get_running_loop()
        gate = asyncio.Semaphore(int(job.get("concurrency", 50)))
        failures: list[str] = []
        hello = json.dumps({"type": "hello", "last_seq": 0})
        wants_caught_up = str(job["system"]).startswith("cadenza")

        async def open_one(host: str, port: int, cookie: str, sender: bool) -> None:
            key = base64.b64encode(os.urandom(16)).decode()
            request = (
                f"GET {job['path']} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: http://{host}:{port}\r\n"
                f"Cookie: {job['cookie_name']}={cookie}\r\n\r\n"
            ).encode()
            async with gate:
                for attempt in range(3):
                    sock = RoomSocket(request=request, state=self)
                    try:
                        await loop.create_connection(factory(sock), host, port)
                        await asyncio.wait_for(sock.opened, 15)
                        sock.send(hello)
                        if wants_caught_up:
                            await asyncio.wait_for(sock.caught_up, 60)
                        break
                    except (OSError, TimeoutError, ConnectionError) as error:
                        if sock.transport is not None:
                            sock.transport.close()
                        if attempt == 2:
                            failures.append(repr(error))
                            return
                        await asyncio.sleep(0.2 * (attempt + 1))
            self.sockets.append(sock)
            if sender:
                self.senders.append(sock)

        started = time.monotonic()
        await asyncio.gather(
            *(
                open_one(host, int(port), cookie, bool(sender))
                for host, port, cookie, sender in job["connections"]
            )
        )
        connected = time.monotonic() - started
        # The joins broadcast presence to everyone: wait until the room is quiet.
        quiet_since = time.monotonic()
        frames = self.frames
        deadline = time.monotonic() + float(job.get("settle_max", 120))
        while time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            if self.frames != frames:
                frames = self.frames
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= float(job.get("settle_quiet", 2)):
                break
        return {
            "ready": len(self.sockets),
            "senders": len(self.senders),
            "failures": len(failures),
            "failure_samples": failures[:3],
            "connect_seconds": round(connected, 2),
            "settle_seconds": round(time.monotonic() - started - connected, 2),
            "frames_while_joining": self.frames,
        }

    async def run_phase(self, go: dict[str, Any]) -> dict[str, Any]:
        rate = float(go["rate"])
        duration = float(go["duration"])
        total_senders = int(go["total_senders"])
        first_sender = int(go["first_sender"])
        tag = f"{go['phase']}.".encode()
        self.phase = Phase(tag=tag)
        acks, errors, lost_sockets = self.acks, self.errors, self.lost_sockets
        cpu0 = os.times()
        t0 = int(go["t0_ns"])
        period = total_senders / rate
        sent = 0

        async def send_from(index: int, sock: RoomSocket) -> None:
            nonlocal sent
            slot = first_sender + index
            k = 0
            end = t0 + int(duration * 1e9)
            while True:
                at = t0 + int((slot / rate + k * period) * 1e9)
                if at >= end:
                    return
                delay = (at - time.monotonic_ns()) / 1e9
                if delay > 0:
                    await asyncio.sleep(delay)
                body = f"bench:{go['phase']}.{self.proc}.{slot}.{k}:{time.monotonic_ns()}"
                sock.send(
                    json.dumps(
                        {"type": "chat.post", "client_event_id": uuid.uuid4().hex, "body": body}
                    )
                )
                sent += 1
                k += 1

        await asyncio.gather(*(send_from(i, s) for i, s in enumerate(self.senders)))
        # Drain: until no message arrived for `quiet` seconds (or the cap).
        quiet = float(go.get("drain_quiet", 3))
        cap = time.monotonic() + float(go.get("drain_max", 30))
        while time.monotonic() < cap:
            await asyncio.sleep(0.25)
            last = self.phase.last_receive_ns or t0
            if (time.monotonic_ns() - last) / 1e9 >= quiet:
                break
        cpu1 = os.times()
        return {
            "phase": go["phase"],
            "sent": sent,
            "received": self.phase.received,
            "in_snapshots": self.phase.in_snapshots,
            "late_from_earlier_phases": self.phase.late,
            "histogram": self.phase.histogram,
            "worst": {k.decode(): round(v, 1) for k, v in self.phase.worst.items()},
            "last_receive_ns": self.phase.last_receive_ns,
            "acks": self.acks - acks,
            "errors": self.errors - errors,
            "error_samples": self.error_samples[:3],
            "sockets_lost": self.lost_sockets - lost_sockets,
            "cpu_seconds": round((cpu1.user - cpu0.user) + (cpu1.system - cpu0.system), 3),
        }


def emit(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


async def main() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**26)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    job = json.loads(await reader.readline())
    generator = Generator(job)
    emit(await generator.open_all())
    while True:
        line = await reader.readline()
        if not line:
            break
        command = json.loads(line)
        if command.get("quit"):
            break
        emit(await generator.run_phase(command["go"]))
    for sock in generator.sockets:
        if sock.transport is not None:
            sock.transport.close()


if __name__ == "__main__":
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main())
