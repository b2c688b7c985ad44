"""The live room over HTTP: the events a person missed (or a snapshot), and one write with the
socket's frame, refused with the room's own message and nothing stored."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cadenza.live.attendance.actions.attendance import join_room
from cadenza.live.models import ChatMessage, RoomEvent
from cadenza.live.schedule.actions.scheduling import cancel_session, move_occurrence
from tests.api.conftest import api_as
from tests.live.conftest import Classroom, build_classroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def classroom() -> Classroom:
    return build_classroom()


def room(classroom: Classroom, org: str = "harbour", session_id: int | None = None) -> str:
    return f"/orgs/{org}/live-sessions/{session_id or classroom.session.pk}/room"


def write(classroom: Classroom, user: Any, frame: Any) -> Any:
    return api_as(user).post(room(classroom) + "/commands", frame)


def chat(body: str, cid: str, **fields: Any) -> dict[str, Any]:
    return {"type": "chat.post", "client_event_id": cid, "body": body, **fields}


def test_a_learner_posts_in_the_chat_and_a_retry_stores_it_once(classroom: Classroom) -> None:
    first = write(classroom, classroom.ada, chat("Hello", "c-1"))
    retry = write(classroom, classroom.ada, chat("Hello", "c-1"))

    assert first.status_code == 200
    assert first.json() == {"client_event_id": "c-1", "seq": 1}
    assert retry.json() == {"client_event_id": "c-1", "seq": 1}
    assert list(ChatMessage.objects.values_list("author_id", "body")) == [
        (classroom.ada.pk, "Hello")
    ]


def test_a_reader_gets_the_frames_after_the_number_they_saw_and_only_their_own(
    classroom: Classroom,
) -> None:
    write(classroom, classroom.host, chat("Welcome", "h-1"))
    write(classroom, classroom.ada, chat("Can I ask privately?", "a-1", to=classroom.host.pk))
    write(classroom, classroom.bob, chat("Hi all", "b-1"))
    messages = {m.body: m for m in ChatMessage.objects.all()}

    bob = api_as(classroom.bob).get(room(classroom) + "/events?after=1")
    host = api_as(classroom.host).get(room(classroom) + "/events?after=1")
    caught_up = api_as(classroom.bob).get(room(classroom) + "/events?after=3")

    assert bob.status_code == 200
    hi = messages["Hi all"]
    assert bob.json() == {
        "seq": 3,
        "events": [
            {
                "type": "live.chat.posted",
                "seq": 3,
                "message_id": hi.pk,
                "author": {"user_id": classroom.bob.pk, "name": "Bob"},
                "body": "Hi all",
                "at": hi.created_at.isoformat(),
                "recipient": None,
                "breakout_id": None,
            }
        ],
        "snapshot": None,
        "has_more": False,
        "next": None,
    }
    assert [(e["seq"], e["body"]) for e in host.json()["events"]] == [
        (2, "Can I ask privately?"),
        (3, "Hi all"),
    ]
    assert host.json()["events"][0]["recipient"] == {"user_id": classroom.host.pk, "name": "Ines"}
    assert caught_up.json() == {
        "seq": 3,
        "events": [],
        "snapshot": None,
        "has_more": False,
        "next": None,
    }


def test_a_reader_without_a_number_gets_the_snapshot_with_who_is_connected(
    classroom: Classroom,
) -> None:
    write(classroom, classroom.host, chat("Welcome", "h-1"))
    join_room(
        session=classroom.session, user=classroom.bob, connection_id="bob-tab", at=timezone.now()
    )

    response = api_as(classroom.ada).get(room(classroom) + "/events")

    assert response.status_code == 200
    body = response.json()
    snapshot = body["snapshot"]
    assert (body["seq"], body["events"], snapshot["type"], snapshot["seq"]) == (
        1,
        [],
        "room.snapshot",
        1,
    )
    assert [(m["author"]["name"], m["body"]) for m in snapshot["chat"]] == [("Ines", "Welcome")]
    assert snapshot["present"] == [{"user_id": classroom.bob.pk, "name": "Bob"}]
    assert snapshot["present_count"] == 1
    assert (snapshot["me"]["user_id"], snapshot["me"]["is_host"]) == (classroom.ada.pk, False)


def test_a_number_below_zero_is_refused(classroom: Classroom) -> None:
    response = api_as(classroom.ada).get(room(classroom) + "/events?after=-1")

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["after"]


@pytest.mark.parametrize(
    ("frame", "detail", "errors"),
    [
        (
            {"type": "dance", "client_event_id": "x"},
            "Unknown frame type 'dance'.",
            {"type": ["Unknown frame type 'dance'."]},
        ),
        (
            {"type": "chat.post", "body": "Hi"},
            'A write needs a "client_event_id" of 1 to 64 characters.',
            {"client_event_id": ['A write needs a "client_event_id" of 1 to 64 characters.']},
        ),
        (
            chat("Hi", "x", colour="red", size=3),
            "Unexpected fields: colour, size.",
            {"colour": ["Unexpected field."], "size": ["Unexpected field."]},
        ),
        (
            {"type": ["chat.post"], "client_event_id": "x"},
            "Send a JSON object with a type.",
            {"type": ["Send a JSON object with a type."]},
        ),
        (chat("Hi", "x", to="host"), '"to" must be a whole number.', None),
        (chat("Hi", "x", to=True), '"to" must be a whole number.', None),
        (
            {"type": "chat.post", "client_event_id": "x", "body": 5},
            '"body" must be text.',
            None,
        ),
        (
            {"type": "question.ask", "client_event_id": "x", "body": "Why?", "anonymous": 1},
            '"anonymous" must be true or false.',
            None,
        ),
        (
            {"type": "poll.vote", "client_event_id": "x", "poll_id": 1, "option_ids": ["1"]},
            '"option_ids.0" must be a whole number.',
            None,
        ),
    ],
)
def test_a_frame_that_is_not_a_command_is_422_with_the_sockets_message(
    classroom: Classroom, frame: dict[str, Any], detail: str, errors: dict[str, Any] | None
) -> None:
    response = write(classroom, classroom.ada, frame)

    assert response.status_code == 422
    assert response.json()["detail"] == detail
    if errors is not None:
        assert response.json()["errors"] == errors
    assert RoomEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("frame", "status", "detail"),
    [
        (chat("", "x"), 400, "A chat message cannot be empty."),
        (
            {
                "type": "poll.create",
                "client_event_id": "x",
                "prompt": "Ready?",
                "options": ["Y", "N"],
            },
            403,
            "Only the session's hosts may do this.",
        ),
        (
            {"type": "room.close", "client_event_id": "x"},
            403,
            "Only the session's hosts may do this.",
        ),
    ],
)
def test_a_refused_write_answers_the_rooms_message_and_stores_nothing(
    classroom: Classroom, frame: dict[str, Any], status: int, detail: str
) -> None:
    response = write(classroom, classroom.ada, frame)

    assert response.status_code == status
    assert response.json() == {"detail": detail}
    assert RoomEvent.objects.count() == 0


def test_a_body_that_is_not_an_object_is_422(classroom: Classroom) -> None:
    response = write(classroom, classroom.ada, ["chat.post"])

    assert response.status_code == 422
    assert RoomEvent.objects.count() == 0


def test_a_locked_chat_refuses_learners(classroom: Classroom) -> None:
    locked = write(classroom, classroom.host, {"type": "chat.lock", "client_event_id": "l-1"})

    refused = write(classroom, classroom.ada, chat("Hello?", "a-1"))

    assert locked.json() == {"client_event_id": "l-1", "seq": 1}
    assert (refused.status_code, refused.json()) == (
        400,
        {"detail": "Chat is locked by the hosts."},
    )
    assert ChatMessage.objects.count() == 0


def test_people_who_may_not_see_the_session_are_refused_and_nothing_is_stored(
    classroom: Classroom,
) -> None:
    frame = chat("Hello", "x-1")
    foreign = classroom.foreign_session.pk

    answers = [
        api_as(classroom.carl).get(room(classroom) + "/events?after=1"),
        api_as(classroom.carl).post(room(classroom) + "/commands", frame),
        api_as(classroom.stranger).get(room(classroom, "elsewhere") + "/events"),
        api_as(classroom.stranger).post(room(classroom, "elsewhere") + "/commands", frame),
        api_as(classroom.stranger).post(room(classroom) + "/commands", frame),
        api_as(classroom.ada).post(room(classroom, session_id=foreign) + "/commands", frame),
        api_as(classroom.admin).get(room(classroom, session_id=foreign) + "/events"),
    ]

    # A learner of the organization not enrolled: 403 with the reason; others: 404.
    assert [a.status_code for a in answers] == [403, 403] + [404] * 5
    assert [a.json()["reason"] for a in answers[:2]] == ["not_enrolled", "not_enrolled"]
    assert RoomEvent.objects.count() == 0


def test_a_removed_learner_can_no_longer_read_or_write(classroom: Classroom) -> None:
    removed = write(
        classroom,
        classroom.host,
        {"type": "participant.remove", "client_event_id": "r-1", "user_id": classroom.ada.pk},
    )

    reading = api_as(classroom.ada).get(room(classroom) + "/events?after=1")
    writing = write(classroom, classroom.ada, chat("Let me in", "a-1"))

    assert removed.status_code == 200
    assert (reading.status_code, writing.status_code) == (404, 404)
    assert writing.json() == {"detail": "You were removed from this session."}
    assert ChatMessage.objects.count() == 0


def test_learners_wait_for_the_lobby_hosts_do_not(classroom: Classroom) -> None:
    later = timezone.now() + timedelta(days=2)
    move_occurrence(
        session=classroom.session,
        starts_at=later,
        ends_at=later + timedelta(hours=1),
        by=classroom.host,
    )

    learner = write(classroom, classroom.ada, chat("Early", "a-1"))
    host = write(classroom, classroom.host, chat("Preparing", "h-1"))

    assert (learner.status_code, learner.json()) == (
        403,
        {"detail": "The room is not open: come back when the lobby opens."},
    )
    assert host.json() == {"client_event_id": "h-1", "seq": 1}
    assert list(ChatMessage.objects.values_list("body", flat=True)) == ["Preparing"]


def test_a_cancelled_sessions_room_is_closed_to_learners(classroom: Classroom) -> None:
    cancel_session(session=classroom.session, by=classroom.host)

    response = api_as(classroom.ada).get(room(classroom) + "/events")

    assert response.status_code == 403
