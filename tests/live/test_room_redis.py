"""Two ASGI server processes share one room through Redis (DESIGN section 4).

Honest and whole: two real uvicorn processes on free ports, one SQLite file database, and a
private Redis that the test starts on a free port and stops (tests/private_redis.py; nothing
here uses a Redis already running on the machine). A message posted
through one server reaches a client of the other; a client that reconnects to the other
server catches up on exactly what it missed; a host on one server removes a person whose
socket is on the other, and that socket closes.
"""

from __future__ import annotations

import asyncio
import json
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.live.two_servers import seed, server_env, start_servers

SEED = """
import json
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


@pytest.fixture
def two_servers(
    tmp_path: Path, private_redis_url: str
) -> Iterator[tuple[dict[str, Any], list[int]]]:
    env = server_env(tmp_path, private_redis_url)
    data = seed(env, SEED)
    servers = start_servers(env, 2, tmp_path)
    try:
        yield data, [server.port for server in servers]
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            # A bounded graceful shutdown (as ``cadenza serve --graceful-seconds``): a socket
            # still busy after 3 s is cut, so a restart never hangs. (uvicorn re-raises the
            # signal once it has shut down, hence -SIGTERM.)
            assert server.process.wait(15) == -signal.SIGTERM


class Peer:
    """One test client's socket. A frame read past while waiting for another kind is kept, in
    order, for a later read: the author's own copy of an event and the ack of their write come
    in either order (the copy travels through Redis, the ack does not)."""

    def __init__(self, socket_: ClientConnection) -> None:
        self.socket = socket_
        self.kept: list[dict[str, Any]] = []

    async def send(self, frame: dict[str, Any]) -> None:
        await self.socket.send(json.dumps(frame))

    async def _read(self) -> dict[str, Any]:
        frame: dict[str, Any] = json.loads(await asyncio.wait_for(self.socket.recv(), 10))
        return frame

    async def next(self, kind: str) -> dict[str, Any]:
        for index, frame in enumerate(self.kept):
            if frame["type"] == kind:
                return self.kept.pop(index)
        while True:
            frame = await self._read()
            if frame["type"] == kind:
                return frame
            self.kept.append(frame)

    async def hello(self, last_seq: int) -> list[dict[str, Any]]:
        """The replay after ``hello`` up to ``room.caught_up``, presence frames left out."""
        assert self.kept == []
        await self.send({"type": "hello", "last_seq": last_seq})
        frames: list[dict[str, Any]] = []
        while True:
            frame = await self._read()
            if frame["type"] == "room.caught_up":
                return frames
            if frame["type"] != "live.presence":
                frames.append(frame)

    async def post(self, body: str) -> dict[str, Any]:
        cid = uuid.uuid4().hex
        await self.send({"type": "chat.post", "client_event_id": cid, "body": body})
        ack = await self.next("ack")
        assert ack["client_event_id"] == cid
        return ack

    async def read_until_closed(self) -> None:
        while True:
            await self._read()

    async def close(self) -> None:
        await self.socket.close()


async def _open(port: int, session_id: int, cookie: str) -> Peer:
    socket_ = await connect(
        f"ws://127.0.0.1:{port}/ws/live/{session_id}/",
        additional_headers={"Cookie": f"sessionid={cookie}", "Origin": f"http://127.0.0.1:{port}"},
        compression=None,
    )
    return Peer(socket_)


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
        for peer in (ada, bob, host):
            assert [f["type"] for f in await peer.hello(0)] == ["room.snapshot"]
        assert (await ada.post("From server one"))["seq"] == 1
        received = await bob.next("live.chat.posted")
        assert (received["seq"], received["body"]) == (1, "From server one")
        assert (await bob.post("From server two"))["seq"] == 2
        on_first = [await ada.next("live.chat.posted") for _ in range(2)]
        assert [(f["seq"], f["body"]) for f in on_first] == [
            (1, "From server one"),
            (2, "From server two"),
        ]

        await bob.close()
        assert (await ada.post("While Bob was away"))["seq"] == 3
        own = await ada.next("live.chat.posted")
        assert (own["seq"], own["body"]) == (3, "While Bob was away")
        bob = await _open(first, session, data["bob"])
        replay = await bob.hello(2)
        assert [(f["seq"], f["body"]) for f in replay] == [(3, "While Bob was away")]

        await bob.close()
        bob = await _open(second, session, data["bob"])
        assert (await bob.hello(3)) == []
        cid = uuid.uuid4().hex
        await host.send(
            {"type": "participant.remove", "client_event_id": cid, "user_id": data["bob_id"]}
        )
        assert (await host.next("ack"))["seq"] == 4
        with pytest.raises(ConnectionClosed) as closed:
            await bob.read_until_closed()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4403
    finally:
        for peer in (ada, bob, host):
            await peer.close()
