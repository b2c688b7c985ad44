"""Polls through the room socket: prepared, opened, voted and changed, closed with answers."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from cadenza.live.models import Poll, PollStatus, PollVote
from tests.live.conftest import Classroom, Room, stored_events

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_a_learner_cannot_make_or_open_a_poll_and_nothing_is_written(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    made = await ada.write("poll.create", prompt="Ready?", options=["Yes", "No"], open=True)
    assert made["detail"] == "Only the session's hosts may do this."
    assert await database_sync_to_async(Poll.objects.count)() == 0
    assert await database_sync_to_async(stored_events)(classroom.session) == []


async def test_a_quiz_poll_runs_with_live_results_and_reveals_its_answer_at_close(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    prepared = await host.write(
        "poll.create", prompt="First antibiotic within?", options=["1 h", "6 h"], correct=[0]
    )
    assert prepared["seq"] == 1
    ready = await host.events("live.poll.prepared")
    assert await ada.nothing_more(0.1)
    poll_id = ready["poll_id"]
    one_hour, six_hours = (o["option_id"] for o in ready["options"])
    assert ready["correct_option_ids"] == [one_hour]
    assert (await ada.write("poll.open", poll_id=poll_id))["detail"] == (
        "Only the session's hosts may do this."
    )

    assert (await host.write("poll.open", poll_id=poll_id))["seq"] == 2
    opened = await ada.events("live.poll.opened")
    assert opened == {
        "type": "live.poll.opened",
        "seq": 2,
        "poll_id": poll_id,
        "prompt": "First antibiotic within?",
        "multiple": False,
        "anonymous": False,
        "quiz": True,
        "options": [
            {"option_id": one_hour, "text": "1 h"},
            {"option_id": six_hours, "text": "6 h"},
        ],
        "results": [{"option_id": one_hour, "votes": 0}, {"option_id": six_hours, "votes": 0}],
        "voters": 0,
    }
    assert "correct_option_ids" not in opened

    assert (await ada.write("poll.vote", poll_id=poll_id, option_ids=[six_hours]))["seq"] == 3
    assert (await bob.write("poll.vote", poll_id=poll_id, option_ids=[one_hour]))["seq"] == 4
    assert (await ada.write("poll.vote", poll_id=poll_id, option_ids=[one_hour]))["seq"] == 5
    results = [(await bob.events("live.poll.voted"))["results"] for _ in range(3)]
    assert results[-1] == [
        {"option_id": one_hour, "votes": 2},
        {"option_id": six_hours, "votes": 0},
    ]
    both = await ada.write("poll.vote", poll_id=poll_id, option_ids=[one_hour, six_hours])
    assert both["detail"] == "This poll takes one choice."

    assert (await host.write("poll.close", poll_id=poll_id))["seq"] == 6
    closed = await bob.events("live.poll.closed")
    assert (closed["voters"], closed["correct_option_ids"]) == (2, [one_hour])
    late = await bob.write("poll.vote", poll_id=poll_id, option_ids=[six_hours])
    assert late["detail"] == "This poll is not open."
    assert await database_sync_to_async(PollVote.objects.count)() == 2
    poll = await database_sync_to_async(Poll.objects.get)()
    assert poll.status == PollStatus.CLOSED


async def test_a_multiple_choice_poll_opened_at_once_takes_several_options(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    await host.write(
        "poll.create",
        prompt="Signs?",
        options=["Fever", "Rash", "Low BP"],
        multiple=True,
        open=True,
    )
    opened = await ada.events("live.poll.opened")
    fever, _rash, low_bp = (o["option_id"] for o in opened["options"])
    ack = await ada.write("poll.vote", poll_id=opened["poll_id"], option_ids=[low_bp, fever])
    assert ack["seq"] == 2
    vote = await database_sync_to_async(PollVote.objects.get)()
    assert vote.option_ids == sorted([fever, low_bp])
    _late, snapshot = await room.join(classroom.ada, classroom.session)
    assert snapshot[0]["polls"][0]["my_vote"] == sorted([fever, low_bp])
