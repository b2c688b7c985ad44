"""Chat through the room socket: posting, deleting, locking, muting, private messages."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from cadenza.activity.models import Statement
from cadenza.activity.verbs import Verb
from cadenza.live.models import ChatMessage, LiveSession, PrivateChat
from tests.live.conftest import Classroom, Room, stored_events

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _set_policy(session: LiveSession, policy: PrivateChat) -> None:
    LiveSession.objects.filter(pk=session.pk).update(private_chat=policy)


async def test_a_chat_message_reaches_everyone_once_and_is_recorded(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    ack = await ada.write("chat.post", body="  Is the lactate threshold 2 or 4?  ")
    assert ack["seq"] == 1
    message = await database_sync_to_async(ChatMessage.objects.get)()
    for client in (ada, bob, host):
        frame = await client.events("live.chat.posted")
        assert frame == {
            "type": "live.chat.posted",
            "seq": 1,
            "message_id": message.pk,
            "author": {"user_id": classroom.ada.pk, "name": "Ada"},
            "body": "Is the lactate threshold 2 or 4?",
            "at": message.created_at.isoformat(),
            "recipient": None,
            "breakout_id": None,
        }
        assert await client.nothing_more(0.1)
    statement = await database_sync_to_async(Statement.objects.get)(verb=Verb.COMMENTED)
    assert (statement.actor_id, statement.object_type, statement.object_id) == (
        classroom.ada.pk,
        "live_session",
        str(classroom.session.pk),
    )


async def test_a_host_deletes_any_message_and_a_learner_only_their_own(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    await ada.write("chat.post", body="spam")
    message_id = (await bob.events("live.chat.posted"))["message_id"]
    refused = await bob.write("chat.delete", message_id=message_id)
    assert refused["detail"] == "Only the hosts may delete another person's message."
    assert (await host.write("chat.delete", message_id=message_id))["seq"] == 2
    assert await bob.events("live.chat.deleted") == {
        "type": "live.chat.deleted",
        "seq": 2,
        "message_id": message_id,
    }
    deleted = await database_sync_to_async(ChatMessage.objects.get)()
    assert deleted.deleted_by_id == classroom.host.pk


async def test_locked_chat_refuses_learners_and_writes_nothing(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    assert (await ada.write("chat.lock"))["detail"] == "Only the session's hosts may do this."
    assert (await host.write("chat.lock"))["seq"] == 1
    locked = await ada.events("live.chat.locked")
    assert locked["by"] == {"user_id": classroom.host.pk, "name": "Ines"}
    assert (await ada.write("chat.post", body="hello?"))["detail"] == "Chat is locked by the hosts."
    assert (await host.write("chat.post", body="Listen first"))["seq"] == 2
    assert (await host.write("chat.unlock"))["seq"] == 3
    assert (await ada.events("live.chat.unlocked"))["seq"] == 3
    assert (await ada.write("chat.post", body="Now?"))["seq"] == 4
    assert await database_sync_to_async(stored_events)(classroom.session) == [
        (1, "live.chat.locked"),
        (2, "live.chat.posted"),
        (3, "live.chat.unlocked"),
        (4, "live.chat.posted"),
    ]


async def test_private_messages_to_hosts_only_reach_the_two_people(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    to_bob = await ada.write("chat.post", body="psst", to=classroom.bob.pk)
    assert to_bob["detail"] == "Private messages may only be sent to the hosts in this session."
    assert (await ada.write("chat.post", body="I feel unwell", to=classroom.host.pk))["seq"] == 1
    frame = await host.events("live.chat.posted")
    assert (frame["body"], frame["recipient"]) == (
        "I feel unwell",
        {"user_id": classroom.host.pk, "name": "Ines"},
    )
    assert (await ada.events("live.chat.posted"))["seq"] == 1
    assert await bob.nothing_more()
    _late, replay = await room.join(classroom.bob, classroom.session)
    assert replay[0]["chat"] == []


async def test_private_messages_follow_the_sessions_policy(
    classroom: Classroom, room: Room
) -> None:
    await database_sync_to_async(_set_policy)(classroom.session, PrivateChat.OFF)
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    refused = await ada.write("chat.post", body="hi", to=classroom.host.pk)
    assert refused["detail"] == "Private messages are off in this session."
    await database_sync_to_async(_set_policy)(classroom.session, PrivateChat.ON)
    assert (await ada.write("chat.post", body="hi Bob", to=classroom.bob.pk))["seq"] == 1
    assert (await bob.events("live.chat.posted"))["body"] == "hi Bob"
    assert await database_sync_to_async(stored_events)(classroom.session) == [
        (1, "live.chat.posted")
    ]


async def test_empty_and_overlong_messages_are_refused(classroom: Classroom, room: Room) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    assert (await ada.write("chat.post", body="   "))["detail"] == "A chat message cannot be empty."
    long = await ada.write("chat.post", body="x" * 2001)
    assert long["detail"] == "A chat message has at most 2000 characters."
    assert await database_sync_to_async(ChatMessage.objects.count)() == 0
