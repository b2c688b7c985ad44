"""The room protocol end to end: admission, hello/replay/snapshot, retries, heartbeat frames,
bad frames, and a slow reader's resync."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from channels.db import database_sync_to_async

from cadenza.live.models import ChatMessage, RoomEvent
from cadenza.live.room import events
from cadenza.live.sessions.video_signalling import (
    RTC_ANSWER,
    SIGNAL_TYPES,
    IceMessage,
    SessionDescription,
)
from cadenza.realtime import hub as hub_module
from cadenza.realtime import publish
from cadenza.realtime import wire as hub_wire
from tests.live.conftest import (
    Classroom,
    Room,
    post_as_ada,
    post_many_as_ada,
    stored_events,
)

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_first_hello_gets_a_snapshot_of_the_room(classroom: Classroom, room: Room) -> None:
    await database_sync_to_async(post_as_ada)(classroom, "Good morning", "c1")
    _ada, frames = await room.join(classroom.ada, classroom.session)
    assert [f["type"] for f in frames] == ["room.snapshot"]
    snapshot = frames[0]
    assert snapshot["seq"] == 1
    assert [m["body"] for m in snapshot["chat"]] == ["Good morning"]
    assert snapshot["me"] == {
        "user_id": classroom.ada.pk,
        "name": "Ada",
        "is_host": False,
        "muted": False,
        "breakout_id": None,
    }


async def test_reconnecting_client_receives_exactly_the_events_it_missed(
    classroom: Classroom, room: Room
) -> None:
    for n in range(1, 4):
        await database_sync_to_async(post_as_ada)(classroom, f"message {n}", f"c{n}")
    bob, _frames = await room.join(classroom.bob, classroom.session, last_seq=0)
    await database_sync_to_async(post_as_ada)(classroom, "message 4", "c4")
    assert (await bob.events("live.chat.posted"))["seq"] == 4
    await bob.close()
    await database_sync_to_async(post_as_ada)(classroom, "message 5", "c5")
    await database_sync_to_async(post_as_ada)(classroom, "message 6", "c6")

    back, replay = await room.join(classroom.bob, classroom.session, last_seq=4)
    assert [(f["seq"], f["body"]) for f in replay] == [(5, "message 5"), (6, "message 6")]
    await database_sync_to_async(post_as_ada)(classroom, "message 7", "c7")
    live = await back.receive()
    assert (live["type"], live["seq"]) == ("live.chat.posted", 7)
    assert await back.nothing_more()


async def test_a_client_too_far_behind_gets_a_snapshot(
    classroom: Classroom, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cadenza.live.room.selectors.room.REPLAY_LIMIT", 2)
    for n in range(1, 5):
        await database_sync_to_async(post_as_ada)(classroom, f"message {n}", f"c{n}")
    _bob, frames = await room.join(classroom.bob, classroom.session, last_seq=1)
    assert [f["type"] for f in frames] == ["room.snapshot"]
    assert frames[0]["seq"] == 4
    assert [m["body"] for m in frames[0]["chat"]] == [f"message {n}" for n in range(1, 5)]


async def test_a_retried_write_is_stored_once_and_answered_with_the_same_ack(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    first = await ada.write("chat.post", body="Hello", client_event_id="retry-1")
    again = await ada.write("chat.post", body="Hello", client_event_id="retry-1")
    assert first == again == {"type": "ack", "client_event_id": "retry-1", "seq": 1}
    assert await database_sync_to_async(stored_events)(classroom.session) == [
        (1, "live.chat.posted")
    ]
    assert await database_sync_to_async(ChatMessage.objects.count)() == 1


async def test_the_same_client_event_id_from_two_people_is_two_writes(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    assert (await ada.write("chat.post", body="A", client_event_id="same"))["seq"] == 1
    assert (await bob.write("chat.post", body="B", client_event_id="same"))["seq"] == 2


async def test_a_foreign_origin_is_refused_at_the_handshake(
    classroom: Classroom, room: Room
) -> None:
    client = await room.client(classroom.ada, classroom.session, origin="https://evil.example")
    assert await client.connect() == (False, None)


@pytest.mark.parametrize("who", ["stranger", "carl", "nobody"])
async def test_people_who_may_not_see_the_session_are_refused(
    classroom: Classroom, room: Room, who: str
) -> None:
    user = None if who == "nobody" else getattr(classroom, who)
    client = await room.client(user, classroom.session)
    assert await client.connect() == (False, 4403)


async def test_another_organizations_session_is_refused(classroom: Classroom, room: Room) -> None:
    client = await room.client(classroom.ada, classroom.foreign_session)
    assert await client.connect() == (False, 4403)


async def test_ping_is_answered_and_bad_frames_get_a_clear_error(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    await ada.send({"type": "ping"})
    assert await ada.receive() == {"type": "pong"}
    await ada.communicator.send_input({"type": "websocket.receive", "text": "not json"})
    assert await ada.receive() == {"type": "error", "detail": "Send JSON objects with a type."}
    assert await ada.write("chat.shout", body="x", client_event_id="e0") == {
        "type": "error",
        "client_event_id": "e0",
        "detail": "Unknown frame type 'chat.shout'.",
    }
    bad = await ada.write("chat.post", body="x", colour="red", client_event_id="e1")
    assert bad == {"type": "error", "client_event_id": "e1", "detail": "Unexpected fields: colour."}
    await ada.send({"type": "chat.post", "body": "no id"})
    assert await ada.receive() == {
        "type": "error",
        "detail": 'A write needs a "client_event_id" of 1 to 64 characters.',
    }
    assert await database_sync_to_async(RoomEvent.objects.count)() == 0


async def test_the_server_pings_on_its_heartbeat(
    classroom: Classroom, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cadenza.realtime.sweep.HEARTBEAT_SECONDS", 0.2)
    ada, _ = await room.join(classroom.ada, classroom.session)
    assert await ada.events("ping", within=3) == {"type": "ping"}


async def test_a_slow_reader_whose_queue_overflows_resyncs_without_loss(
    classroom: Classroom, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    await database_sync_to_async(post_as_ada)(classroom, "message 1", "c1")
    bob, _ = await room.join(classroom.bob, classroom.session)
    hub = hub_module.get_hub()
    hub.queue_size = 3
    slow, _ = await room.join(classroom.ada, classroom.session)
    (connection,) = [
        c for c in hub._rooms[classroom.session.pk].connections if c.queue.maxsize == 3
    ]
    held: list[dict[str, Any]] = []
    monkeypatch.setattr(
        "cadenza.live.room.actions.numbering.publish_event", lambda **message: held.append(message)
    )
    await database_sync_to_async(post_many_as_ada)(classroom, 2, 11)
    # Ten events reach the hub in one burst, before the slow socket's writer can run.
    for message in held:
        hub.receive(classroom.session.pk, hub_wire.wire_message(**_wire_args(message)))

    frames = await slow.until("room.caught_up")
    assert connection.overflows == 1
    assert [f["seq"] for f in frames[:-1]] == list(range(2, 12))
    assert frames[-1] == {"type": "room.caught_up", "seq": 11}
    assert [(await bob.events("live.chat.posted"))["seq"] for _ in range(10)] == list(range(2, 12))
    assert await slow.nothing_more()


def _wire_args(message: dict[str, Any]) -> dict[str, Any]:
    return {"seq": message["seq"], "audience": message["audience"], "frame": message["frame"]}


async def test_the_hub_fills_a_gap_with_one_read_for_all_its_listeners(
    classroom: Classroom, room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    original = publish.publish_event

    def lose_the_second(**message: Any) -> None:
        if message["seq"] != 2:
            original(**message)

    monkeypatch.setattr("cadenza.live.room.actions.numbering.publish_event", lose_the_second)
    for n in range(1, 4):
        await database_sync_to_async(post_as_ada)(classroom, f"message {n}", f"c{n}")
    for client in (ada, bob):
        got = [await client.events("live.chat.posted") for _ in range(3)]
        assert [f["seq"] for f in got] == [1, 2, 3]
    assert hub_module.get_hub().gap_reads == 1


async def test_video_signalling_reaches_only_its_recipient_with_the_sender_set_by_the_server(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    await ada.send({"type": "live.rtc.offer", "to": classroom.bob.pk, "sdp": sdp})
    assert await bob.events("live.rtc.offer") == {
        "type": "live.rtc.offer",
        "from": classroom.ada.pk,
        "to": classroom.bob.pk,
        "sdp": sdp,
    }
    assert await host.nothing_more(0.1)
    await ada.send({"type": "live.rtc.offer", "to": classroom.bob.pk, "sdp": "nonsense"})
    assert (await ada.events("error"))["detail"] == (
        '"sdp" must be a session description starting with "v=0".'
    )
    assert await database_sync_to_async(RoomEvent.objects.count)() == 0


async def test_video_signalling_stays_within_each_part_of_the_room(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    plan = [
        {"name": "Triage", "members": [classroom.ada.pk]},
        {"name": "Fluids", "members": [classroom.bob.pk]},
    ]
    assert (await host.write("breakouts.start", rooms=plan))["seq"] == 1
    sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    refusal = {
        "type": "error",
        "detail": "That person is in another part of the room (each breakout room has its own "
        "video).",
    }
    await ada.send({"type": "live.rtc.offer", "to": classroom.bob.pk, "sdp": sdp})
    assert await ada.events("error") == refusal
    await host.send({"type": "live.rtc.ice", "to": classroom.ada.pk, "candidate": None})
    assert await host.events("error") == refusal
    assert (await bob.events("live.breakouts.started"))["seq"] == 1
    assert await bob.nothing_more(0.2)

    assert (await host.write("breakouts.close"))["seq"] == 2
    await ada.send({"type": "live.rtc.offer", "to": classroom.bob.pk, "sdp": sdp})
    assert (await bob.events("live.rtc.offer"))["from"] == classroom.ada.pk
    await host.send({"type": "live.rtc.ice", "to": classroom.ada.pk, "candidate": None})
    assert await ada.events("live.rtc.ice") == {
        "type": "live.rtc.ice",
        "from": classroom.host.pk,
        "to": classroom.ada.pk,
        "candidate": None,
    }
    assert await database_sync_to_async(stored_events)(classroom.session) == [
        (1, "live.breakouts.started"),
        (2, "live.breakouts.closed"),
    ]


def _documented(doc: str) -> str:
    return " ".join(doc.split())


def _shape(frame: Mapping[str, object]) -> str:
    return "``{" + ", ".join(f'"{key}"' for key in frame if key != "type") + "}``"


async def test_the_protocol_documents_the_signalling_frames_in_both_directions() -> None:
    client_part, server_part = _documented(events.__doc__ or "").split("Server -> client")
    offer = SessionDescription(type=RTC_ANSWER, from_user_id=3, to_user_id=8, sdp="v=0").frame()
    ice = IceMessage(from_user_id=3, to_user_id=8, candidate=None).frame()
    for kind in SIGNAL_TYPES:
        assert kind in client_part
        assert kind in server_part
    assert f"``live.rtc.offer`` / ``live.rtc.answer`` {_shape(offer)}" in server_part
    assert f"``live.rtc.ice`` {_shape(ice)}" in server_part
    assert '"to": user_id, "sdp": "v=0..."' in client_part
    assert '"to": user_id, "candidate": {"candidate", "sdpMid",' in client_part
    assert "rtc.signal" not in client_part + server_part
