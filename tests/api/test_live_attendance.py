"""Attendance through the API (hosts and admins: the table, a correction, a recount) and the
replay per viewer (chat, Q&A, polls) with the replay page's visibility rules."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from cadenza.accounts.models import User
from cadenza.live.attendance.actions.attendance import join_room, leave_room
from cadenza.live.models import Attendance, Poll, QuestionStatus, RoomQuestion
from cadenza.live.room.commands import perform
from cadenza.orgs.models import Role
from tests.api.conftest import api_as, iso
from tests.factories import make_org, make_user
from tests.live.conftest import Classroom, build_classroom
from tests.live.fixtures_attendance import Live, at, build_live

pytestmark = pytest.mark.django_db

_write_ids = itertools.count(1)


@pytest.fixture
def live() -> Live:
    return build_live()


def attendance_path(live: Live, org: str | None = None) -> str:
    return f"/orgs/{org or live.org.slug}/live-sessions/{live.session.pk}/attendance"


def person(user: User) -> dict[str, Any]:
    return {"id": user.pk, "email": user.email, "name": user.name}


def absent(user: User) -> dict[str, Any]:
    return {
        "person": person(user),
        "first_joined": None,
        "last_left": None,
        "seconds_present": 0,
        "minutes_present": 0,
        "attended": False,
        "source": "",
        "source_label": "Absent",
        "corrected": False,
        "corrected_by": None,
        "note": "",
        "updated_at": None,
        "connected": False,
        "role": "learner",
    }


def stored() -> list[tuple[int, int, bool, str, str]]:
    return list(
        Attendance.objects.order_by("user_id").values_list(
            "user_id", "seconds_present", "attended", "source", "note"
        )
    )


# Attendance


def test_hosts_and_admins_see_minutes_present_per_person(live: Live) -> None:
    join_room(session=live.session, user=live.ada, connection_id="ada", at=at(0))
    leave_room(connection_id="ada", at=at(50))

    for user in (live.host, live.admin):
        response = api_as(user).get(attendance_path(live))
        assert response.status_code == 200
        assert response.json() == [
            absent(live.ada)
            | {
                "first_joined": iso(at(0)),
                "last_left": iso(at(50)),
                "seconds_present": 3000,
                "minutes_present": 50,
                "attended": True,
                "source": "live",
                "source_label": "Present live",
            },
            absent(live.bob),
        ]


def test_learners_and_instructors_who_do_not_host_get_403(live: Live) -> None:
    for user in (live.ada, live.instructor):
        assert api_as(user).get(attendance_path(live)).status_code == 403, user.email
    assert api_as(live.ada).post(attendance_path(live) + "/recount").status_code == 403
    assert stored() == []


def test_another_organizations_admin_gets_404(live: Live) -> None:
    other = make_org()
    stranger = make_user(other, Role.ADMIN)
    body = {"attended": True}

    answers = [
        api_as(stranger).get(attendance_path(live, other.slug)),
        api_as(stranger).get(attendance_path(live)),
        api_as(stranger).put(attendance_path(live, other.slug) + f"/{live.ada.pk}", body),
        api_as(stranger).post(attendance_path(live, other.slug) + "/recount"),
    ]

    assert [a.status_code for a in answers] == [404, 404, 404, 404]
    assert stored() == []


def test_a_host_corrects_a_persons_attendance_and_the_row_keeps_who_and_why(live: Live) -> None:
    join_room(session=live.session, user=live.bob, connection_id="bob", at=at(0))
    leave_room(connection_id="bob", at=at(20))

    response = api_as(live.host).put(
        attendance_path(live) + f"/{live.bob.pk}",
        {"attended": True, "minutes_present": 55, "note": "Was on the phone line"},
    )

    assert response.status_code == 200
    row = Attendance.objects.get()
    assert response.json() == {
        "person": person(live.bob),
        "first_joined": iso(at(0)),
        "last_left": iso(at(20)),
        "seconds_present": 3300,
        "minutes_present": 55,
        "attended": True,
        "source": "corrected",
        "source_label": "Corrected by a host",
        "corrected": True,
        "corrected_by": person(live.host),
        "note": "Was on the phone line",
        "updated_at": iso(row.updated_at),
        "connected": False,
        "role": "learner",
    }
    assert stored() == [(live.bob.pk, 3300, True, "corrected", "Was on the phone line")]


def test_a_correction_without_minutes_keeps_the_counted_time(live: Live) -> None:
    join_room(session=live.session, user=live.ada, connection_id="ada", at=at(0))
    leave_room(connection_id="ada", at=at(50))

    response = api_as(live.admin).put(
        attendance_path(live) + f"/{live.ada.pk}", {"attended": False}
    )

    assert (response.json()["seconds_present"], response.json()["attended"]) == (3000, False)
    assert stored() == [(live.ada.pk, 3000, False, "corrected", "")]


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"attended": True, "minutes_present": -1},
            {"minutes_present": ["Ensure this value is greater than or equal to 0."]},
        ),
        (
            {"attended": True, "note": "x" * 301},
            {"note": ["Ensure this value has at most 300 characters."]},
        ),
        ({"minutes_present": 5}, {"attended": ["This field is required."]}),
    ],
)
def test_a_bad_correction_is_422_and_writes_nothing(
    live: Live, body: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    response = api_as(live.host).put(attendance_path(live) + f"/{live.ada.pk}", body)

    assert response.status_code == 422
    assert response.json()["errors"] == errors
    assert stored() == []


def test_more_minutes_than_the_session_lasts_is_refused_with_400_and_writes_nothing(
    live: Live,
) -> None:
    response = api_as(live.host).put(
        attendance_path(live) + f"/{live.ada.pk}", {"attended": True, "minutes_present": 61}
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "The session lasts 60 minutes: at most that many."}
    assert stored() == []


def test_only_people_in_the_table_are_corrected_and_only_by_hosts(live: Live) -> None:
    outsider = api_as(live.host).put(
        attendance_path(live) + f"/{live.instructor.pk}", {"attended": True}
    )
    learner = api_as(live.ada).put(attendance_path(live) + f"/{live.ada.pk}", {"attended": True})

    assert (outsider.status_code, learner.status_code) == (404, 403)
    assert stored() == []


def test_a_recount_stores_attendance_and_keeps_corrections(live: Live) -> None:
    join_room(session=live.session, user=live.ada, connection_id="ada", at=at(0))
    leave_room(connection_id="ada", at=at(50))
    join_room(session=live.session, user=live.bob, connection_id="bob", at=at(0))
    leave_room(connection_id="bob", at=at(10))
    api_as(live.host).put(attendance_path(live) + f"/{live.bob.pk}", {"attended": True})

    response = api_as(live.host).post(attendance_path(live) + "/recount")

    assert response.status_code == 200
    assert [(r["person"]["name"], r["attended"], r["source"]) for r in response.json()] == [
        ("Ada Learner", True, "live"),
        ("Bob Learner", True, "corrected"),
    ]
    assert stored() == [
        (live.ada.pk, 3000, True, "live", ""),
        (live.bob.pk, 600, True, "corrected", ""),
    ]


# The replay


def run(classroom: Classroom, user: User, frame: dict[str, Any]) -> int:
    """One room write through the room's own entry point (as the socket and the API do)."""
    data = {"client_event_id": f"write-{next(_write_ids)}", **frame}
    return perform(user=user, session_id=classroom.session.pk, data=data)


@pytest.fixture
def classroom() -> Classroom:
    """A session with public and private chat, questions (one anonymous, one answered) and
    two closed polls (one anonymous) that Ada and Bob voted in."""
    built = build_classroom()
    host, ada, bob = built.host, built.ada, built.bob
    run(built, host, {"type": "chat.post", "body": "Welcome"})
    run(built, ada, {"type": "chat.post", "body": "Psst", "to": host.pk})
    run(built, bob, {"type": "chat.post", "body": "Bob to host", "to": host.pk})
    run(built, ada, {"type": "question.ask", "body": "Fluids first?", "anonymous": True})
    run(built, bob, {"type": "question.ask", "body": "Which lactate?"})
    named = RoomQuestion.objects.get(body="Which lactate?")
    run(built, host, {"type": "question.answer", "question_id": named.pk, "answer": "Above 2."})
    for prompt, anonymous in (("Ready?", False), ("Secret?", True)):
        run(
            built,
            host,
            {
                "type": "poll.create",
                "prompt": prompt,
                "options": ["Yes", "No"],
                "anonymous": anonymous,
                "correct": [0],
                "open": True,
            },
        )
        poll = Poll.objects.get(prompt=prompt)
        yes, no = poll.options.order_by("position", "id")
        run(built, ada, {"type": "poll.vote", "poll_id": poll.pk, "option_ids": [yes.pk]})
        run(built, bob, {"type": "poll.vote", "poll_id": poll.pk, "option_ids": [no.pk]})
        run(built, host, {"type": "poll.close", "poll_id": poll.pk})
    return built


def replay_path(classroom: Classroom, org: str = "harbour") -> str:
    return f"/orgs/{org}/live-sessions/{classroom.session.pk}/replay"


def test_a_learner_sees_public_chat_their_own_private_messages_and_counts_only(
    classroom: Classroom,
) -> None:
    response = api_as(classroom.bob).get(replay_path(classroom))

    assert response.status_code == 200
    body = response.json()
    assert [(c["author"], c["body"], c["to"]) for c in body["chat"]] == [
        ("Ines", "Welcome", ""),
        ("Bob", "Bob to host", "Ines"),
    ]
    assert [(q["body"], q["author"], q["status"], q["answer"]) for q in body["questions"]] == [
        ("Fluids first?", "Anonymous", "open", ""),
        ("Which lactate?", "Bob", "answered", "Above 2."),
    ]
    assert [
        (p["prompt"], p["voters"], [(o["text"], o["votes"], o["percent"]) for o in p["options"]])
        for p in body["polls"]
    ] == [
        ("Ready?", 2, [("Yes", 1, 50), ("No", 1, 50)]),
        ("Secret?", 2, [("Yes", 1, 50), ("No", 1, 50)]),
    ]
    assert [p["per_person"] for p in body["polls"]] == [None, None]
    assert (body["host_view"], body["unanswered"], body["my_attendance"]) == (False, [], None)


def test_the_author_of_an_anonymous_question_sees_their_name(classroom: Classroom) -> None:
    body = api_as(classroom.ada).get(replay_path(classroom)).json()

    assert [(c["body"]) for c in body["chat"]] == ["Welcome", "Psst"]
    assert body["questions"][0]["author"] == "Ada"


def test_hosts_see_who_voted_what_except_in_an_anonymous_poll(classroom: Classroom) -> None:
    body = api_as(classroom.host).get(replay_path(classroom)).json()

    assert body["host_view"] is True
    assert [c["body"] for c in body["chat"]] == ["Welcome", "Psst", "Bob to host"]
    assert body["questions"][0]["author"] == "Ada"
    fluids = RoomQuestion.objects.get(body="Fluids first?")
    assert body["unanswered"] == [fluids.pk]
    assert [p["per_person"] for p in body["polls"]] == [
        [{"name": "Ada", "options": ["Yes"]}, {"name": "Bob", "options": ["No"]}],
        None,
    ]


def test_the_replay_is_403_for_a_learner_not_enrolled_and_404_for_other_organizations(
    classroom: Classroom,
) -> None:
    answers = [
        api_as(classroom.carl).get(replay_path(classroom)),
        api_as(classroom.stranger).get(replay_path(classroom, "elsewhere")),
        api_as(classroom.ada).get(
            f"/orgs/harbour/live-sessions/{classroom.foreign_session.pk}/replay"
        ),
    ]

    assert [a.status_code for a in answers] == [403, 404, 404]
    assert answers[0].json()["reason"] == "not_enrolled"


def test_a_host_answers_an_open_question_after_the_session(classroom: Classroom) -> None:
    fluids = RoomQuestion.objects.get(body="Fluids first?")
    path = replay_path(classroom) + f"/questions/{fluids.pk}/answer"

    learner = api_as(classroom.bob).post(path, {"answer": "Mine"})
    empty = api_as(classroom.host).post(path, {"answer": "  "})
    answered = api_as(classroom.host).post(path, {"answer": "Crystalloids."})
    again = api_as(classroom.host).post(path, {"answer": "Twice"})

    assert (learner.status_code, empty.status_code) == (403, 422)
    assert empty.json()["errors"] == {"answer": ["This field is required."]}
    assert answered.status_code == 200
    assert {k: answered.json()[k] for k in ("id", "status", "answer", "answered_by")} == {
        "id": fluids.pk,
        "status": "answered",
        "answer": "Crystalloids.",
        "answered_by": "Ines",
    }
    assert (again.status_code, again.json()) == (
        400,
        {"detail": "This question is already answered or dismissed."},
    )
    fluids.refresh_from_db()
    assert (fluids.status, fluids.answer) == (QuestionStatus.ANSWERED, "Crystalloids.")
