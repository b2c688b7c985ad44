"""Q&A through the room socket: asking (also anonymously), upvoting, answering, dismissing."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from cadenza.live.models import QuestionStatus, QuestionVote, RoomQuestion
from tests.live.conftest import Classroom, Room, stored_events

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_questions_are_asked_upvoted_once_and_answered(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    assert (await ada.write("question.ask", body="When do we give fluids?"))["seq"] == 1
    asked = await bob.events("live.question.asked")
    question_id = asked["question_id"]
    assert (asked["author"], asked["anonymous"], asked["votes"]) == (
        {"user_id": classroom.ada.pk, "name": "Ada"},
        False,
        0,
    )
    assert (await bob.write("question.vote", question_id=question_id))["seq"] == 2
    voted = await ada.events("live.question.voted")
    assert voted == {
        "type": "live.question.voted",
        "seq": 2,
        "question_id": question_id,
        "votes": 1,
    }
    again = await bob.write("question.vote", question_id=question_id)
    assert again["detail"] == "You already voted for this question."
    refused = await ada.write("question.answer", question_id=question_id, answer="Now")
    assert refused["detail"] == "Only the session's hosts may do this."
    answer = await host.write(
        "question.answer", question_id=question_id, answer="Within the first hour."
    )
    assert answer["seq"] == 3
    answered = await ada.events("live.question.answered")
    assert answered == {
        "type": "live.question.answered",
        "seq": 3,
        "question_id": question_id,
        "status": "answered",
        "answer": "Within the first hour.",
        "by": {"user_id": classroom.host.pk, "name": "Ines"},
    }
    question = await database_sync_to_async(RoomQuestion.objects.get)()
    assert (question.status, question.votes) == (QuestionStatus.ANSWERED, 1)
    assert await database_sync_to_async(QuestionVote.objects.count)() == 1


async def test_an_anonymous_question_hides_its_author_from_peers_not_from_hosts(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    ack = await ada.write("question.ask", body="Is it ok to be scared?", anonymous=True)
    assert ack["seq"] == 1
    to_peer = await bob.events("live.question.asked")
    to_host = await host.events("live.question.asked")
    assert (to_peer["seq"], to_peer["author"], to_peer["anonymous"]) == (1, None, True)
    assert (to_host["seq"], to_host["author"]) == (2, {"user_id": classroom.ada.pk, "name": "Ada"})
    assert await bob.nothing_more(0.1)
    assert await host.nothing_more(0.1)
    _late_peer, peer_view = await room.join(classroom.bob, classroom.session)
    _late_host, host_view = await room.join(classroom.admin, classroom.session)
    assert peer_view[0]["questions"][0]["author"] is None
    assert host_view[0]["questions"][0]["author"] == {"user_id": classroom.ada.pk, "name": "Ada"}


async def test_a_host_answers_live_or_dismisses_and_a_learner_cannot(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    host, _ = await room.join(classroom.host, classroom.session)
    await ada.write("question.ask", body="First?")
    await ada.write("question.ask", body="Off topic")
    first, second = [(await ada.events("live.question.asked"))["question_id"] for _ in range(2)]
    assert (await ada.write("question.dismiss", question_id=second))["detail"] == (
        "Only the session's hosts may do this."
    )
    assert (await host.write("question.answer", question_id=first, live=True))["seq"] == 3
    assert (await ada.events("live.question.answered"))["status"] == "answered_live"
    assert (await host.write("question.dismiss", question_id=second))["seq"] == 4
    assert await ada.events("live.question.dismissed") == {
        "type": "live.question.dismissed",
        "seq": 4,
        "question_id": second,
    }
    assert await database_sync_to_async(stored_events)(classroom.session) == [
        (1, "live.question.asked"),
        (2, "live.question.asked"),
        (3, "live.question.answered"),
        (4, "live.question.dismissed"),
    ]
