"""Live sessions through the API: the lists, one session, and scheduling, editing, moving and
cancelling with the pages' rules (422 by field, 403 for learners, 404 for another
organization's ids, nothing written on a refusal)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from cadenza.courses.models import Unit
from cadenza.live.models import LiveSeries, LiveSession
from cadenza.live.schedule.actions.scheduling import cancel_session
from tests.api.conftest import API, api_as, iso
from tests.factories import make_course, make_module
from tests.live.fixtures_scheduling import START, School, build_school, fresh, schedule

pytestmark = pytest.mark.django_db

ORG = "/orgs/harbour"
NEW = ORG + "/courses/sepsis/modules/{module}/live-sessions"


@pytest.fixture
def school() -> School:
    return build_school()


def person(user: Any) -> dict[str, Any]:
    return {"id": user.pk, "email": user.email, "name": user.name}


def rows() -> tuple[int, int, int]:
    return LiveSession.objects.count(), Unit.objects.count(), LiveSeries.objects.count()


def expected(session: LiveSession, school: School, **changes: Any) -> dict[str, Any]:
    """A session as the API shows it, hosted by the instructor (Berlin), unless changed."""
    body: dict[str, Any] = {
        "id": session.pk,
        "course": "sepsis",
        "unit_id": session.unit_id,
        "title": "Sepsis simulation",
        "agenda": "",
        "agenda_html": "",
        "starts_at": iso(session.starts_at),
        "ends_at": iso(session.ends_at),
        "time_zone": "Europe/Berlin",
        "format": "class",
        "provider": "builtin",
        "capacity": None,
        "lobby_minutes": 10,
        "private_chat": "hosts",
        "learners_may_share_screen": False,
        "status": "scheduled",
        "moved": False,
        "series_id": None,
        "occurrence": None,
        "hosts": [person(school.instructor)],
        "is_host": False,
    }
    return body | changes


# Reading


def test_a_course_lists_its_sessions_with_cancelled_ones_for_enrolled_learners(
    school: School,
) -> None:
    first = schedule(school, agenda="**Cases**").sessions[0]
    second = schedule(school, starts_at=START + timedelta(days=1), hosts=[school.ta]).sessions[0]
    cancel_session(session=second, by=school.instructor)

    response = api_as(school.ada).get(ORG + "/courses/sepsis/live-sessions")

    assert response.status_code == 200
    assert response.json() == [
        expected(first, school, agenda="**Cases**", agenda_html="<p><strong>Cases</strong></p>"),
        expected(
            fresh(second),
            school,
            hosts=[person(school.ta)],
            time_zone="Europe/London",
            status="cancelled",
        ),
    ]


def test_learners_do_not_see_sessions_of_draft_units_staff_do(school: School) -> None:
    draft = schedule(school, publish=False).sessions[0]

    assert api_as(school.ada).get(ORG + "/courses/sepsis/live-sessions").json() == []
    staff = api_as(school.instructor).get(ORG + "/courses/sepsis/live-sessions").json()
    assert staff == [expected(draft, school, is_host=True)]


def test_my_upcoming_sessions_are_the_ones_i_take_part_in_soonest_first(school: School) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    later = schedule(school, starts_at=now + timedelta(days=2), title="Later").sessions[0]
    soon = schedule(school, starts_at=now + timedelta(hours=1), title="Soon").sessions[0]
    schedule(school, starts_at=now - timedelta(days=1), title="Past")
    other = make_course(school.org, title="Other", slug="other")
    school.module = make_module(other)
    schedule(school, starts_at=now + timedelta(hours=2), title="Not my course")

    response = api_as(school.ada).get(ORG + "/live-sessions")

    assert response.status_code == 200
    assert [(s["id"], s["title"]) for s in response.json()] == [
        (soon.pk, "Soon"),
        (later.pk, "Later"),
    ]
    hosting = api_as(school.instructor).get(ORG + "/live-sessions?limit=1").json()
    assert [(s["title"], s["is_host"]) for s in hosting] == [("Soon", True)]


def test_a_limit_outside_1_to_100_is_refused(school: School) -> None:
    response = api_as(school.ada).get(ORG + "/live-sessions?limit=0")

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["limit"]


def test_one_session_for_an_enrolled_learner_403_for_others_and_404_elsewhere(
    school: School,
) -> None:
    session = schedule(school).sessions[0]
    path = f"{ORG}/live-sessions/{session.pk}"

    assert api_as(school.ada).get(path).json() == expected(session, school)
    refused = api_as(school.carl).get(path)
    assert (refused.status_code, refused.json()["reason"]) == (403, "not_enrolled")
    assert (
        api_as(school.stranger).get(f"/orgs/elsewhere/live-sessions/{session.pk}").status_code
        == 404
    )
    assert api_as(school.stranger).get(path).status_code == 404


# Scheduling


def test_an_instructor_schedules_a_weekly_series_that_keeps_berlins_hour(school: School) -> None:
    first = datetime(2026, 3, 23, 17, 0, tzinfo=UTC)  # 18:00 in Berlin (CET)

    response = api_as(school.instructor).post(
        NEW.format(module=school.module.pk),
        {
            "title": "Sepsis rounds",
            "agenda": "Cases",
            "starts_at": "2026-03-23T18:00:00+01:00",
            "duration_minutes": 90,
            "hosts": [school.ta.pk, school.instructor.pk],
            "format": "webinar",
            "capacity": 40,
            "lobby_minutes": 5,
            "private_chat": "on",
            "learners_may_share_screen": True,
            "weekly_occurrences": 2,
        },
    )

    assert response.status_code == 201
    body = response.json()
    series = LiveSeries.objects.get()
    sessions = list(LiveSession.objects.order_by("starts_at"))
    assert [s.starts_at for s in sessions] == [first, datetime(2026, 3, 30, 16, 0, tzinfo=UTC)]
    assert (body["unit_id"], body["series_id"]) == (series.unit_id, series.pk)
    assert [s["starts_at"] for s in body["sessions"]] == [
        "2026-03-23T17:00:00Z",
        "2026-03-30T16:00:00Z",
    ]
    assert [s["ends_at"] for s in body["sessions"]] == [
        "2026-03-23T18:30:00Z",
        "2026-03-30T17:30:00Z",
    ]
    one = body["sessions"][0]
    assert one["hosts"] == [person(school.instructor), person(school.ta)]
    settings = ("format", "capacity", "lobby_minutes", "private_chat", "learners_may_share_screen")
    assert {k: one[k] for k in settings} == {
        "format": "webinar",
        "capacity": 40,
        "lobby_minutes": 5,
        "private_chat": "on",
        "learners_may_share_screen": True,
    }
    assert (one["time_zone"], one["series_id"], one["occurrence"], one["is_host"]) == (
        "Europe/Berlin",
        series.pk,
        1,
        True,
    )
    assert Unit.objects.get(pk=series.unit_id).published_at is None


def test_scheduling_without_hosts_makes_me_the_host(school: School) -> None:
    response = api_as(school.admin).post(
        NEW.format(module=school.module.pk),
        {"title": "Drop-in", "starts_at": "2026-04-01T09:00:00Z"},
    )

    assert response.status_code == 201
    (session,) = response.json()["sessions"]
    assert session["hosts"] == [person(school.admin)]
    assert (session["starts_at"], session["ends_at"]) == (
        "2026-04-01T09:00:00Z",
        "2026-04-01T10:00:00Z",
    )


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"title": ""}, {"title": ["This field is required."]}),
        (
            {"duration_minutes": 2},
            {"duration_minutes": ["Ensure this value is greater than or equal to 5."]},
        ),
        ({"capacity": 0}, {"capacity": ["Ensure this value is greater than or equal to 1."]}),
        (
            {"lobby_minutes": 500},
            {"lobby_minutes": ["Ensure this value is less than or equal to 120."]},
        ),
        (
            {"weekly_occurrences": 60},
            {"weekly_occurrences": ["Ensure this value is less than or equal to 52."]},
        ),
    ],
)
def test_bad_values_get_the_pages_messages_and_nothing_is_scheduled(
    school: School, changes: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    before = rows()
    body = {"title": "Rounds", "starts_at": "2026-04-01T09:00:00Z"} | changes

    response = api_as(school.instructor).post(NEW.format(module=school.module.pk), body)

    assert response.status_code == 422
    assert response.json()["errors"] == errors
    assert rows() == before


def test_a_learner_may_not_be_a_host(school: School) -> None:
    before = rows()

    response = api_as(school.instructor).post(
        NEW.format(module=school.module.pk),
        {"title": "Rounds", "starts_at": "2026-04-01T09:00:00Z", "hosts": [school.ada.pk]},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "hosts": [f"Select a valid choice. {school.ada.pk} is not one of the available choices."]
    }
    assert rows() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "Rounds", "starts_at": "2026-04-01T09:00:00"}, "starts_at"),
        ({"title": "Rounds", "starts_at": "yesterday"}, "starts_at"),
        ({"title": "Rounds", "starts_at": "2026-04-01T09:00:00Z", "format": "party"}, "format"),
        ({"starts_at": "2026-04-01T09:00:00Z"}, "title"),
    ],
)
def test_input_that_does_not_parse_is_422_by_field(
    school: School, body: dict[str, Any], field: str
) -> None:
    before = rows()

    response = api_as(school.instructor).post(NEW.format(module=school.module.pk), body)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert rows() == before


def test_learners_and_tas_may_not_schedule_and_another_orgs_module_is_404(school: School) -> None:
    before = rows()
    body = {"title": "Rounds", "starts_at": "2026-04-01T09:00:00Z"}

    for user in (school.ada, school.ta):
        response = api_as(user).post(NEW.format(module=school.module.pk), body)
        assert response.status_code == 403, user.email
    foreign = make_module(make_course(school.other_org, slug="sepsis"))
    assert api_as(school.admin).post(NEW.format(module=foreign.pk), body).status_code == 404
    assert rows() == before


def test_the_openapi_schema_lists_the_live_endpoints(school: School) -> None:
    paths = api_as(school.ada).client.get(f"{API}/openapi.json").json()["paths"]
    live = {
        path.removeprefix(API): set(operations)
        for path, operations in paths.items()
        if "live-sessions" in path
    }

    assert live == {
        "/orgs/{org}/live-sessions": {"get"},
        "/orgs/{org}/courses/{course}/live-sessions": {"get"},
        "/orgs/{org}/courses/{course}/modules/{module}/live-sessions": {"post"},
        "/orgs/{org}/live-sessions/{session}": {"get", "patch"},
        "/orgs/{org}/live-sessions/{session}/move": {"post"},
        "/orgs/{org}/live-sessions/{session}/cancel": {"post"},
        "/orgs/{org}/live-sessions/{session}/room/events": {"get"},
        "/orgs/{org}/live-sessions/{session}/room/commands": {"post"},
        "/orgs/{org}/live-sessions/{session}/attendance": {"get"},
        "/orgs/{org}/live-sessions/{session}/attendance/recount": {"post"},
        "/orgs/{org}/live-sessions/{session}/attendance/{person}": {"put"},
        "/orgs/{org}/live-sessions/{session}/replay": {"get"},
        "/orgs/{org}/live-sessions/{session}/replay/questions/{question}/answer": {"post"},
        "/orgs/{org}/live-sessions/{session}/video": {"get"},
        "/orgs/{org}/live-sessions/{session}/video/breakouts/{breakout}": {"get"},
        "/orgs/{org}/live-sessions/{session}/recording": {"put", "delete"},
        "/orgs/{org}/live-sessions/{session}/recording/captions": {"get"},
        "/orgs/{org}/live-sessions/{session}/recording/captions/{language}": {
            "get",
            "put",
            "delete",
        },
    }
