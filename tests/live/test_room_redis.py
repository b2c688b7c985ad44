"""Two ASGI server processes share one room through Redis (DESIGN section 4).

Honest and whole: two real uvicorn processes on free ports, one SQLite file database, Redis
on 127.0.0.1:6379 (a DB number and a channel prefix of this run only). A message posted
through one server reaches a client of the other; a client that reconnects to the other
server catches up on exactly what it missed; a host on one server removes a person whose
socket is on the other, and that socket closes.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/14"

SEED = """
import json
import django
django.setup()
from django.conf import settings
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
from tests.live.conftest import build_classroom, session_cookie
room = build_classroom()
print(json.dumps({
    "session": room.session.pk,
    "ada": session_cookie(room.ada),
    "bob": session_cookie(room.bob),
    "host": session_cookie(room.host),
    "bob_id": room.bob.pk,
}))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server process ended early"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"no server on port {port}")


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[dict[str, Any], list[int]]]:
    prefix = f"cz-test-{uuid.uuid4().hex[:12]}"
    env = {
        **os.environ,
        "CADENZA_DATA_DIR": str(tmp_path / "data"),
        "CADENZA_TESTING": "1",
        "CADENZA_HTTPS": "0",
        "HUEY_IMMEDIATE": "1",
        "REDIS_URL": REDIS_URL,
        "LIVE_HUB_PREFIX": prefix,
        "DJANGO_SETTINGS_MODULE": "cadenza.config.settings",
        "PYTHONPATH": str(REPO),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(  # noqa: S603 - our own venv's commands
        [str(VENV_BIN / "cadenza"), "migrate", "--noinput"],
        env=env,
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    seeded = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SEED], env=env, check=True, capture_output=True, cwd=REPO
    )
    data = json.loads(seeded.stdout.decode().strip().splitlines()[-1])
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(  # noqa: S603
            [
                str(VENV_BIN / "uvicorn"),
                "cadenza.config.asgi:application",
                "--host=127.0.0.1",
                f"--port={port}",
                "--ws-per-message-deflate=false",
                "--lifespan=off",
                "--log-level=warning",
            ],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            _wait_for_port(port, server)
        yield data, ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(10)
        client = redis.Redis.from_url(REDIS_URL)
        stale = list(client.scan_iter(f"{prefix}:*"))
        if stale:
            client.delete(*stale)
        client.close()


async def _open(port: int, session_id: int, cookie: str) -> ClientConnection:
    return await connect(
        f"ws://127.0.0.1:{port}/ws/live/{session_id}/",
        additional_headers={"Cookie": f"sessionid={cookie}", "Origin": f"http://127.0.0.1:{port}"},
        compression=None,
    )


async def _next(socket_: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        frame: dict[str, Any] = json.loads(await asyncio.wait_for(socket_.recv(), 10))
        if frame["type"] == kind:
            return frame


async def _hello(socket_: ClientConnection, last_seq: int) -> list[dict[str, Any]]:
    await socket_.send(json.dumps({"type": "hello", "last_seq": last_seq}))
    frames = []
    while True:
        frame = json.loads(await asyncio.wait_for(socket_.recv(), 10))
        if frame["type"] == "room.caught_up":
            return frames
        if frame["type"] != "live.presence":
            frames.append(frame)


async def _read_until_closed(socket_: ClientConnection) -> None:
    while True:
        await asyncio.wait_for(socket_.recv(), 10)


async def _post(socket_: ClientConnection, body: str) -> dict[str, Any]:
    cid = uuid.uuid4().hex
    await socket_.send(json.dumps({"type": "chat.post", "client_event_id": cid, "body": body}))
    return await _next(socket_, "ack")


@pytest.mark.asyncio
async def test_two_server_processes_share_one_room_through_redis(
    two_servers: tuple[dict[str, Any], list[int]],
) -> None:
    data, (first, second) = two_servers
    session = data["session"]
    ada = await _open(first, session, data["ada"])
    bob = await _open(second, session, data["bob"])
    host = await _open(first, session, data["host"])
    try:
        for socket_ in (ada, bob, host):
            assert [f["type"] for f in await _hello(socket_, 0)] == ["room.snapshot"]
        assert (await _post(ada, "From server one"))["seq"] == 1
        received = await _next(bob, "live.chat.posted")
        assert (received["seq"], received["body"]) == (1, "From server one")
        assert (await _post(bob, "From server two"))["seq"] == 2
        # The author's own copy travels through Redis like everyone's: it may come after the
        # ack. Ada receives both messages, once each, in order.
        on_first = [await _next(ada, "live.chat.posted") for _ in range(2)]
        assert [(f["seq"], f["body"]) for f in on_first] == [
            (1, "From server one"),
            (2, "From server two"),
        ]

        await bob.close()
        assert (await _post(ada, "While Bob was away"))["seq"] == 3
        bob = await _open(first, session, data["bob"])
        replay = await _hello(bob, 2)
        assert [(f["seq"], f["body"]) for f in replay] == [(3, "While Bob was away")]

        await bob.close()
        bob = await _open(second, session, data["bob"])
        assert (await _hello(bob, 3)) == []
        cid = uuid.uuid4().hex
        await host.send(
            json.dumps(
                {"type": "participant.remove", "client_event_id": cid, "user_id": data["bob_id"]}
            )
        )
        assert (await _next(host, "ack"))["seq"] == 4
        with pytest.raises(ConnectionClosed) as closed:
            await _read_until_closed(bob)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4403
    finally:
        for socket_ in (ada, bob, host):
            await socket_.close()
