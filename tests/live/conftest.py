"""Shared fixtures of the live-room tests: a school with a live session, and room clients that
talk to the real ASGI application (Origin check, session cookie, routing, consumer, hub).

``channels.testing`` needs daphne, which Cadenza does not install, so ``RoomClient`` drives the
application with asgiref's ``ApplicationCommunicator`` directly.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from django.db import transaction
from django.test import Client
from pytest_django.fixtures import Settings

from cadenza.accounts.models import User
from cadenza.courses.actions import publish_course
from cadenza.live.models import LiveSession, RoomEvent, SessionFormat
from cadenza.live.schedule.actions.scheduling import schedule_live_session
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import OrgContext, access_org
from cadenza.realtime.hub import reset_hub
from cadenza.realtime.websocket_frames import PREFRAMED
from tests.factories import enrol, make_course, make_module, make_org, make_user
from tests.websocket_reader import read_frames

ORIGIN = "http://localhost"


@dataclass
class Classroom:
    org: Organization
    session: LiveSession
    host: User
    """The instructor hosting the session."""
    admin: User
    ada: User
    bob: User
    """Ada and Bob: enrolled learners."""
    carl: User
    """A learner of the organization, not enrolled."""
    stranger: User
    """An instructor of another organization."""
    foreign_session: LiveSession
    """A session of the other organization."""


def _school(slug: str, *, name: str) -> tuple[Organization, User, LiveSession]:
    org = make_org(slug=slug, name=name)
    host = make_user(org, Role.INSTRUCTOR, email=f"host@{slug}.example.org", display_name="Ines")
    course = make_course(org, title="Sepsis basics", slug="sepsis")
    module = make_module(course, "Week 1")
    starts = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    scheduled = schedule_live_session(
        module=module,
        title="Sepsis simulation",
        agenda="",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        hosts=[host],
        format=SessionFormat.CLASS,
        created_by=host,
    )
    publish_course(course=course)
    return org, host, scheduled.sessions[0]


def build_classroom() -> Classroom:
    org, host, session = _school("harbour", name="Harbour Hospital")
    admin = make_user(org, Role.ADMIN, email="alma@example.org", display_name="Alma")
    ada = make_user(org, email="ada@example.org", display_name="Ada")
    bob = make_user(org, email="bob@example.org", display_name="Bob")
    carl = make_user(org, email="carl@example.org", display_name="Carl")
    enrol(session.course, ada)
    enrol(session.course, bob)
    _other, stranger, foreign = _school("elsewhere", name="Elsewhere")
    return Classroom(
        org=org,
        session=session,
        host=host,
        admin=admin,
        ada=ada,
        bob=bob,
        carl=carl,
        stranger=stranger,
        foreign_session=foreign,
    )


@pytest.fixture
def classroom(transactional_db: None) -> Classroom:
    return build_classroom()


def ctx_of(user: User, org: Organization) -> OrgContext:
    return access_org(user=user, slug=org.slug)


def post_as_ada(classroom: Classroom, body: str, cid: str) -> RoomEvent:
    """Ada posts a chat message through the action (outside any socket)."""
    from cadenza.live.room.actions.chat import post_chat_message

    ctx = ctx_of(classroom.ada, classroom.org)
    return post_chat_message(ctx=ctx, session=classroom.session, body=body, client_event_id=cid)


@transaction.atomic
def post_many_as_ada(classroom: Classroom, first: int, last: int) -> None:
    """Several events committed at once: the hub receives them in one burst."""
    for n in range(first, last + 1):
        post_as_ada(classroom, f"message {n}", f"c{n}")


def stored_events(session: LiveSession) -> list[tuple[int, str]]:
    return list(
        RoomEvent.objects.filter(session=session).order_by("seq").values_list("seq", "type")
    )


def session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@dataclass
class RoomClient:
    """One browser tab's socket, talking to the real ASGI application."""

    communicator: ApplicationCommunicator
    buffer: list[dict[str, Any]] = field(default_factory=list)
    connected: bool = False
    ignore: set[str] = field(default_factory=lambda: {"live.presence"})
    """Ephemeral frame types dropped on arrival (a presence test clears this)."""

    async def connect(self) -> tuple[bool, int | None]:
        """(True, None) when admitted; (False, code) when refused: before the handshake (the
        Origin check, code None) or by an accept followed at once by a close with the reason's
        code, which the consumer sends without pausing between the two."""
        await self.communicator.send_input({"type": "websocket.connect"})
        response = await self.communicator.receive_output(5)
        if response["type"] == "websocket.close":
            return False, response.get("code")
        assert response["type"] == "websocket.accept"
        if not self.communicator.output_queue.empty():
            following = await self.communicator.receive_output(1)
            if following["type"] == "websocket.close":
                return False, following.get("code")
            frame = json.loads(following["text"])
            if frame.get("type") not in self.ignore:
                self.buffer.append(frame)
        self.connected = True
        return True, None

    async def send(self, frame: dict[str, Any]) -> None:
        await self.communicator.send_input({"type": "websocket.receive", "text": json.dumps(frame)})

    async def _next(self, within: float) -> dict[str, Any]:
        while True:
            frame = await self._frame(within)
            if frame.get("type") not in self.ignore:
                return frame

    async def _frame(self, within: float) -> dict[str, Any]:
        message = await self.communicator.receive_output(within)
        if message["type"] == "websocket.close":
            self.connected = False
            return {"type": "websocket.close", "code": message.get("code")}
        assert message["type"] == "websocket.send", message
        frame: dict[str, Any] = json.loads(message["text"])
        return frame

    async def receive(self, within: float = 5) -> dict[str, Any]:
        if self.buffer:
            return self.buffer.pop(0)
        return await self._next(within)

    async def expect(
        self, match: Callable[[dict[str, Any]], bool] | str, within: float = 5
    ) -> dict[str, Any]:
        """The first frame matching (a type name or a predicate); others stay buffered."""
        test = (lambda f: f.get("type") == match) if isinstance(match, str) else match
        for index, frame in enumerate(self.buffer):
            if test(frame):
                return self.buffer.pop(index)
        while True:
            frame = await self._next(within)
            if test(frame):
                return frame
            self.buffer.append(frame)

    async def until(self, kind: str, within: float = 5) -> list[dict[str, Any]]:
        """Every frame up to and including the next one of type ``kind``, in order."""
        frames = []
        while True:
            frame = await self.receive(within)
            frames.append(frame)
            if frame.get("type") == kind:
                return frames

    async def hello(self, last_seq: int = 0) -> list[dict[str, Any]]:
        """Say hello and return what the server replays, without the closing caught_up."""
        await self.send({"type": "hello", "last_seq": last_seq})
        return (await self.until("room.caught_up"))[:-1]

    async def write(self, kind: str, **fields: Any) -> dict[str, Any]:
        """Send a write and return its ack or error frame."""
        cid = str(fields.pop("client_event_id", uuid.uuid4()))
        await self.send({"type": kind, "client_event_id": cid, **fields})
        return await self.expect(
            lambda f: f.get("type") in ("ack", "error") and f.get("client_event_id") == cid
        )

    async def events(self, kind: str, within: float = 5) -> dict[str, Any]:
        return await self.expect(kind, within)

    async def nothing_more(self, within: float = 0.3) -> bool:
        """No frame (other than ignored ones) is waiting or arrives within ``within`` seconds."""
        while not self.buffer:
            if await self.communicator.receive_nothing(within):
                return True
            frame = await self._frame(within)
            if frame.get("type") not in self.ignore:
                self.buffer.append(frame)
        return False

    async def close(self) -> None:
        """Disconnect (the consumer's cleanup runs) and wait for the application to end."""
        if not self.communicator.future.done():
            await self.communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        self.connected = False
        await self.communicator.wait(5)


@dataclass
class ServerWire:
    """A server that takes finished frames (``cadenza.realtime.websocket_frames``), like
    ``cadenza serve``: each frame is parsed back and handed to the client as the server would.
    ``paused`` makes it decline, like a socket whose client reads slowly."""

    client: RoomClient | None = None
    paused: bool = False
    written: list[str] = field(default_factory=list)
    writes: list[list[str]] = field(default_factory=list)
    """The frame types of each write, in order."""

    def write(self, data: bytes) -> bool:
        if self.paused:
            return False
        assert self.client is not None
        self.writes.append([])
        for frame in read_frames(data):
            text = bytes(frame.data).decode()
            self.written.append(text)
            self.writes[-1].append(json.loads(text)["type"])
            self.client.communicator.output_queue.put_nowait(
                {"type": "websocket.send", "text": text}
            )
        return True

    def types(self, *, ignore: tuple[str, ...] = ("live.presence", "ping")) -> list[str]:
        kinds = [json.loads(text)["type"] for text in self.written]
        return [kind for kind in kinds if kind not in ignore]


@dataclass
class Room:
    """Opens room clients for people; every client is closed when the test ends."""

    clients: list[RoomClient] = field(default_factory=list)

    async def client(
        self,
        user: User | None,
        session: LiveSession,
        *,
        origin: str = ORIGIN,
        wire: ServerWire | None = None,
    ) -> RoomClient:
        from cadenza.config.asgi import application

        headers = [(b"host", b"localhost"), (b"origin", origin.encode())]
        if user is not None:
            cookie = await database_sync_to_async(session_cookie)(user)
            headers.append((b"cookie", f"sessionid={cookie}".encode()))
        scope: dict[str, Any] = {
            "type": "websocket",
            "path": f"/ws/live/{session.pk}/",
            "raw_path": f"/ws/live/{session.pk}/".encode(),
            "query_string": b"",
            "headers": headers,
            "subprotocols": [],
            "client": ("127.0.0.1", 50000),
            "server": ("localhost", 80),
        }
        if wire is not None:
            scope["extensions"] = {PREFRAMED: {"write": wire.write}}
        client = RoomClient(ApplicationCommunicator(application, scope))
        if wire is not None:
            wire.client = client
        self.clients.append(client)
        return client

    async def join(
        self, user: User, session: LiveSession, *, last_seq: int = 0, wire: ServerWire | None = None
    ) -> tuple[RoomClient, list[dict[str, Any]]]:
        """A connected client that said hello; with what the server replayed to it."""
        client = await self.client(user, session, wire=wire)
        accepted, code = await client.connect()
        assert accepted, f"refused with {code}"
        return client, await client.hello(last_seq)


@pytest_asyncio.fixture
async def room(settings: Settings) -> AsyncIterator[Room]:
    """Room clients against the in-process hub (no Redis), closed and reset afterwards."""
    settings.REDIS_URL = ""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    # Presence frames at most every 50 ms and a sweep every 200 ms: the tests wait for them.
    settings.LIVE_PRESENCE_INTERVAL = 0.05
    settings.LIVE_SWEEP_SECONDS = 0.2
    # Runs of frames at most every 10 ms (the window's own test sets its own).
    settings.LIVE_FLUSH_SECONDS = 0.01
    async with room_clients() as opened:
        yield opened


@contextlib.asynccontextmanager
async def room_clients() -> AsyncIterator[Room]:
    """Room clients against a fresh hub made from the settings as they are now; the clients
    are closed and the hub reset afterwards."""
    await reset_hub()
    opened = Room()
    try:
        yield opened
    finally:
        for client in opened.clients:
            await client.close()
        await reset_hub()
