"""Presence intervals, counting attendance, corrections, and what attendance writes to the
learning record and progress."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from cadenza.accounts.models import User
from cadenza.activity.models import Statement
from cadenza.activity.verbs import Verb
from cadenza.learning.models import ProgressStatus, UnitProgress
from cadenza.lib.errors import DomainError
from cadenza.live.attendance.actions.attendance import (
    close_open_intervals,
    compute_attendance,
    correct_attendance,
    iso_duration,
    join_room,
    leave_room,
    note_presence_heartbeat,
)
from cadenza.live.attendance.selectors.attendance import attendance_report, session_presence
from cadenza.live.models import Attendance, LiveSession, PresenceInterval
from tests.factories import make_user
from tests.live.fixtures_attendance import END, START, Live, add_session, at, build_live

pytestmark = pytest.mark.django_db


@pytest.fixture
def live() -> Live:
    return build_live()


def present(session: LiveSession, user: User, start: float, end: float | None, n: str) -> None:
    join_room(session=session, user=user, connection_id=n, at=at(start))
    if end is not None:
        leave_room(connection_id=n, at=at(end))


def attended_statements(user: User) -> list[Statement]:
    return list(Statement.objects.filter(actor=user, verb=Verb.ATTENDED.value).order_by("stored"))


def row_of(session: LiveSession, user: User) -> Attendance:
    return Attendance.objects.get(session=session, user=user)


def test_overlapping_tabs_and_reconnects_count_once(live: Live) -> None:
    present(live.session, live.ada, 0, 30, "a1")
    present(live.session, live.ada, 10, 40, "a2")  # a second tab
    present(live.session, live.ada, 39.5, 50, "a3")  # reconnect before the old socket closed
    present(live.session, live.ada, 55, 56, "a4")

    presence = session_presence(live.session, now=END + timedelta(hours=1))

    assert presence[live.ada.pk].seconds == 51 * 60
    assert presence[live.ada.pk].first_joined == at(0)
    assert presence[live.ada.pk].last_left == at(56)


def test_presence_is_clipped_to_the_session(live: Live) -> None:
    present(live.session, live.ada, -10, 5, "early")  # in the lobby before the start
    present(live.session, live.ada, 58, 75, "late")  # stayed after the end

    presence = session_presence(live.session, now=END + timedelta(hours=1))

    assert presence[live.ada.pk].seconds == 7 * 60


def test_exactly_the_threshold_attends_and_one_second_less_does_not(live: Live) -> None:
    present(live.session, live.ada, 0, 45, "ada")
    join_room(session=live.session, user=live.bob, connection_id="bob", at=at(0))
    leave_room(connection_id="bob", at=at(45) - timedelta(seconds=1))

    rows = {row.user_id: row for row in compute_attendance(session=live.session, now=at(70))}

    assert (rows[live.ada.pk].seconds_present, rows[live.ada.pk].attended) == (2700, True)
    assert (rows[live.bob.pk].seconds_present, rows[live.bob.pk].attended) == (2699, False)


def test_a_person_connected_for_one_minute_did_not_attend(live: Live) -> None:
    present(live.session, live.ada, 5, 6, "ada")

    compute_attendance(session=live.session, now=at(70))

    row = row_of(live.session, live.ada)
    assert (row.seconds_present, row.attended, row.source) == (60, False, "live")
    assert attended_statements(live.ada) == []
    assert not UnitProgress.objects.filter(user=live.ada).exists()


def test_a_session_threshold_other_than_75_is_used(live: Live) -> None:
    live.session.attendance_threshold_percent = 50
    live.session.save()
    present(live.session, live.ada, 0, 30, "ada")

    compute_attendance(session=live.session, now=at(70))

    assert row_of(live.session, live.ada).attended is True


def test_attending_records_one_statement_and_completes_the_unit(live: Live) -> None:
    present(live.session, live.ada, 0, 45, "ada")

    compute_attendance(session=live.session, now=at(70))
    compute_attendance(session=live.session, now=at(80))

    statements = attended_statements(live.ada)
    assert len(statements) == 1
    statement = statements[0]
    assert statement.object_type == "live_session"
    assert statement.object_id == str(live.session.pk)
    assert statement.result == {"success": True, "duration": "PT45M"}
    assert statement.context["extensions"] == {
        "urn:cadenza:xapi:extension:attendance-source": "live"
    }
    progress = UnitProgress.objects.get(user=live.ada, unit=live.unit)
    assert progress.status == ProgressStatus.COMPLETED
    completed = Statement.objects.filter(actor=live.ada, verb=Verb.COMPLETED.value)
    assert completed.count() == 1


def test_hosts_presence_is_kept_but_is_not_learning(live: Live) -> None:
    present(live.session, live.host, 0, 60, "host")

    compute_attendance(session=live.session, now=at(70))

    assert row_of(live.session, live.host).attended is True
    assert attended_statements(live.host) == []
    assert not UnitProgress.objects.filter(user=live.host).exists()


def test_live_numbers_during_the_session_count_open_intervals_up_to_now(live: Live) -> None:
    present(live.session, live.ada, 0, None, "ada")

    rows = {row.user.pk: row for row in attendance_report(live.session, now=at(20))}

    assert rows[live.ada.pk].seconds_present == 1200
    assert rows[live.ada.pk].connected is True
    assert rows[live.bob.pk].source_label == "Absent"
    assert Attendance.objects.count() == 0


def test_leaving_twice_or_with_an_unknown_id_changes_nothing(live: Live) -> None:
    present(live.session, live.ada, 0, 10, "ada")

    again = leave_room(connection_id="ada", at=at(30))

    assert again is not None
    assert again.left_at == at(10)
    assert leave_room(connection_id="nobody", at=at(30)) is None
    assert PresenceInterval.objects.get().left_at == at(10)


def test_joining_again_with_the_same_connection_id_keeps_one_interval(live: Live) -> None:
    first = join_room(session=live.session, user=live.ada, connection_id="c", at=at(0))
    second = join_room(session=live.session, user=live.ada, connection_id="c", at=at(1))

    assert first.pk == second.pk
    assert PresenceInterval.objects.get().joined_at == at(0)
    with pytest.raises(ValueError, match="another session or person"):
        join_room(session=live.session, user=live.bob, connection_id="c", at=at(2))


def test_closing_the_room_closes_live_connections_at_the_close(live: Live) -> None:
    present(live.session, live.ada, 0, None, "ada")
    note_presence_heartbeat(connection_ids=["ada"], at=at(49.8))

    closed = close_open_intervals(session=live.session, at=at(50))

    assert closed == 1
    assert PresenceInterval.objects.get().left_at == at(50)
    assert close_open_intervals(session=live.session, at=at(55)) == 0


def test_a_connection_of_a_dead_server_closes_at_its_last_heartbeat(live: Live) -> None:
    present(live.session, live.ada, 0, None, "ada")
    note_presence_heartbeat(connection_ids=["ada"], at=at(20))

    close_open_intervals(session=live.session, at=at(60))

    assert PresenceInterval.objects.get().left_at == at(20)


def test_corrections_are_kept_when_attendance_is_counted_again(live: Live) -> None:
    present(live.session, live.ada, 0, 10, "ada")
    compute_attendance(session=live.session, now=at(70))

    correct_attendance(
        session=live.session,
        user=live.ada,
        attended=True,
        note="Was in the room on a shared laptop",
        by=live.host,
        now=at(90),
    )
    present(live.session, live.ada, 10, 20, "ada-again")
    compute_attendance(session=live.session, now=at(120))

    row = row_of(live.session, live.ada)
    assert (row.seconds_present, row.attended, row.source) == (600, True, "corrected")
    assert (row.corrected_by, row.updated_at) == (live.host, at(90))
    assert row.note == "Was in the room on a shared laptop"


def test_marking_attended_records_the_statement_and_completes(live: Live) -> None:
    correct_attendance(
        session=live.session,
        user=live.bob,
        attended=True,
        seconds_present=3000,
        note="",
        by=live.admin,
        now=at(90),
    )
    correct_attendance(
        session=live.session, user=live.bob, attended=True, note="", by=live.admin, now=at(91)
    )

    statements = attended_statements(live.bob)
    assert [s.result for s in statements] == [{"success": True, "duration": "PT50M"}]
    assert statements[0].context["instructor"] == {
        "mbox": f"mailto:{live.admin.email}",
        "name": "Alma Admin",
    }
    progress = UnitProgress.objects.get(user=live.bob, unit=live.unit)
    assert progress.status == ProgressStatus.COMPLETED


def test_unmarking_keeps_the_statement_and_records_the_correction(live: Live) -> None:
    present(live.session, live.ada, 0, 50, "ada")
    compute_attendance(session=live.session, now=at(70))

    correct_attendance(
        session=live.session, user=live.ada, attended=False, note="Camera off", by=live.host
    )
    correct_attendance(
        session=live.session, user=live.ada, attended=False, note="Camera off", by=live.host
    )
    correct_attendance(session=live.session, user=live.ada, attended=True, note="", by=live.host)

    assert [s.result["success"] for s in attended_statements(live.ada)] == [True, False, True]
    assert row_of(live.session, live.ada).attended is True


def test_a_learner_may_not_correct_and_nothing_changes(live: Live) -> None:
    present(live.session, live.ada, 0, 10, "ada")
    compute_attendance(session=live.session, now=at(70))

    with pytest.raises(PermissionDenied):
        correct_attendance(session=live.session, user=live.ada, attended=True, note="", by=live.bob)
    with pytest.raises(PermissionDenied):
        correct_attendance(
            session=live.session, user=live.ada, attended=True, note="", by=live.instructor
        )

    row = row_of(live.session, live.ada)
    assert (row.attended, row.source, row.corrected_by) == (False, "live", None)
    assert attended_statements(live.ada) == []


@pytest.mark.parametrize(
    ("seconds", "note", "message"),
    [(3601, "", "between 0 and 3600"), (-1, "", "between 0 and 3600"), (None, "x" * 301, "300")],
)
def test_bad_corrections_write_nothing(
    live: Live, seconds: int | None, note: str, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        correct_attendance(
            session=live.session,
            user=live.ada,
            attended=True,
            seconds_present=seconds,
            note=note,
            by=live.host,
        )

    assert Attendance.objects.count() == 0
    assert attended_statements(live.ada) == []


def test_a_person_of_another_organization_cannot_be_marked(live: Live) -> None:
    outsider = make_user(None)

    with pytest.raises(DomainError, match="not a member"):
        correct_attendance(
            session=live.session, user=outsider, attended=True, note="", by=live.host
        )

    assert Attendance.objects.count() == 0


def test_attending_any_one_occurrence_of_a_series_completes_the_unit(live: Live) -> None:
    second = add_session(
        org=live.org,
        course=live.course,
        unit=live.unit,
        host=live.host,
        start=START + timedelta(days=7),
    )
    present(live.session, live.ada, 0, 10, "first")
    compute_attendance(session=live.session, now=at(70))
    assert not UnitProgress.objects.filter(user=live.ada, status="completed").exists()

    join_room(session=second, user=live.ada, connection_id="second", at=second.starts_at)
    leave_room(connection_id="second", at=second.ends_at)
    compute_attendance(session=second, now=second.ends_at)

    progress = UnitProgress.objects.get(user=live.ada, unit=live.unit)
    assert progress.status == ProgressStatus.COMPLETED
    assert [s.object_id for s in attended_statements(live.ada)] == [str(second.pk)]


@pytest.mark.parametrize(
    ("seconds", "text"), [(2700, "PT45M"), (3661, "PT1H1M1S"), (0, "PT0S"), (3600, "PT1H")]
)
def test_iso_durations(seconds: int, text: str) -> None:
    assert iso_duration(seconds) == text
