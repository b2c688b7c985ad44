"""Moderation and the room's state through the socket: mute, remove (sockets closed at once),
open and close the room, presence."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from cadenza.courses.actions import withdraw_learner
from cadenza.courses.models import Enrolment
from cadenza.live.models import ChatMessage, LiveSession, ParticipantRestriction
from tests.live.conftest import Classroom, Room, stored_events

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _withdraw(classroom: Classroom) -> None:
    enrolment = Enrolment.objects.get(course=classroom.session.course, user=classroom.ada)
    withdraw_learner(enrolment=enrolment)


async def test_a_muted_person_cannot_chat_until_unmuted(classroom: Classroom, room: Room) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    refused = await bob.write("participant.mute", user_id=classroom.ada.pk)
    assert refused["detail"] == "Only the session's hosts may do this."
    assert (await host.write("participant.mute", user_id=classroom.ada.pk))["seq"] == 1
    muted = await bob.events("live.participant.muted")
    assert muted["person"] == {"user_id": classroom.ada.pk, "name": "Ada"}
    quiet = await ada.write("chat.post", body="but...")
    assert quiet["detail"] == "You are muted in this session's chat."
    assert await database_sync_to_async(ChatMessage.objects.count)() == 0
    assert (await host.write("participant.unmute", user_id=classroom.ada.pk))["seq"] == 2
    assert (await bob.events("live.participant.unmuted"))["seq"] == 2
    assert (await ada.write("chat.post", body="thanks"))["seq"] == 3
    hosts_cannot_be_muted = await host.write("participant.mute", user_id=classroom.host.pk)
    assert hosts_cannot_be_muted["detail"] == "Hosts cannot be muted or removed."


async def test_a_removed_person_is_disconnected_and_cannot_come_back(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    second_tab, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    assert (await host.write("participant.remove", user_id=classroom.ada.pk))["seq"] == 1
    assert (await bob.events("live.participant.removed"))["person"]["name"] == "Ada"
    for tab in (ada, second_tab):
        assert await tab.events("websocket.close") == {"type": "websocket.close", "code": 4403}
    again = await room.client(classroom.ada, classroom.session)
    assert await again.connect() == (False, 4403)
    restriction = await database_sync_to_async(ParticipantRestriction.objects.get)()
    assert (restriction.user_id, restriction.kind) == (classroom.ada.pk, "removed")


async def test_an_unenrolled_learners_next_write_is_refused_and_closes_the_socket(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    await database_sync_to_async(_withdraw)(classroom)
    refused = await ada.write("chat.post", body="still here?")
    assert refused["detail"] == "You no longer have access to this session."
    assert await ada.events("websocket.close") == {"type": "websocket.close", "code": 4403}
    assert await database_sync_to_async(ChatMessage.objects.count)() == 0


async def test_hosts_open_and_close_the_room_and_a_closed_room_takes_no_learner_writes(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    assert (await ada.write("room.open"))["detail"] == "Only the session's hosts may do this."
    assert (await host.write("room.open"))["seq"] == 1
    opened = await ada.events("live.room.opened")
    session = await database_sync_to_async(LiveSession.objects.get)(pk=classroom.session.pk)
    assert session.opened_at is not None
    assert opened["at"] == session.opened_at.isoformat()
    assert (await host.write("room.close"))["seq"] == 2
    assert (await ada.events("live.room.closed"))["seq"] == 2
    assert (await ada.write("hand.raise"))["detail"] == "The session has ended."
    assert await database_sync_to_async(stored_events)(classroom.session) == [
        (1, "live.room.opened"),
        (2, "live.room.closed"),
    ]


async def test_presence_counts_people_not_tabs_and_is_not_stored(
    classroom: Classroom, room: Room
) -> None:
    host, _ = await room.join(classroom.host, classroom.session)
    host.ignore = set()
    assert (await host.events("live.presence"))["count"] == 1
    ada, _ = await room.join(classroom.ada, classroom.session)
    assert await host.events("live.presence") == {
        "type": "live.presence",
        "joined": [{"user_id": classroom.ada.pk, "name": "Ada"}],
        "left": [],
        "count": 2,
    }
    second_tab, _ = await room.join(classroom.ada, classroom.session)
    await second_tab.close()
    assert await host.nothing_more(0.2)
    await ada.close()
    left = await host.events("live.presence")
    assert (left["joined"], left["left"], left["count"]) == (
        [],
        [{"user_id": classroom.ada.pk, "name": "Ada"}],
        1,
    )
    await host.send({"type": "typing"})
    assert (await host.events("live.typing"))["person"]["name"] == "Ines"
    assert await database_sync_to_async(stored_events)(classroom.session) == []
