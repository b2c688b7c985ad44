"""Changing a live session through the API: editing, moving one occurrence and cancelling,
with the pages' rules (422 by field, 403 for learners, 404 for another organization's
session, nothing changed on a refusal)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cadenza.live.models import SessionStatus
from cadenza.live.schedule.actions.scheduling import cancel_session
from cadenza.notifications.models import Notification
from tests.api.conftest import api_as
from tests.api.test_live_sessions import ORG, expected, person
from tests.live.fixtures_scheduling import START, School, build_school, fresh, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> School:
    return build_school()


def test_editing_changes_only_what_is_sent(school: School) -> None:
    session = schedule(school, capacity=30).sessions[0]

    response = api_as(school.instructor).patch(
        f"{ORG}/live-sessions/{session.pk}",
        {"title": "Sepsis simulation 2", "capacity": None, "hosts": [school.ta.pk]},
    )

    assert response.status_code == 200
    assert response.json() == expected(
        fresh(session),
        school,
        title="Sepsis simulation 2",
        hosts=[person(school.ta)],
        time_zone="Europe/London",
    )
    saved = fresh(session)
    assert (saved.title, saved.capacity, saved.starts_at, saved.ical_sequence) == (
        "Sepsis simulation 2",
        None,
        START,
        1,
    )


def test_editing_lets_learners_share_their_screen_and_keeps_it_when_not_sent(
    school: School,
) -> None:
    session = schedule(school).sessions[0]
    client = api_as(school.instructor)
    path = f"{ORG}/live-sessions/{session.pk}"

    allowed = client.patch(path, {"learners_may_share_screen": True})
    assert allowed.status_code == 200
    assert allowed.json()["learners_may_share_screen"] is True
    assert client.patch(path, {"title": "Renamed"}).json()["learners_may_share_screen"] is True
    assert fresh(session).learners_may_share_screen is True
    learner = api_as(school.ada).patch(path, {"learners_may_share_screen": False})
    assert learner.status_code == 403
    assert fresh(session).learners_may_share_screen is True


def test_a_refused_edit_changes_nothing(school: School) -> None:
    session = schedule(school).sessions[0]
    client = api_as(school.instructor)

    bad = client.patch(f"{ORG}/live-sessions/{session.pk}", {"title": "", "lobby_minutes": -1})
    learner = api_as(school.ada).patch(f"{ORG}/live-sessions/{session.pk}", {"title": "Mine"})
    cancel_session(session=session, by=school.instructor)
    cancelled = client.patch(f"{ORG}/live-sessions/{session.pk}", {"title": "Again"})

    assert bad.status_code == 422
    assert bad.json()["errors"] == {
        "title": ["This field is required."],
        "lobby_minutes": ["Ensure this value is greater than or equal to 0."],
    }
    assert learner.status_code == 403
    assert cancelled.status_code == 422
    assert cancelled.json()["detail"] == "A cancelled session cannot be changed."
    assert fresh(session).title == "Sepsis simulation"


def test_moving_one_occurrence_marks_it_moved(school: School) -> None:
    first, second = schedule(school, weekly_occurrences=2).sessions

    response = api_as(school.instructor).post(
        f"{ORG}/live-sessions/{second.pk}/move",
        {"starts_at": "2026-04-07T08:30:00-05:00", "duration_minutes": 45},
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["starts_at"], body["ends_at"], body["moved"]) == (
        "2026-04-07T13:30:00Z",
        "2026-04-07T14:15:00Z",
        True,
    )
    assert fresh(first).starts_at == START
    assert fresh(second).starts_at == datetime(2026, 4, 7, 13, 30, tzinfo=UTC)


def test_a_refused_move_changes_nothing(school: School) -> None:
    session = schedule(school).sessions[0]
    path = f"{ORG}/live-sessions/{session.pk}/move"
    body = {"starts_at": "2026-04-07T08:30:00Z", "duration_minutes": 45}

    too_long = api_as(school.instructor).post(path, body | {"duration_minutes": 800})
    learner = api_as(school.ada).post(path, body)
    foreign = api_as(school.stranger).post(f"/orgs/elsewhere/live-sessions/{session.pk}/move", body)

    assert too_long.status_code == 422
    assert too_long.json()["errors"] == {
        "duration_minutes": ["Ensure this value is less than or equal to 720."]
    }
    assert (learner.status_code, foreign.status_code) == (403, 404)
    assert (fresh(session).starts_at, fresh(session).moved) == (START, False)


def test_cancelling_tells_participants_once(school: School) -> None:
    session = schedule(school).sessions[0]
    path = f"{ORG}/live-sessions/{session.pk}/cancel"

    first = api_as(school.admin).post(path)
    again = api_as(school.admin).post(path)

    assert first.status_code == 200
    assert first.json()["status"] == "cancelled"
    assert again.json()["status"] == "cancelled"
    assert fresh(session).status == SessionStatus.CANCELLED
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert told == {school.instructor.pk, school.ada.pk, school.bob.pk}
    assert Notification.objects.count() == 3


def test_learners_may_not_cancel_and_another_orgs_session_is_404(school: School) -> None:
    session = schedule(school).sessions[0]

    learner = api_as(school.ada).post(f"{ORG}/live-sessions/{session.pk}/cancel")
    foreign = api_as(school.stranger).post(f"/orgs/elsewhere/live-sessions/{session.pk}/cancel")

    assert (learner.status_code, foreign.status_code) == (403, 404)
    assert fresh(session).status == SessionStatus.SCHEDULED
    assert Notification.objects.count() == 0
