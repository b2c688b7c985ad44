"""Breakout rooms through the room socket: split, private room chat, countdown, message to
all rooms, recall; a person who reconnects lands back in their room."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from cadenza.live.models import BreakoutAssignment, BreakoutRoom
from tests.live.conftest import Classroom, Room, stored_events

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_breakout_rooms_split_talk_apart_and_recall(classroom: Classroom, room: Room) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    refused = await ada.write("breakouts.start", rooms=[{"name": "Mine", "members": []}])
    assert refused["detail"] == "Only the session's hosts may do this."
    plan = [
        {"name": "Triage", "members": [classroom.ada.pk]},
        {"name": "Fluids", "members": [classroom.bob.pk]},
    ]
    assert (await host.write("breakouts.start", rooms=plan, minutes=10))["seq"] == 1
    started = await ada.events("live.breakouts.started")
    triage, fluids = started["rooms"]
    assert (triage["name"], triage["members"]) == (
        "Triage",
        [{"user_id": classroom.ada.pk, "name": "Ada"}],
    )
    assert fluids["name"] == "Fluids"
    assert (await bob.events("live.breakouts.started"))["rooms"] == started["rooms"]

    assert (await ada.write("chat.post", body="In triage"))["seq"] == 2
    in_room = await host.events("live.chat.posted")
    assert (in_room["body"], in_room["breakout_id"]) == ("In triage", triage["breakout_id"])
    assert (await ada.events("live.chat.posted"))["seq"] == 2
    assert await bob.nothing_more(0.2)
    into = await ada.write("chat.post", body="x", breakout_id=fluids["breakout_id"])
    assert into["detail"] == "Only hosts choose a breakout room; yours is chosen for you."

    assert (await host.write("breakouts.countdown", seconds=60))["seq"] == 3
    countdown = await bob.events("live.breakouts.countdown")
    assert countdown["seconds"] == 60
    assert (await host.write("breakouts.message", body="Two minutes left"))["seq"] == 4
    assert (await bob.events("live.breakouts.message"))["body"] == "Two minutes left"

    await ada.close()
    back, snapshot = await room.join(classroom.ada, classroom.session)
    assert snapshot[0]["me"]["breakout_id"] == triage["breakout_id"]
    assert [m["body"] for m in snapshot[0]["chat"]] == ["In triage"]
    _bob_again, bob_view = await room.join(classroom.bob, classroom.session)
    assert bob_view[0]["chat"] == []

    assert (await host.write("breakouts.close"))["seq"] == 5
    closed = await back.events("live.breakouts.closed")
    assert closed["breakout_ids"] == [triage["breakout_id"], fluids["breakout_id"]]
    assert (await back.write("chat.post", body="Back together"))["seq"] == 6
    assert (await bob.events("live.chat.posted"))["body"] == "Back together"
    assert await database_sync_to_async(stored_events)(classroom.session) == [
        (1, "live.breakouts.started"),
        (2, "live.chat.posted"),
        (3, "live.breakouts.countdown"),
        (4, "live.breakouts.message"),
        (5, "live.breakouts.closed"),
        (6, "live.chat.posted"),
    ]


async def test_a_random_split_puts_every_present_learner_in_one_room(
    classroom: Classroom, room: Room
) -> None:
    await room.join(classroom.ada, classroom.session)
    await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    assert (await host.write("breakouts.start", count=2))["seq"] == 1
    started = await host.events("live.breakouts.started")
    assert [r["name"] for r in started["rooms"]] == ["Room 1", "Room 2"]
    assert sorted(len(r["members"]) for r in started["rooms"]) == [1, 1]
    assigned = BreakoutAssignment.objects.values_list("user_id", flat=True).order_by("user_id")
    assert await database_sync_to_async(list)(assigned) == sorted(
        [classroom.ada.pk, classroom.bob.pk]
    )
    again = await host.write("breakouts.start", count=2)
    assert again["detail"] == "Breakout rooms are already running; recall everyone first."
    assert await database_sync_to_async(BreakoutRoom.objects.count)() == 2
