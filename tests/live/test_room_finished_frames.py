"""The room on a server that takes finished frames (``cadenza serve``): the hub writes each
event's frame, built once, straight to every socket whose writer is idle; a socket that cannot
take it (a slow reader) gets it from its queue, in order, and nothing is lost or doubled."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from channels.db import database_sync_to_async

from cadenza.live.room.events import Person
from cadenza.realtime import hub as hub_module
from cadenza.realtime import wire as hub_wire
from cadenza.realtime.connection import RoomConnection
from cadenza.realtime.websocket_frames import OutgoingFrame
from tests.live.conftest import Classroom, Room, ServerWire, post_as_ada, post_many_as_ada

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_each_event_is_written_straight_to_every_idle_socket(
    classroom: Classroom, room: Room
) -> None:
    bob_wire, host_wire = ServerWire(), ServerWire()
    bob, _ = await room.join(classroom.bob, classroom.session, wire=bob_wire)
    host, _ = await room.join(classroom.host, classroom.session, wire=host_wire)
    ada, _ = await room.join(classroom.ada, classroom.session)  # a server without the writer

    ack = await ada.write("chat.post", body="Hello, room")
    assert ack["type"] == "ack"
    for client in (bob, host, ada):
        frame = await client.events("live.chat.posted")
        assert (frame["seq"], frame["body"]) == (ack["seq"], "Hello, room")
    assert bob_wire.types() == ["live.chat.posted"]
    assert host_wire.types() == ["live.chat.posted"]
    # Replies to a socket's own frames (the snapshot, acks) still go the ordinary way.
    assert await bob.nothing_more()


async def test_a_socket_that_cannot_take_frames_gets_them_from_its_queue_in_order(
    classroom: Classroom, room: Room
) -> None:
    wire = ServerWire()
    bob, _ = await room.join(classroom.bob, classroom.session, wire=wire)
    wire.paused = True
    for n in range(1, 4):
        await database_sync_to_async(post_as_ada)(classroom, f"message {n}", f"c{n}")
    got = [await bob.events("live.chat.posted") for _ in range(3)]
    assert [(f["seq"], f["body"]) for f in got] == [(n, f"message {n}") for n in range(1, 4)]
    assert wire.types() == []

    wire.paused = False
    await database_sync_to_async(post_as_ada)(classroom, "message 4", "c4")
    assert (await bob.events("live.chat.posted"))["seq"] == 4
    assert wire.types() == ["live.chat.posted"]
    assert await bob.nothing_more()


async def test_a_paused_socket_whose_queue_overflows_resyncs_without_loss_or_double(
    classroom: Classroom, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = hub_module.get_hub()
    hub.queue_size = 3
    wire = ServerWire()
    await database_sync_to_async(post_as_ada)(classroom, "message 1", "c1")
    bob, _ = await room.join(classroom.bob, classroom.session, wire=wire)
    (connection,) = hub._rooms[classroom.session.pk].connections
    held: list[dict[str, Any]] = []
    monkeypatch.setattr(
        "cadenza.live.room.actions.numbering.publish_event", lambda **message: held.append(message)
    )
    await database_sync_to_async(post_many_as_ada)(classroom, 2, 8)
    wire.paused = True
    # Seven events reach the hub in one burst while the socket takes nothing.
    for message in held:
        hub.receive(
            classroom.session.pk,
            hub_wire.wire_message(
                seq=message["seq"], audience=message["audience"], frame=message["frame"]
            ),
        )
    frames = await bob.until("room.caught_up")
    assert [f["seq"] for f in frames[:-1]] == list(range(2, 9))
    assert frames[-1] == {"type": "room.caught_up", "seq": 8}
    assert (connection.overflows, wire.types()) == (1, [])

    wire.paused = False
    monkeypatch.undo()
    await database_sync_to_async(post_as_ada)(classroom, "message 9", "c9")
    assert (await bob.events("live.chat.posted"))["seq"] == 9
    assert wire.types() == ["live.chat.posted"]
    assert await bob.nothing_more()


async def test_frames_that_follow_closely_go_out_together_in_one_write(
    classroom: Classroom, room: Room
) -> None:
    wire = ServerWire()
    bob, _ = await room.join(classroom.bob, classroom.session, wire=wire)
    hub_module.get_hub().flush_window = 0.5
    await asyncio.sleep(0.6)  # a quiet spell (Bob's own arrival has been announced)
    wire.writes.clear()
    for n in range(1, 4):
        await database_sync_to_async(post_as_ada)(classroom, f"message {n}", f"c{n}")
    got = [await bob.events("live.chat.posted") for _ in range(3)]
    assert [f["seq"] for f in got] == [1, 2, 3]
    # The first went out at once; the next two, posted within the window, in one write.
    assert wire.writes == [["live.chat.posted"], ["live.chat.posted", "live.chat.posted"]]


class _Writer:
    def __init__(self) -> None:
        self.taken: list[bytes] = []
        self.accept = True

    def __call__(self, data: bytes) -> bool:
        if self.accept:
            self.taken.append(data)
        return self.accept


def _connection() -> tuple[RoomConnection, _Writer]:
    connection = RoomConnection(
        session_id=1, person=Person(user_id=7, name="Bob"), is_moderator=False, queue_size=4
    )
    writer = _Writer()
    connection.write_now = writer
    return connection, writer


async def test_a_frame_goes_straight_out_only_while_the_writer_waits_on_an_empty_queue() -> None:
    connection, writer = _connection()
    first, second, third = OutgoingFrame('{"n":1}'), OutgoingFrame('{"n":2}'), OutgoingFrame("{}")

    connection.offer(1, first)  # the writer has not started (no hello yet): queued
    assert (writer.taken, connection.queue.qsize()) == ([], 1)

    connection.queue.get_nowait()
    connection.idle = True
    connection.offer(2, second)
    assert (writer.taken, connection.sent_seq) == ([second.wire()], 2)

    connection.offer(2, second)  # already sent (a gap read racing the live frame): dropped
    connection.offer(1, first)
    assert (writer.taken, connection.queue.qsize()) == ([second.wire()], 0)

    writer.accept = False
    connection.offer(3, third)  # the socket declined: the writer sends it
    assert connection.queue.get_nowait() == (3, third)
    assert connection.sent_seq == 2


async def test_a_queued_frame_keeps_later_frames_behind_it() -> None:
    connection, writer = _connection()
    connection.idle = True
    writer.accept = False
    early, late = OutgoingFrame('{"n":1}'), OutgoingFrame('{"n":2}')
    connection.offer(1, early)
    writer.accept = True
    connection.offer(2, late)  # the socket could take it, but 1 is still waiting
    assert writer.taken == []
    assert [connection.queue.get_nowait(), connection.queue.get_nowait()] == [(1, early), (2, late)]
