"""The server's websocket protocol: finished frames written beside uvicorn's own sends.

A real uvicorn server on a free port, with ``RoomWebSocketProtocol``, serves a small ASGI
application that writes finished frames (``cadenza.realtime.websocket_frames``) and ordinary
``websocket.send`` messages; a websockets client reads what arrives. This also catches a
uvicorn release that renames the state the protocol reads.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import pytest_asyncio
import uvicorn
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from cadenza.realtime.websocket_frames import FrameWriter, frame_writer, text_frame
from cadenza.realtime.websocket_server import WS_PROTOCOL, RoomWebSocketProtocol

pytestmark = pytest.mark.asyncio

Script = Callable[
    [FrameWriter | None, Callable[[dict[str, Any]], Awaitable[None]]], Awaitable[None]
]


class Served:
    """A uvicorn server running ``script`` for each socket; what the script saw is in ``seen``."""

    def __init__(self) -> None:
        self.script: Script | None = None
        self.seen: dict[str, Any] = {}
        self.done = asyncio.Event()
        self.filled = asyncio.Event()
        """Set once a script has written until the client's socket stopped taking frames."""
        self.url = ""

    async def app(
        self,
        scope: dict[str, Any],
        receive: Callable[[], Awaitable[dict[str, Any]]],
        send: Callable[[dict[str, Any]], Awaitable[None]],
    ) -> None:
        assert scope["type"] == "websocket"
        assert (await receive())["type"] == "websocket.connect"
        write = frame_writer(scope)
        self.seen["offered"] = write is not None
        if write is not None:
            self.seen["before accept"] = write(text_frame("too early"))
        await send({"type": "websocket.accept"})
        self.seen["receive"] = receive
        assert self.script is not None
        try:
            await self.script(write, send)
        finally:
            self.done.set()


class _Server(uvicorn.Server):
    """uvicorn's server, saying when it listens with an event to wait on (not a flag to poll)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.listening = asyncio.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.listening.set()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _serve(ws: Any) -> AsyncIterator[Served]:
    served = Served()
    port = _free_port()
    config = uvicorn.Config(
        served.app,
        host="127.0.0.1",
        port=port,
        ws=ws,
        ws_per_message_deflate=False,
        interface="asgi3",
        lifespan="off",
        log_level="warning",
    )
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    listening = asyncio.create_task(server.listening.wait())
    # A server that fails before it listens ends its task: that failure is raised, not waited on.
    await asyncio.wait({task, listening}, return_when=asyncio.FIRST_COMPLETED)
    if not listening.done():
        listening.cancel()
        await task
    assert server.started
    served.url = f"ws://127.0.0.1:{port}/"
    try:
        yield served
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


@pytest_asyncio.fixture
async def served() -> AsyncIterator[Served]:
    async for running in _serve(RoomWebSocketProtocol):
        yield running


async def test_finished_frames_and_ordinary_sends_arrive_whole_and_in_order(
    served: Served,
) -> None:
    big = "y" * 70_000

    async def script(write: FrameWriter | None, send: Any) -> None:
        assert write is not None
        served.seen["written"] = [write(text_frame("one"))]
        await send({"type": "websocket.send", "text": "two"})
        served.seen["written"] += [write(text_frame(big)), write(text_frame("Grüße 🎻"))]
        await send({"type": "websocket.send", "text": "five"})
        assert (await served.seen["receive"]())["text"] == "bye"
        await send({"type": "websocket.close", "code": 1000})

    served.script = script
    async with connect(served.url) as client:
        got = [await client.recv() for _ in range(5)]
        await client.send("bye")
        await served.done.wait()
    assert got == ["one", "two", big, "Grüße 🎻", "five"]
    assert served.seen["offered"] is True
    assert served.seen["before accept"] is False
    assert served.seen["written"] == [True, True, True]


async def test_a_client_that_stops_reading_is_not_written_past_flow_control(
    served: Served,
) -> None:
    """The writer declines once the transport pauses; what it took, and an ordinary send that
    waited for the socket, all arrive once the client reads again."""
    block = "z" * 65_536

    async def script(write: FrameWriter | None, send: Any) -> None:
        assert write is not None
        taken = 0
        while write(text_frame(f"{taken:08d}{block}")):
            taken += 1
            if taken % 16 == 0:
                await asyncio.sleep(0)  # let the transport flush and pause
        served.seen["taken"] = taken
        served.seen["declined again"] = write(text_frame("dropped"))
        served.filled.set()
        await send({"type": "websocket.send", "text": "after the pause"})
        await send({"type": "websocket.close", "code": 1000})

    served.script = script
    async with connect(served.url, max_queue=1, max_size=None) as client:
        # Reading stops at once (one queued message), so the server's buffers fill.
        await served.filled.wait()
        taken = served.seen["taken"]
        got = [await client.recv() for _ in range(taken + 1)]
        with pytest.raises(ConnectionClosed):
            await client.recv()
    assert taken > 0
    assert served.seen["declined again"] is False
    assert [int(frame[:8]) for frame in got[:-1]] == list(range(taken))
    assert all(frame[8:] == block for frame in got[:-1])
    assert got[-1] == "after the pause"


async def test_nothing_is_written_after_the_socket_closes(served: Served) -> None:
    async def script(write: FrameWriter | None, send: Any) -> None:
        assert write is not None
        await send({"type": "websocket.close", "code": 4403})
        served.seen["after close"] = write(text_frame("too late"))

    served.script = script
    async with connect(served.url) as client:
        with pytest.raises(ConnectionClosed) as closed:
            await client.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403
    assert served.seen["after close"] is False


async def test_a_client_that_left_is_not_written_to(served: Served) -> None:
    async def script(write: FrameWriter | None, send: Any) -> None:
        assert write is not None
        assert (await served.seen["receive"]())["type"] == "websocket.disconnect"
        served.seen["after leaving"] = write(text_frame("nobody there"))

    served.script = script
    async with connect(served.url):
        pass
    await asyncio.wait_for(served.done.wait(), 5)
    assert served.seen["after leaving"] is False


async def test_uvicorns_own_protocol_offers_no_writer_and_the_room_sends_the_ordinary_way() -> None:
    async for served in _serve("websockets-sansio"):

        async def script(write: FrameWriter | None, send: Any) -> None:
            await send({"type": "websocket.send", "text": "ordinary"})
            await send({"type": "websocket.close", "code": 1000})

        served.script = script
        async with connect(served.url) as client:
            assert await client.recv() == "ordinary"
    assert served.seen["offered"] is False


async def test_serve_names_the_protocol_uvicorn_loads() -> None:
    config = uvicorn.Config("cadenza.config.asgi:application", ws=WS_PROTOCOL)
    config.load()
    assert config.ws_protocol_class is RoomWebSocketProtocol
