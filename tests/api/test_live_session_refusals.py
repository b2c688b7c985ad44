"""A learner of the organization who may not see a live session gets 403 with the reason from
every live-session endpoint, as the session's join link says it (not a 404 that would read
"no such session" of a session they were sent); another organization's session stays 404;
nothing is written either way."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from cadenza.courses.models import Course
from cadenza.courses.outline_actions import set_unit_published
from cadenza.live.models import ReplayCaptionTrack, RoomEvent
from tests.api.conftest import API, api_as
from tests.live.conftest import Classroom, build_classroom

pytestmark = pytest.mark.django_db

VTT = "WEBVTT\n\n00:01.000 --> 00:02.000\nHello\n"
FRAME = {"type": "chat.post", "client_event_id": "c-1", "body": "Hello"}


@pytest.fixture
def classroom() -> Classroom:
    return build_classroom()


def base(classroom: Classroom, org: str = "harbour", session_id: int | None = None) -> str:
    return f"/orgs/{org}/live-sessions/{session_id or classroom.session.pk}"


def learner_calls(
    classroom: Classroom, org: str = "harbour", session_id: int | None = None
) -> list[Any]:
    """What a learner asks of a session: reading it, its replay, room, video and captions,
    and writing in its room (each with a valid body, so only access decides)."""
    client = api_as(classroom.carl)
    path = base(classroom, org, session_id)
    return [
        client.get(path),
        client.get(path + "/replay"),
        client.get(path + "/room/events?after=0"),
        client.post(path + "/room/commands", FRAME),
        client.get(path + "/video"),
        client.get(path + "/recording/captions"),
        client.get(path + "/recording/captions/en"),
        client.put(path + "/recording/captions/en", {"label": "English", "vtt": VTT}),
    ]


def test_a_learner_not_enrolled_gets_403_with_the_reason_and_the_enrol_offer(
    classroom: Classroom,
) -> None:
    Course.objects.filter(pk=classroom.session.course_id).update(open_enrolment=True)

    answers = learner_calls(classroom)

    expected = {
        "detail": "You are not enrolled in Sepsis basics; enrol in it to join its live sessions.",
        "reason": "not_enrolled",
        "may_self_enrol": True,
        "course": "sepsis",
    }
    assert [(a.status_code, a.json()) for a in answers] == [(403, expected)] * len(answers)
    assert RoomEvent.objects.count() == 0
    assert ReplayCaptionTrack.objects.count() == 0


def test_a_course_closed_for_enrolment_says_to_ask_the_instructor(classroom: Classroom) -> None:
    Course.objects.filter(pk=classroom.session.course_id).update(open_enrolment=False)

    answer = api_as(classroom.carl).get(base(classroom))

    assert (answer.status_code, answer.json()) == (
        403,
        {
            "detail": "You are not enrolled in Sepsis basics, so you cannot join its live "
            "sessions yet; ask the course's instructor to enrol you.",
            "reason": "not_enrolled",
            "may_self_enrol": False,
            "course": "sepsis",
        },
    )


def test_an_enrolled_learner_of_a_draft_session_is_told_it_is_not_open_yet(
    classroom: Classroom,
) -> None:
    set_unit_published(unit=classroom.session.unit, published=False)

    answer = api_as(classroom.ada).get(base(classroom) + "/replay")

    assert (answer.status_code, answer.json()) == (
        403,
        {
            "detail": "This session is not open yet: Sepsis basics has not been published to "
            "learners.",
            "reason": "not_open_yet",
            "may_self_enrol": False,
            "course": "sepsis",
        },
    )


def test_another_organizations_session_stays_404_and_says_nothing(classroom: Classroom) -> None:
    foreign = classroom.foreign_session.pk

    answers = learner_calls(classroom, session_id=foreign)
    missing = learner_calls(classroom, session_id=10**9)
    from_outside = api_as(classroom.stranger).get(base(classroom, "elsewhere"))

    for answer in [*answers, *missing, from_outside]:
        assert (answer.status_code, answer.json()) == (404, {"detail": "No such live session."})
    assert RoomEvent.objects.count() == 0


def test_no_live_session_endpoint_answers_404_to_a_learner_of_the_organization(
    classroom: Classroom,
) -> None:
    """Every operation named by a session documents the 403 with its reason; each one without
    a body, called with the session's id, refuses a learner not enrolled with 403 (the
    reason, or their role's refusal for the hosts' operations), never 404."""
    client = Client()
    client.force_login(classroom.carl)
    schema = client.get(f"{API}/openapi.json").json()["paths"]
    known = {
        "org": "harbour",
        "session": str(classroom.session.pk),
        "person": str(classroom.ada.pk),
        "question": "1",
        "breakout": "1",
        "language": "en",
    }
    tried = []
    for path, operations in schema.items():
        if not path.startswith("/api/v1/orgs/{org}/live-sessions/{session}"):
            continue
        url = re.sub(r"{(\w+)}", lambda m: known[m.group(1)], path)
        for method, operation in operations.items():
            assert "403" in operation["responses"], (method, path)
            refs = operation["responses"]["403"]["content"]["application/json"]["schema"]
            assert refs == {"$ref": "#/components/schemas/SessionRefusedOut"}, (method, path)
            if "requestBody" in operation:
                continue  # the body is parsed before access: learner_calls sends valid ones
            answer = getattr(client, method)(url)
            tried.append((method, path, answer.status_code))
    assert len(tried) == 12
    assert [t for t in tried if t[2] != 403] == []
    assert RoomEvent.objects.count() == 0
