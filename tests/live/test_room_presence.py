"""Presence: who is present in a newcomer's snapshot, and leaving that always counts, however
the socket ends (closed by the client in the middle of a write, a failing database, a failing
presence broadcast).

A real server raises an ``OSError`` (uvicorn's ``ClientDisconnected``) when the application
sends to a socket the client has closed; ``closing_client`` reproduces that around the real
ASGI application.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async
from uvicorn.protocols.utils import ClientDisconnected

from cadenza.accounts.models import User
from cadenza.live.models import LiveSession, PresenceInterval
from cadenza.live.room import events
from cadenza.realtime import hub as hub_module
from cadenza.realtime.connection import RoomConnection
from tests.live.conftest import ORIGIN, Classroom, Room, RoomClient, session_cookie

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

Send = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass
class ClosingClient:
    """A room client whose server refuses sends once the client has closed, like uvicorn."""

    client: RoomClient
    closed: asyncio.Event

    async def close_abruptly(self) -> None:
        """The tab goes away: sends fail from now on, and the disconnect is queued."""
        self.closed.set()
        await self.client.communicator.send_input({"type": "websocket.disconnect", "code": 1001})
        await self.client.communicator.wait(5)


async def closing_client(room: Room, user: User, session: LiveSession) -> ClosingClient:
    from cadenza.config.asgi import application

    closed = asyncio.Event()

    async def server(scope: dict[str, Any], receive: Any, send: Send) -> None:
        async def server_send(message: dict[str, Any]) -> None:
            if closed.is_set():
                raise ClientDisconnected()
            await send(message)

        await application(scope, receive, server_send)

    cookie = await database_sync_to_async(session_cookie)(user)
    path = f"/ws/live/{session.pk}/"
    scope = {
        "type": "websocket",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [
            (b"host", b"localhost"),
            (b"origin", ORIGIN.encode()),
            (b"cookie", f"sessionid={cookie}".encode()),
        ],
        "subprotocols": [],
        "client": ("127.0.0.1", 50001),
        "server": ("localhost", 80),
    }
    client = RoomClient(ApplicationCommunicator(server, scope))
    room.clients.append(client)
    accepted, code = await client.connect()
    assert accepted, f"refused with {code}"
    await client.hello()
    return ClosingClient(client=client, closed=closed)


def _open_intervals(user: User) -> int:
    return PresenceInterval.objects.filter(user=user, left_at__isnull=True).count()


def _left(classroom: Classroom, count: int) -> dict[str, Any]:
    return {
        "type": "live.presence",
        "joined": [],
        "left": [{"user_id": classroom.ada.pk, "name": "Ada"}],
        "count": count,
    }


def _ada_joined(classroom: Classroom, count: int) -> dict[str, Any]:
    return {
        "type": "live.presence",
        "joined": [{"user_id": classroom.ada.pk, "name": "Ada"}],
        "left": [],
        "count": count,
    }


async def _watching_host(classroom: Classroom, room: Room) -> RoomClient:
    host, _ = await room.join(classroom.host, classroom.session)
    host.ignore = set()
    assert (await host.events("live.presence"))["count"] == 1
    return host


@pytest.mark.parametrize(
    "last_frame",
    [
        {"type": "chat.post", "body": "bye", "client_event_id": "last-words"},
        {"type": "ping"},
        {"type": "hello", "last_seq": 0},
    ],
    ids=["write", "ping", "second-hello"],
)
async def test_a_tab_closed_while_the_server_answers_it_still_leaves_the_room(
    classroom: Classroom, room: Room, last_frame: dict[str, Any]
) -> None:
    host = await _watching_host(classroom, room)
    ada = await closing_client(room, classroom.ada, classroom.session)
    assert await host.events("live.presence") == _ada_joined(classroom, 2)
    await ada.client.send(last_frame)
    await ada.close_abruptly()
    assert await host.events("live.presence") == _left(classroom, 1)
    assert hub_module.get_hub().local_connections(classroom.session.pk) == 1
    assert await database_sync_to_async(_open_intervals)(classroom.ada) == 0


async def test_two_tabs_of_one_person_closed_abruptly_leave_once(
    classroom: Classroom, room: Room
) -> None:
    host = await _watching_host(classroom, room)
    first = await closing_client(room, classroom.ada, classroom.session)
    second = await closing_client(room, classroom.ada, classroom.session)
    assert (await host.events("live.presence"))["count"] == 2
    await first.client.send({"type": "ping"})
    await first.close_abruptly()
    assert await host.nothing_more(0.2)
    await second.client.send({"type": "chat.post", "body": "bye", "client_event_id": "b1"})
    await second.close_abruptly()
    assert await host.events("live.presence") == _left(classroom, 1)
    assert (await host.events("live.chat.posted"))["body"] == "bye"
    assert await host.nothing_more(0.2)
    assert await database_sync_to_async(_open_intervals)(classroom.ada) == 0


async def test_leaving_is_broadcast_when_closing_the_presence_interval_fails(
    classroom: Classroom, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    host = await _watching_host(classroom, room)
    ada, _ = await room.join(classroom.ada, classroom.session)
    assert await host.events("live.presence") == _ada_joined(classroom, 2)

    def database_down(connection_id: str) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr("cadenza.live.room.consumers._leave_attendance", database_down)
    await ada.close()
    assert await host.events("live.presence") == _left(classroom, 1)
    assert hub_module.get_hub().local_connections(classroom.session.pk) == 1


async def test_the_presence_interval_is_closed_when_counting_the_departure_fails(
    classroom: Classroom, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _watching_host(classroom, room)
    ada, _ = await room.join(classroom.ada, classroom.session)

    async def presence_store_down(connection: RoomConnection) -> tuple[bool, int]:
        raise ConnectionError("Redis went away")

    monkeypatch.setattr(hub_module.get_hub(), "depart", presence_store_down)
    await ada.close()
    assert await database_sync_to_async(_open_intervals)(classroom.ada) == 0
    assert hub_module.get_hub().local_connections(classroom.session.pk) == 1


async def test_a_newcomers_snapshot_lists_the_people_present_once_each(
    classroom: Classroom, room: Room
) -> None:
    await room.join(classroom.host, classroom.session)
    ada, _ = await room.join(classroom.ada, classroom.session)
    await room.join(classroom.ada, classroom.session)
    _bob, frames = await room.join(classroom.bob, classroom.session)
    assert frames[0]["present"] == [
        {"user_id": classroom.ada.pk, "name": "Ada"},
        {"user_id": classroom.bob.pk, "name": "Bob"},
        {"user_id": classroom.host.pk, "name": "Ines"},
    ]
    await ada.close()
    _alma, frames = await room.join(classroom.admin, classroom.session)
    assert frames[0]["present"] == [
        {"user_id": classroom.ada.pk, "name": "Ada"},
        {"user_id": classroom.admin.pk, "name": "Alma"},
        {"user_id": classroom.bob.pk, "name": "Bob"},
        {"user_id": classroom.host.pk, "name": "Ines"},
    ]


async def test_the_first_person_in_sees_only_themselves_present(
    classroom: Classroom, room: Room
) -> None:
    _ada, frames = await room.join(classroom.ada, classroom.session)
    assert frames[0]["present"] == [{"user_id": classroom.ada.pk, "name": "Ada"}]


async def test_the_protocol_documents_every_key_of_the_snapshot(
    classroom: Classroom, room: Room
) -> None:
    _ada, frames = await room.join(classroom.ada, classroom.session)
    documented = " ".join((events.__doc__ or "").split())
    head = documented.split('``{"type": "room.snapshot", ')[1].split("}``")[0]
    assert ["type", *(key.strip('" ') for key in head.split(","))] == list(frames[0])
    assert '``present`` (``[{"user_id", "name"}]``, by name) lists up to ``PRESENT_LISTED``' in (
        documented
    )
