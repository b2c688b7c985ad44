"""The raised-hand queue through the room socket."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from cadenza.live.models import RaisedHand
from tests.live.conftest import Classroom, Room, stored_events

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_hands_queue_in_order_and_the_host_calls_the_first(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    assert (await ada.write("hand.raise"))["seq"] == 1
    assert (await bob.write("hand.raise"))["seq"] == 2
    assert (await ada.write("hand.raise"))["detail"] == "Your hand is already raised."
    raised = await host.events("live.hand.raised")
    assert raised["person"] == {"user_id": classroom.ada.pk, "name": "Ada"}
    assert (await host.write("hand.call"))["seq"] == 3
    called = await bob.events("live.hand.called")
    assert (called["hand_id"], called["person"]) == (
        raised["hand_id"],
        {"user_id": classroom.ada.pk, "name": "Ada"},
    )
    _late, snapshot = await room.join(classroom.host, classroom.session)
    assert [h["person"]["name"] for h in snapshot[0]["hands"]] == ["Bob"]


async def test_a_learner_lowers_only_their_own_hand(classroom: Classroom, room: Room) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    await ada.write("hand.raise")
    await bob.write("hand.raise")
    refused = await ada.write("hand.lower", user_id=classroom.bob.pk)
    assert refused["detail"] == "Only the hosts may lower another person's hand."
    assert (await ada.write("hand.lower"))["seq"] == 3
    lowered = await bob.events("live.hand.lowered")
    assert (lowered["person"]["name"], lowered["by"]["name"]) == ("Ada", "Ada")
    assert (await host.write("hand.lower", user_id=classroom.bob.pk))["seq"] == 4
    assert (await ada.expect(lambda f: f.get("seq") == 4))["type"] == "live.hand.lowered"
    open_hands = RaisedHand.objects.filter(lowered_at__isnull=True).count
    assert await database_sync_to_async(open_hands)() == 0
    assert await database_sync_to_async(stored_events)(classroom.session) == [
        (1, "live.hand.raised"),
        (2, "live.hand.raised"),
        (3, "live.hand.lowered"),
        (4, "live.hand.lowered"),
    ]
