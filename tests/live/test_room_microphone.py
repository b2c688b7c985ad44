"""A host turns a person's microphone off (``microphone.mute``); never on.

The event goes to that person and to the hosts; the person's page turns the microphone's
track off and says so (the browser test: tests/browser/test_live_room_controls.py). A learner
cannot mute anyone: refused, nothing stored, nobody told."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from cadenza.live.models import RoomEvent
from tests.live.conftest import Classroom, Room, stored_events

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_a_host_mutes_a_learner_s_microphone_and_only_they_and_the_hosts_hear_of_it(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    assert (await host.write("microphone.mute", user_id=classroom.ada.pk))["seq"] == 1
    expected = {
        "type": "live.microphone.muted",
        "seq": 1,
        "person": {"user_id": classroom.ada.pk, "name": "Ada"},
        "by": {"user_id": classroom.host.pk, "name": "Ines"},
    }
    assert await ada.events("live.microphone.muted") == expected
    assert await host.events("live.microphone.muted") == expected
    assert await bob.nothing_more(0.2)
    assert await database_sync_to_async(stored_events)(classroom.session) == [
        (1, "live.microphone.muted")
    ]


async def test_a_learner_cannot_mute_anyone_and_nothing_changes(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    refused = await bob.write("microphone.mute", user_id=classroom.ada.pk)
    assert refused["detail"] == "Only the session's hosts may do this."
    assert "seq" not in refused
    assert await ada.nothing_more(0.2)
    assert await database_sync_to_async(RoomEvent.objects.count)() == 0


async def test_a_host_s_microphone_cannot_be_muted_remotely(
    classroom: Classroom, room: Room
) -> None:
    host, _ = await room.join(classroom.host, classroom.session)
    refused = await host.write("microphone.mute", user_id=classroom.host.pk)
    assert refused["detail"] == "Hosts cannot be muted or removed."
    assert await database_sync_to_async(RoomEvent.objects.count)() == 0


async def test_there_is_no_command_to_unmute_someone_else(classroom: Classroom, room: Room) -> None:
    host, _ = await room.join(classroom.host, classroom.session)
    refused = await host.write("microphone.unmute", user_id=classroom.ada.pk)
    assert refused["detail"] == "Unknown frame type 'microphone.unmute'."
    assert await database_sync_to_async(RoomEvent.objects.count)() == 0
