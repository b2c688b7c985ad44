"""The scheduling pages: times entered in the person's zone, form errors with nothing written,
403 for learners, 404 for another organization's things, and the session list."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from cadenza.courses.models import Unit, UnitKind
from cadenza.live.models import LiveSession, SessionStatus
from cadenza.live.schedule.actions.scheduling import cancel_session
from cadenza.live.schedule.selectors import hosts_of, upcoming_sessions
from cadenza.notifications.models import Notification
from cadenza.orgs.selectors import access_org
from tests.factories import make_course, make_module
from tests.live.fixtures_scheduling import (
    START,
    School,
    build_school,
    client_for,
    fresh,
    schedule,
)
from tests.web.html_audit import audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> School:
    return build_school()


def new_url(school: School, module_id: int | None = None) -> str:
    return reverse(
        "live_schedule_new",
        kwargs={
            "org_slug": "harbour",
            "course_slug": "sepsis",
            "module_id": module_id or school.module.pk,
        },
    )


def session_url(name: str, session: LiveSession, org_slug: str = "harbour") -> str:
    return reverse(name, kwargs={"org_slug": org_slug, "session_id": session.pk})


def form_data(school: School, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Sepsis simulation",
        "agenda": "Cases",
        "date": "2026-03-30",
        "start_time": "18:00",
        "duration_minutes": "90",
        "weekly_occurrences": "1",
        "hosts": [str(school.instructor.pk), str(school.ta.pk)],
        "format": "webinar",
        "provider": "none",
        "capacity": "",
        "lobby_minutes": "10",
        "private_chat": "hosts",
    }
    data.update(changes)
    return data


def test_the_form_names_the_persons_zone_and_offers_only_staff_as_hosts(school: School) -> None:
    response = client_for(school.instructor).get(new_url(school))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<label for="id_start_time">Start time (Europe/Berlin):</label>' in page
    assert "Ines Instructor (ines@example.org)" in page
    assert "Tom TA (tom@example.org)" in page
    assert "Alma Admin (admin@example.org)" in page
    assert "ada@example.org" not in page


def test_scheduling_turns_the_local_time_into_utc_and_shows_the_session_list(
    school: School,
) -> None:
    client = client_for(school.instructor)
    response = client.post(new_url(school), form_data(school))
    session = LiveSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (f"/o/harbour/courses/sepsis/live/{session.unit_id}/sessions/")
    assert (session.starts_at, session.ends_at) == (START, START + timedelta(minutes=90))
    assert (session.format, session.provider, session.capacity) == ("webinar", "none", None)
    assert hosts_of(session) == [school.instructor, school.ta]
    assert Unit.objects.get(pk=session.unit_id).kind == UnitKind.LIVE_SESSION
    page = client.get(response["Location"]).content.decode()
    assert "30 Mar 2026, 18:00 (Europe/Berlin)" in page
    assert "30 Mar 2026, 19:30 (Europe/Berlin)" in page
    assert "Ines Instructor, Tom TA" in page


def test_a_weekly_series_is_scheduled_from_the_form(school: School) -> None:
    response = client_for(school.instructor).post(
        new_url(school), form_data(school, weekly_occurrences="3", date="2026-03-23")
    )
    assert response.status_code == 302
    assert list(LiveSession.objects.values_list("starts_at", flat=True)) == [
        datetime(2026, 3, 23, 17, 0, tzinfo=UTC),  # 18:00 CET
        datetime(2026, 3, 30, 16, 0, tzinfo=UTC),  # 18:00 CEST
        datetime(2026, 4, 6, 16, 0, tzinfo=UTC),
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"hosts": []}, "This field is required."),
        ({"hosts": ["999999"]}, "Select a valid choice."),
        ({"duration_minutes": "0"}, "Ensure this value is greater than or equal to 5."),
        ({"date": "30/30/2026"}, "Enter a valid date."),
        ({"weekly_occurrences": "99"}, "Ensure this value is less than or equal to 52."),
        (
            {"date": "2026-03-29", "start_time": "02:30"},
            "02:30 does not exist on 29 Mar 2026 in Europe/Berlin (the clocks change); "
            "choose another time.",
        ),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_written(
    school: School, changes: dict[str, object], message: str
) -> None:
    response = client_for(school.instructor).post(new_url(school), form_data(school, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Unit.objects.count(), LiveSession.objects.count()) == (0, 0)


def test_a_learner_host_smuggled_in_is_refused(school: School) -> None:
    response = client_for(school.instructor).post(
        new_url(school), form_data(school, hosts=[str(school.ada.pk)])
    )
    assert response.status_code == 400
    assert LiveSession.objects.count() == 0


def test_learners_and_tas_may_not_schedule(school: School) -> None:
    for person in (school.ada, school.ta):
        client = client_for(person)
        assert client.get(new_url(school)).status_code == 403
        assert client.post(new_url(school), form_data(school)).status_code == 403
    assert (Unit.objects.count(), LiveSession.objects.count()) == (0, 0)


def test_another_organizations_module_or_session_is_not_found(school: School) -> None:
    foreign_course = make_course(school.other_org, slug="sepsis")
    foreign_module = make_module(foreign_course)
    client = client_for(school.instructor)
    assert client.get(new_url(school, foreign_module.pk)).status_code == 404
    session = schedule(school).sessions[0]
    stranger = client_for(school.stranger)
    for name in ("live_session_edit", "live_session_move", "live_session_cancel"):
        assert stranger.get(session_url(name, session, "elsewhere")).status_code == 404
        assert stranger.post(session_url(name, session, "elsewhere")).status_code == 404
        assert stranger.get(session_url(name, session)).status_code == 404
    assert fresh(session).status == SessionStatus.SCHEDULED


def test_editing_from_the_form_changes_the_session_and_its_sequence(school: School) -> None:
    session = schedule(school).sessions[0]
    client = client_for(school.instructor)
    page = client.get(session_url("live_session_edit", session)).content.decode()
    assert 'value="Sepsis simulation"' in page
    assert 'value="2026-03-30"' in page
    assert 'value="18:00"' in page
    response = client.post(
        session_url("live_session_edit", session),
        form_data(school, title="Case review", start_time="19:00", duration_minutes="60"),
    )
    assert response.status_code == 302
    current = fresh(session)
    assert (current.title, current.starts_at, current.ical_sequence) == (
        "Case review",
        START + timedelta(hours=1),
        1,
    )
    assert hosts_of(current) == [school.instructor, school.ta]


def test_the_edit_page_sets_whether_learners_may_share_their_screen(school: School) -> None:
    session = schedule(school).sessions[0]
    assert session.learners_may_share_screen is False
    client = client_for(school.instructor)
    page = client.get(session_url("live_session_edit", session)).content.decode()
    assert "Learners may share their screen" in page
    url = session_url("live_session_edit", session)
    allowed = client.post(url, form_data(school, learners_may_share_screen="on"))
    assert allowed.status_code == 302
    assert fresh(session).learners_may_share_screen is True
    page = client.get(url).content.decode()
    assert re.search(r'<input type="checkbox" name="learners_may_share_screen"[^>]* checked>', page)
    assert client.post(url, form_data(school)).status_code == 302
    assert fresh(session).learners_may_share_screen is False


def test_moving_from_the_form(school: School) -> None:
    sessions = schedule(school, weekly_occurrences=2).sessions
    client = client_for(school.admin)  # in UTC
    response = client.post(
        session_url("live_session_move", sessions[1]),
        {"date": "2026-04-07", "start_time": "09:15", "duration_minutes": "45"},
    )
    assert response.status_code == 302
    moved = fresh(sessions[1])
    start = datetime(2026, 4, 7, 9, 15, tzinfo=UTC)
    assert (moved.starts_at, moved.ends_at, moved.moved) == (
        start,
        start + timedelta(minutes=45),
        True,
    )
    bad = client.post(session_url("live_session_move", sessions[0]), {"date": "soon"})
    assert bad.status_code == 400
    assert fresh(sessions[0]).starts_at == START


def test_cancelling_asks_first_then_cancels_on_post(school: School) -> None:
    session = schedule(school).sessions[0]
    client = client_for(school.instructor)
    page = client.get(session_url("live_session_cancel", session)).content.decode()
    assert "Cancel “Sepsis simulation” on 30 Mar 2026, 18:00 (Europe/Berlin)?" in page
    assert fresh(session).status == SessionStatus.SCHEDULED
    assert client.post(session_url("live_session_cancel", session)).status_code == 302
    assert fresh(session).status == SessionStatus.CANCELLED
    assert Notification.objects.count() == 2


def test_a_learner_may_not_edit_move_or_cancel(school: School) -> None:
    session = schedule(school).sessions[0]
    client = client_for(school.ada)
    for name in ("live_session_edit", "live_session_move", "live_session_cancel"):
        assert client.get(session_url(name, session)).status_code == 403
        assert client.post(session_url(name, session), form_data(school)).status_code == 403
    current = fresh(session)
    assert (current.title, current.status, current.ical_sequence) == (
        "Sepsis simulation",
        "scheduled",
        0,
    )


def test_the_session_list_shows_each_person_their_own_zone(school: School) -> None:
    session = schedule(school, weekly_occurrences=2).sessions[0]
    url = reverse(
        "live_unit_sessions",
        kwargs={"org_slug": "harbour", "course_slug": "sepsis", "unit_id": session.unit_id},
    )
    page = client_for(school.ada).get(url).content.decode()
    assert "30 Mar 2026, 11:00 (America/Chicago)" in page
    assert "6 Apr 2026, 11:00 (America/Chicago)" in page
    assert "A weekly series at 18:00 in Europe/Berlin." in page
    assert session_url("live_session_ics", session) in page
    assert session_url("live_session_edit", session) not in page
    staff_page = client_for(school.instructor).get(url).content.decode()
    assert session_url("live_session_edit", session) in staff_page
    assert client_for(school.carl).get(url).status_code == 404  # not enrolled


def test_upcoming_sessions_are_the_persons_next_ones_in_this_organization(
    school: School,
) -> None:
    sessions = schedule(school, weekly_occurrences=3).sessions
    cancel_session(session=sessions[0], by=school.instructor)
    ctx = access_org(user=school.ada, slug="harbour")
    upcoming = upcoming_sessions(ctx, now=START - timedelta(days=1), limit=10)
    assert [s.pk for s in upcoming] == [sessions[1].pk, sessions[2].pk]
    assert [s.is_host for s in upcoming] == [False, False]  # type: ignore[attr-defined]
    in_progress = upcoming_sessions(ctx, now=sessions[1].starts_at + timedelta(minutes=30))
    assert [s.pk for s in in_progress] == [sessions[1].pk, sessions[2].pk]
    assert [s.pk for s in upcoming_sessions(ctx, now=START, limit=1)] == [sessions[1].pk]
    host_ctx = access_org(user=school.instructor, slug="harbour")
    hosting = upcoming_sessions(host_ctx, now=START - timedelta(days=1))
    assert [s.is_host for s in hosting] == [True, True]  # type: ignore[attr-defined]
    carl_ctx = access_org(user=school.carl, slug="harbour")
    assert upcoming_sessions(carl_ctx, now=START - timedelta(days=1)) == []


@pytest.mark.urls("tests.live.test_calendar_feeds")  # the feed's URL mounted at the root
def test_the_scheduling_and_calendar_pages_pass_the_html_audit(school: School) -> None:
    session = schedule(school, weekly_occurrences=2, agenda="**Cases**").sessions[0]
    sessions_page = reverse(
        "live_unit_sessions",
        kwargs={"org_slug": "harbour", "course_slug": "sepsis", "unit_id": session.unit_id},
    )
    staff = client_for(school.instructor)
    pages = [
        new_url(school),
        session_url("live_session_edit", session),
        session_url("live_session_move", session),
        session_url("live_session_cancel", session),
        sessions_page,
        reverse("calendar_settings", kwargs={"org_slug": "harbour"}),
    ]
    problems = {url: audit(staff.get(url).content.decode()) for url in pages}
    invalid = staff.post(new_url(school), form_data(school, title=""))
    problems["invalid form"] = audit(invalid.content.decode())
    staff.post(reverse("calendar_settings", kwargs={"org_slug": "harbour"}), {"action": "make"})
    with_link = staff.get(reverse("calendar_settings", kwargs={"org_slug": "harbour"}))
    problems["calendar link"] = audit(with_link.content.decode())
    assert {url: found for url, found in problems.items() if found} == {}
