"""The hosts' attendance page: who may see it, corrections through the form, the CSV file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.live.attendance.actions.attendance import compute_attendance, join_room, leave_room
from cadenza.live.models import Attendance
from cadenza.orgs.models import Role
from tests.factories import PASSWORD, make_org, make_user
from tests.live.fixtures_attendance import Live, at, build_live

pytestmark = pytest.mark.django_db


@pytest.fixture
def live() -> Live:
    return build_live()


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def url(live: Live, name: str = "live_attendance") -> str:
    return reverse(name, kwargs={"org_slug": live.org.slug, "session_id": live.session.pk})


def test_hosts_and_admins_see_the_attendance_table(live: Live) -> None:
    join_room(session=live.session, user=live.ada, connection_id="ada", at=at(0))
    leave_room(connection_id="ada", at=at(50))

    for person in (live.host, live.admin):
        response = client_for(person).get(url(live))
        assert response.status_code == 200
        rows = {row.user.pk: row for row in response.context["rows"]}
        assert rows[live.ada.pk].minutes_present == 50
        assert rows[live.ada.pk].attended is True
        assert rows[live.bob.pk].source_label == "Absent"


def test_learners_and_instructors_who_do_not_host_get_403(live: Live) -> None:
    assert client_for(live.ada).get(url(live)).status_code == 403
    assert client_for(live.instructor).get(url(live)).status_code == 403
    assert client_for(live.ada).get(url(live) + "?format=csv").status_code == 403


def test_another_organizations_admin_gets_404(live: Live) -> None:
    other = make_org()
    stranger = make_user(other, role=Role.ADMIN)
    other_url = reverse(
        "live_attendance", kwargs={"org_slug": other.slug, "session_id": live.session.pk}
    )

    assert client_for(stranger).get(other_url).status_code == 404
    assert client_for(stranger).get(url(live)).status_code == 404


def test_the_csv_export_is_exact_and_formula_safe(live: Live) -> None:
    live.ada.display_name = '=HYPERLINK("http://evil.example","x")'
    live.ada.time_zone = "Europe/Paris"
    live.ada.save()
    join_room(session=live.session, user=live.ada, connection_id="ada1", at=at(-2))
    leave_room(connection_id="ada1", at=at(30))
    join_room(session=live.session, user=live.ada, connection_id="ada2", at=at(29))
    leave_room(connection_id="ada2", at=at(47) + timedelta(seconds=30))
    join_room(session=live.session, user=live.bob, connection_id="bob", at=at(0))
    leave_room(connection_id="bob", at=at(10))
    compute_attendance(session=live.session, now=at(70))
    client_for(live.host).post(
        url(live), {"person": live.bob.pk, "attended": "on", "note": "Phone dial-in"}
    )

    response = client_for(live.host).get(url(live) + "?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="live-session-{live.session.pk}-attendance.csv"'
    )
    assert response.content.decode() == (
        "Role,Name,E-mail,Time zone,Joined first (UTC),Left last (UTC),Minutes present,"
        "Attended,Source,Corrected by\r\n"
        'Learner,"\'=HYPERLINK(""http://evil.example"",""x"")",ada@example.org,Europe/Paris,'
        "2026-03-02T14:58:00+00:00,2026-03-02T15:47:30+00:00,47,yes,Present live,\r\n"
        "Learner,Bob Learner,bob@example.org,UTC,2026-03-02T15:00:00+00:00,"
        f"2026-03-02T15:10:00+00:00,10,yes,Corrected by a host,{live.host.email}\r\n"
    )


def test_a_host_corrects_attendance_through_the_form(live: Live) -> None:
    response = client_for(live.host).post(
        url(live),
        {"person": live.bob.pk, "attended": "on", "minutes_present": "40", "note": "Dial-in"},
    )

    assert response.status_code == 302
    row = Attendance.objects.get(session=live.session, user=live.bob)
    assert (row.seconds_present, row.attended, row.source) == (2400, True, "corrected")
    assert (row.corrected_by, row.note) == (live.host, "Dial-in")


@pytest.mark.parametrize(
    "data",
    [
        {"person": "999999", "attended": "on"},
        {"person": "not-a-number"},
        {"attended": "on"},
        {"person": "{bob}", "minutes_present": "61"},
        {"person": "{bob}", "minutes_present": "-5"},
        {"person": "{bob}", "note": "x" * 301},
    ],
)
def test_bad_corrections_answer_400_and_write_nothing(live: Live, data: dict[str, str]) -> None:
    data = {key: value.replace("{bob}", str(live.bob.pk)) for key, value in data.items()}

    response = client_for(live.host).post(url(live), data)

    assert response.status_code == 400
    assert response.context["form"].errors
    assert Attendance.objects.count() == 0


def test_a_learner_cannot_post_a_correction(live: Live) -> None:
    response = client_for(live.ada).post(url(live), {"person": live.ada.pk, "attended": "on"})

    assert response.status_code == 403
    assert Attendance.objects.count() == 0


def test_recount_stores_the_counted_attendance(live: Live) -> None:
    now = datetime.now(UTC)
    live.session.starts_at = now - timedelta(hours=2)
    live.session.ends_at = now - timedelta(hours=1)
    live.session.save()
    join_room(session=live.session, user=live.ada, connection_id="ada", at=live.session.starts_at)
    leave_room(connection_id="ada", at=live.session.ends_at)

    response = client_for(live.host).post(url(live, "live_attendance_recount"))

    assert response.status_code == 302
    row = Attendance.objects.get(user=live.ada)
    assert (row.seconds_present, row.attended) == (3600, True)
    assert client_for(live.ada).post(url(live, "live_attendance_recount")).status_code == 403
