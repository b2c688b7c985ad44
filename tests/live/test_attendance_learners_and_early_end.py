"""Attendance counts learners (hosts and staff shown apart on the page, in the CSV and on the
API), and a session a host ended early is counted over the time it actually ran."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadenza.live.attendance.actions.attendance import compute_attendance, join_room, leave_room
from cadenza.live.attendance.selectors.attendance import attendance_report, session_length_seconds
from cadenza.live.models import Attendance, LiveSession
from cadenza.orgs.models import Role
from tests.api.conftest import api_as
from tests.factories import make_user
from tests.live.fixtures_attendance import Live, at, build_live
from tests.live.test_attendance_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def live() -> Live:
    return build_live()


def ran(session: LiveSession, *, opened: float, closed: float) -> None:
    """The room's real open interval (as ``open_room`` and ``close_room`` store it)."""
    session.opened_at, session.closed_at = at(opened), at(closed)
    session.save(update_fields=["opened_at", "closed_at"])


def attended(session: LiveSession) -> dict[int, tuple[int, bool]]:
    return {
        row.user_id: (row.seconds_present, row.attended)
        for row in Attendance.objects.filter(session=session)
    }


def test_a_session_ended_early_counts_the_threshold_over_the_time_it_ran(live: Live) -> None:
    # Scheduled 60 min, 75 %: 45 min. The host ended it after 30 min.
    ran(live.session, opened=0, closed=30)
    join_room(session=live.session, user=live.ada, connection_id="ada", at=at(0))
    leave_room(connection_id="ada", at=at(30))
    join_room(session=live.session, user=live.bob, connection_id="bob", at=at(10))
    leave_room(connection_id="bob", at=at(30))

    compute_attendance(session=live.session, now=at(40))

    assert session_length_seconds(live.session) == 1800
    # Ada: all 30 min of 30. Bob: 20 of 30 min (67 %), under 75 %.
    assert attended(live.session) == {live.ada.pk: (1800, True), live.bob.pk: (1200, False)}
    page = client_for(live.host).get(
        reverse("live_attendance", args=[live.org.slug, live.session.pk])
    )
    assert "(22 min of the 30 min it ran: it was ended early)" in page.content.decode()


def test_a_room_opened_late_counts_from_its_opening(live: Live) -> None:
    ran(live.session, opened=20, closed=60)
    join_room(session=live.session, user=live.ada, connection_id="ada", at=at(20))
    leave_room(connection_id="ada", at=at(50))

    compute_attendance(session=live.session, now=at(70))

    # 30 of the 40 min it ran: exactly 75 %.
    assert attended(live.session) == {live.ada.pk: (1800, True)}


def test_a_session_that_ran_its_full_time_keeps_its_scheduled_length(live: Live) -> None:
    ran(live.session, opened=-10, closed=75)
    join_room(session=live.session, user=live.ada, connection_id="ada", at=at(0))
    leave_room(connection_id="ada", at=at(40))

    compute_attendance(session=live.session, now=at(80))

    assert session_length_seconds(live.session) == 3600
    assert attended(live.session) == {live.ada.pk: (2400, False)}


def test_hosts_and_staff_are_apart_from_learners_on_the_page_the_csv_and_the_api(
    live: Live,
) -> None:
    ta = make_user(live.org, Role.TA, display_name="Tom TA", email="tom@example.org")
    for person, name in ((live.host, "h"), (ta, "t"), (live.ada, "a")):
        join_room(session=live.session, user=person, connection_id=name, at=at(0))
        leave_room(connection_id=name, at=at(60))
    compute_attendance(session=live.session, now=at(70))

    roles = {row.user.name: row.role for row in attendance_report(live.session, now=at(70))}
    assert roles == {
        "Ada Learner": "learner",
        "Bob Learner": "learner",
        "Hana Host": "host",
        "Tom TA": "staff",
    }
    page = client_for(live.host).get(
        reverse("live_attendance", args=[live.org.slug, live.session.pk])
    )
    assert [row.user.name for row in page.context["learners"]] == ["Ada Learner", "Bob Learner"]
    assert [row.user.name for row in page.context["staff"]] == ["Hana Host", "Tom TA"]
    html = page.content.decode()
    assert "1 of 2 learners attended." in html
    assert "Hosts and staff" in html
    csv = client_for(live.host).get(
        reverse("live_attendance", args=[live.org.slug, live.session.pk]) + "?format=csv"
    )
    assert [line.split(",")[:2] for line in csv.content.decode().splitlines()] == [
        ["Role", "Name"],
        ["Learner", "Ada Learner"],
        ["Learner", "Bob Learner"],
        ["Host", "Hana Host"],
        ["Staff", "Tom TA"],
    ]
    api = api_as(live.host).get(f"/orgs/{live.org.slug}/live-sessions/{live.session.pk}/attendance")
    assert [(row["person"]["name"], row["role"]) for row in api.json()] == [
        ("Ada Learner", "learner"),
        ("Bob Learner", "learner"),
        ("Hana Host", "host"),
        ("Tom TA", "staff"),
    ]
