"""Real server processes for the room's multi-process tests, and a participant's socket.

``seed`` gives the servers one SQLite file database built by the migrations (as a fresh
install's) and fills it with a script; ``start_servers`` starts
uvicorn processes on free ports as ``cadenza serve`` runs them (the hub writes finished
frames to the sockets), all on the given Redis; ``stop_servers`` ends those still running.
``Participant`` is one person's socket, read by a task of its own: every frame is kept in
order, so a test can check what a person received, exactly once and in order, across their
reconnections.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.private_redis import free_port

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
READ_SECONDS = 15.0

NOT_DURABLE = {"ack", "error", "room.snapshot", "room.caught_up"}


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    """What the server wrote to its standard error."""

    def kill(self) -> None:
        """``kill -9``: no departure, no goodbye to Redis."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


def server_env(tmp_path: Path, redis_url: str, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "CADENZA_DATA_DIR": str(tmp_path / "data"),
        "CADENZA_TESTING": "1",
        "CADENZA_HTTPS": "0",
        "HUEY_IMMEDIATE": "1",
        "REDIS_URL": redis_url,
        "LIVE_HUB_PREFIX": f"cz-test-{uuid.uuid4().hex[:12]}",
        "DJANGO_SETTINGS_MODULE": "cadenza.config.settings",
        "PYTHONPATH": f"{REPO / 'src'}{os.pathsep}{REPO}",
        **extra,
    }
    env.pop("DATABASE_URL", None)
    return env


SETUP = """
import django
django.setup()
from django.conf import settings
"""

MIGRATE = (
    SETUP
    + """
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from django.db import connections
connections.close_all()  # the last connection folds SQLite's write-ahead log into the file
"""
)

DATABASE = "cadenza.sqlite3"
"""The SQLite file in ``CADENZA_DATA_DIR`` (settings.py)."""

_migrated: list[tempfile.TemporaryDirectory[str]] = []
"""The database the migrations built, once per test run (removed when the run ends)."""


def _migrated_database(env: dict[str, str]) -> Path:
    """A database built by the migrations, as ``cadenza migrate`` builds a fresh install's.
    Replaying every migration takes seconds, so it is done once per test run, in a directory
    of its own, and each test gets a copy."""
    if not _migrated:
        template = tempfile.TemporaryDirectory(prefix="cadenza-migrated-")
        subprocess.run(  # noqa: S603 - our own venv's Python
            [sys.executable, "-c", MIGRATE],
            env={**env, "CADENZA_DATA_DIR": template.name},
            check=True,
            capture_output=True,
            cwd=REPO,
        )
        _migrated.append(template)
    return Path(_migrated[0].name) / DATABASE


def seed(env: dict[str, str], script: str) -> dict[str, Any]:
    """Give the servers' data directory a migrated database and run ``script`` on it (one
    process, Django set up and ``settings`` imported), which prints one JSON line last."""
    data_dir = Path(env["CADENZA_DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_migrated_database(env), data_dir / DATABASE)
    seeded = subprocess.run(  # noqa: S603 - our own venv's Python
        [sys.executable, "-c", SETUP + script],
        env=env,
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    data: dict[str, Any] = json.loads(seeded.stdout.decode().strip().splitlines()[-1])
    return data


def _wait_for_port(server: Server) -> None:
    import socket

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.process.poll() is None, "the server process ended early"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", server.port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"no server on port {server.port}")


def start_servers(env: dict[str, str], count: int, logs: Path) -> list[Server]:
    """Start ``count`` servers; each writes its standard error to a file in ``logs``."""
    servers = []
    for _ in range(count):
        port = free_port()
        log = logs / f"server-{port}.log"
        with log.open("wb") as errors:
            process = subprocess.Popen(  # noqa: S603
                [
                    str(VENV_BIN / "uvicorn"),
                    "cadenza.config.asgi:application",
                    "--host=127.0.0.1",
                    f"--port={port}",
                    "--ws=cadenza.realtime.websocket_server:RoomWebSocketProtocol",
                    "--ws-per-message-deflate=false",
                    "--lifespan=off",
                    "--timeout-graceful-shutdown=3",
                    "--log-level=warning",
                ],
                env=env,
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
        servers.append(Server(port, process, log))
    for server in servers:
        _wait_for_port(server)
    return servers


def stop_servers(servers: list[Server]) -> list[str]:
    """End the servers still running; answers what each wrote to its standard error."""
    for server in servers:
        if server.process.poll() is None:
            server.process.terminate()
    for server in servers:
        try:
            server.process.wait(15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(10)
    return [server.log.read_text(errors="replace") for server in servers]


@dataclass
class Participant:
    """One person's room socket (and, after a reconnection, the next one)."""

    name: str
    cookie: str
    session_id: int
    frames: list[dict[str, Any]] = field(default_factory=list)
    """Every frame received, over all of this person's sockets, in order."""
    socket: ClientConnection | None = None
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _reader: asyncio.Task[None] | None = None

    async def open(self, port: int) -> None:
        """Connect (a refused handshake raises websockets' ``InvalidStatus``) and say hello
        with the last number this person saw; returns once caught up."""
        self.socket = await connect(
            f"ws://127.0.0.1:{port}/ws/live/{self.session_id}/",
            additional_headers={
                "Cookie": f"sessionid={self.cookie}",
                "Origin": f"http://127.0.0.1:{port}",
            },
            compression=None,
            open_timeout=READ_SECONDS,
        )
        self.closed = asyncio.Event()
        self._reader = asyncio.create_task(self._read(self.socket))
        already = len(self.frames)
        await self.socket.send(json.dumps({"type": "hello", "last_seq": self.last_seq()}))
        await self.wait_for(
            lambda: any(f["type"] == "room.caught_up" for f in self.frames[already:])
        )

    async def _read(self, socket_: ClientConnection) -> None:
        try:
            async for text in socket_:
                self.frames.append(json.loads(text))
                self._arrived.set()
        except ConnectionClosed:
            pass
        finally:
            self.closed.set()
            self._arrived.set()

    async def wait_for(self, done: Callable[[], bool], seconds: float = READ_SECONDS) -> None:
        deadline = asyncio.get_running_loop().time() + seconds
        while not done():
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise AssertionError(f"{self.name}: not received in {seconds} s")
            self._arrived.clear()
            if done():
                return
            try:
                await asyncio.wait_for(self._arrived.wait(), left)
            except TimeoutError:
                continue

    async def post(self, body: str) -> int:
        """Post a chat message; answers its number once acknowledged."""
        assert self.socket is not None
        cid = uuid.uuid4().hex
        await self.socket.send(
            json.dumps({"type": "chat.post", "client_event_id": cid, "body": body})
        )

        def answered() -> dict[str, Any] | None:
            for frame in reversed(self.frames):
                if frame.get("client_event_id") == cid and frame["type"] in ("ack", "error"):
                    return dict(frame)
            return None

        await self.wait_for(lambda: answered() is not None)
        answer = answered()
        assert answer is not None
        assert answer["type"] == "ack", f"{self.name}: {answer}"
        return int(answer["seq"])

    def durable_seqs(self) -> list[int]:
        """The numbers of the room events received, in order (snapshots' contents aside)."""
        return [
            int(frame["seq"])
            for frame in self.frames
            if frame["type"] not in NOT_DURABLE and isinstance(frame.get("seq"), int)
        ]

    def snapshot_seq(self) -> int:
        """The number of the first snapshot this person received (what it contains)."""
        return next((int(f["seq"]) for f in self.frames if f["type"] == "room.snapshot"), 0)

    def last_seq(self) -> int:
        seqs = [int(f["seq"]) for f in self.frames if f["type"] == "room.caught_up"]
        return max([*seqs, *self.durable_seqs(), 0])

    def presence_frames(self) -> list[dict[str, Any]]:
        return [frame for frame in self.frames if frame["type"] == "live.presence"]

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)
