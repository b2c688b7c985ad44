"""Scheduling actions: a session or a weekly series that keeps its local hour across DST,
hosts, editing, moving and cancelling (with the calendar sequence and the notices)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cadenza.courses.actions import withdraw_learner
from cadenza.courses.models import Enrolment, Unit, UnitKind
from cadenza.live.models import (
    LiveSeries,
    LiveSession,
    LiveSessionHost,
    LiveVideoSettings,
    PrivateChat,
    SessionFormat,
    SessionStatus,
    VideoProvider,
)
from cadenza.live.schedule.actions.scheduling import (
    cancel_session,
    edit_live_session,
    move_occurrence,
    schedule_live_session,
)
from cadenza.live.schedule.selectors import hosts_of, join_path
from cadenza.notifications.models import Notification, OutboxEmail
from tests.factories import make_user, notification_footer
from tests.live.fixtures_scheduling import START, School, build_school, fresh, schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> School:
    return build_school()


def edit(session: LiveSession, school: School, **changes: object) -> LiveSession:
    values: dict[str, object] = {
        "title": session.title,
        "agenda": session.agenda,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "hosts": hosts_of(session),
        "format": SessionFormat(session.format),
        "provider": VideoProvider(session.provider),
        "capacity": session.capacity,
        "lobby_minutes": session.lobby_minutes,
        "private_chat": PrivateChat(session.private_chat),
    }
    values.update(changes)
    return edit_live_session(session=session, by=school.instructor, **values)  # type: ignore[arg-type]


def counts() -> tuple[int, int, int, int, int]:
    return (
        Unit.objects.count(),
        LiveSession.objects.count(),
        LiveSeries.objects.count(),
        LiveSessionHost.objects.count(),
        Notification.objects.count(),
    )


def test_a_single_session_makes_a_draft_live_unit_and_one_session(school: School) -> None:
    scheduled = schedule(
        school,
        publish=False,
        title="  Sepsis simulation ",
        agenda="Bring a **case**.",
        capacity=30,
        lobby_minutes=5,
        private_chat=PrivateChat.OFF,
    )
    unit = scheduled.unit
    assert (unit.kind, unit.title, unit.published_at, unit.module_id) == (
        UnitKind.LIVE_SESSION,
        "Sepsis simulation",
        None,
        school.module.pk,
    )
    assert unit.estimated_minutes == 60
    assert scheduled.series is None
    [session] = scheduled.sessions
    assert (session.title, session.agenda, session.starts_at, session.ends_at) == (
        "Sepsis simulation",
        "Bring a **case**.",
        START,
        START + timedelta(hours=1),
    )
    assert (session.org, session.course, session.unit) == (school.org, school.course, unit)
    assert (session.series_id, session.occurrence, session.status) == (None, None, "scheduled")
    assert (session.capacity, session.lobby_minutes, session.private_chat) == (30, 5, "off")
    assert (session.provider, session.format, session.ical_sequence) == ("builtin", "class", 0)
    assert re.fullmatch(r"cadenza-harbour-[0-9a-f]{32}", session.provider_room)
    assert hosts_of(session) == [school.instructor]


def test_the_organizations_default_provider_is_used_unless_one_is_chosen(school: School) -> None:
    LiveVideoSettings.objects.create(org=school.org, default_provider=VideoProvider.JITSI)
    assert schedule(school).sessions[0].provider == "jitsi"
    chosen = schedule(school, provider=VideoProvider.BIGBLUEBUTTON)
    assert chosen.sessions[0].provider == "bigbluebutton"


def test_a_weekly_series_keeps_its_local_hour_across_the_autumn_change_in_chicago(
    school: School,
) -> None:
    chicago = ZoneInfo("America/Chicago")
    first = datetime(2026, 10, 20, 18, 0, tzinfo=chicago)  # a Tuesday, CDT (UTC-5)
    scheduled = schedule(
        school, starts_at=first, weekly_occurrences=4, series_time_zone="America/Chicago"
    )
    starts = [session.starts_at for session in scheduled.sessions]
    assert starts == [
        datetime(2026, 10, 20, 23, 0, tzinfo=UTC),
        datetime(2026, 10, 27, 23, 0, tzinfo=UTC),
        datetime(2026, 11, 4, 0, 0, tzinfo=UTC),  # 3 Nov, 18:00 CST (UTC-6)
        datetime(2026, 11, 11, 0, 0, tzinfo=UTC),
    ]
    assert [s.starts_at.astimezone(chicago).strftime("%a %H:%M") for s in scheduled.sessions] == [
        "Tue 18:00"
    ] * 4
    assert [s.ends_at - s.starts_at for s in scheduled.sessions] == [timedelta(hours=1)] * 4
    assert [s.occurrence for s in scheduled.sessions] == [1, 2, 3, 4]
    series = scheduled.series
    assert series is not None
    assert (series.time_zone, str(series.first_date), str(series.local_start)) == (
        "America/Chicago",
        "2026-10-20",
        "18:00:00",
    )
    assert (series.duration_minutes, series.occurrences, series.unit) == (60, 4, scheduled.unit)
    assert len({s.provider_room for s in scheduled.sessions}) == 4
    assert len({s.ical_uid for s in scheduled.sessions}) == 4


def test_a_weekly_series_keeps_its_local_hour_across_the_spring_change_in_berlin(
    school: School,
) -> None:
    first = datetime(2026, 3, 22, 9, 0, tzinfo=UTC)  # Sunday 10:00 CET
    scheduled = schedule(school, starts_at=first, weekly_occurrences=3)  # the host's zone
    assert scheduled.series is not None
    assert scheduled.series.time_zone == "Europe/Berlin"
    assert [s.starts_at for s in scheduled.sessions] == [
        datetime(2026, 3, 22, 9, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 8, 0, tzinfo=UTC),  # 10:00 CEST
        datetime(2026, 4, 5, 8, 0, tzinfo=UTC),
    ]


def test_a_local_time_missing_on_the_day_the_clocks_go_forward_is_read_an_hour_later(
    school: School,
) -> None:
    first = datetime(2026, 3, 22, 1, 30, tzinfo=UTC)  # 02:30 CET; 02:30 does not exist on 29 Mar
    scheduled = schedule(school, starts_at=first, weekly_occurrences=2)
    second = scheduled.sessions[1].starts_at
    assert second == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert f"{second.astimezone(ZoneInfo('Europe/Berlin')):%H:%M %Z}" == "03:30 CEST"


def test_an_ambiguous_local_time_on_the_day_the_clocks_go_back_is_its_first_instance(
    school: School,
) -> None:
    first = datetime(2026, 10, 18, 0, 30, tzinfo=UTC)  # 02:30 CEST; 02:30 happens twice on 25 Oct
    scheduled = schedule(school, starts_at=first, weekly_occurrences=2)
    assert scheduled.sessions[1].starts_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_hosts_who_are_not_staff_of_the_organization_are_refused_and_nothing_is_written(
    school: School,
) -> None:
    before = counts()
    for hosts in ([school.ada], [school.instructor, school.stranger], []):
        with pytest.raises(ValidationError) as refusal:
            schedule(school, hosts=hosts, publish=False)
        assert list(refusal.value.error_dict) == ["hosts"]
    assert counts() == before


def test_a_ta_and_an_admin_may_host(school: School) -> None:
    session = schedule(school, hosts=[school.ta, school.admin]).sessions[0]
    assert hosts_of(session) == [school.ta, school.admin]


def test_people_who_do_not_author_courses_cannot_schedule_and_nothing_is_written(
    school: School,
) -> None:
    before = counts()
    for person in (school.ta, school.ada, school.stranger):
        with pytest.raises(PermissionDenied):
            schedule_live_session(
                module=school.module,
                title="x",
                agenda="",
                starts_at=START,
                ends_at=START + timedelta(hours=1),
                hosts=[school.instructor],
                format=SessionFormat.CLASS,
                created_by=person,
            )
    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"minutes": 0}, "ends_at"),
        ({"minutes": -30}, "ends_at"),
        ({"minutes": 13 * 60}, "ends_at"),
        # Naive on purpose: a start time without a zone must be refused.
        ({"starts_at": datetime(2026, 3, 30, 16, 0)}, "starts_at"),  # noqa: DTZ001
        ({"title": "   "}, "title"),
        ({"capacity": 0}, "capacity"),
        ({"lobby_minutes": 121}, "lobby_minutes"),
        ({"weekly_occurrences": 53}, "weekly_occurrences"),
        ({"weekly_occurrences": 2, "series_time_zone": "Mars/Olympus"}, "series_time_zone"),
    ],
)
def test_bad_values_are_refused_by_field_and_nothing_is_written(
    school: School, changes: dict[str, object], field: str
) -> None:
    before = counts()
    with pytest.raises(ValidationError) as refusal:
        schedule(school, publish=False, **changes)  # type: ignore[arg-type]
    assert list(refusal.value.error_dict) == [field]
    assert counts() == before


def test_a_calendar_change_adds_one_to_the_sequence_and_a_room_setting_does_not(
    school: School,
) -> None:
    session = schedule(school).sessions[0]
    edit(session, school, capacity=12, lobby_minutes=0, format=SessionFormat.WEBINAR)
    assert (fresh(session).capacity, fresh(session).format, fresh(session).ical_sequence) == (
        12,
        "webinar",
        0,
    )
    edit(session, school, title="Sepsis simulation II", agenda="New agenda")
    assert (fresh(session).title, fresh(session).ical_sequence) == ("Sepsis simulation II", 1)
    assert Unit.objects.get(pk=session.unit_id).title == "Sepsis simulation II"
    edit(session, school, hosts=[school.ta, school.instructor])
    assert fresh(session).ical_sequence == 2
    assert hosts_of(session) == [school.ta, school.instructor]
    edit(
        session,
        school,
        starts_at=START + timedelta(days=1),
        ends_at=START + timedelta(days=1, hours=2),
    )
    current = fresh(session)
    assert (current.starts_at, current.ical_sequence, current.moved) == (
        START + timedelta(days=1),
        3,
        False,
    )


def test_editing_does_not_undo_the_rooms_event_counter(school: School) -> None:
    session = schedule(school).sessions[0]
    LiveSession.objects.filter(pk=session.pk).update(last_seq=41)
    edit(session, school, title="Renamed")
    assert fresh(session).last_seq == 41


def test_editing_a_whole_series_changes_every_scheduled_occurrence_but_not_their_times(
    school: School,
) -> None:
    sessions = schedule(school, weekly_occurrences=3).sessions
    cancel_session(session=sessions[2], by=school.instructor)
    edit(sessions[0], school, title="Case review", hosts=[school.ta], whole_series=True)
    rows = [fresh(s) for s in sessions]
    assert [(s.title, s.ical_sequence) for s in rows] == [
        ("Case review", 1),
        ("Case review", 1),
        ("Sepsis simulation", 1),
    ]
    assert [s.starts_at for s in rows] == [s.starts_at for s in sessions]
    assert [hosts_of(s) for s in rows] == [[school.ta], [school.ta], [school.instructor]]


def test_a_new_time_for_one_occurrence_marks_it_moved(school: School) -> None:
    sessions = schedule(school, weekly_occurrences=2).sessions
    later = sessions[1].starts_at + timedelta(hours=2)
    edit(sessions[1], school, starts_at=later, ends_at=later + timedelta(hours=1))
    assert (fresh(sessions[1]).moved, fresh(sessions[0]).moved) == (True, False)


def test_moving_an_occurrence_marks_it_moved_and_leaves_the_others(school: School) -> None:
    sessions = schedule(school, weekly_occurrences=3).sessions
    new_start = datetime(2026, 4, 7, 15, 0, tzinfo=UTC)
    move_occurrence(
        session=sessions[1],
        starts_at=new_start,
        ends_at=new_start + timedelta(minutes=90),
        by=school.instructor,
    )
    moved = fresh(sessions[1])
    assert (moved.starts_at, moved.ends_at, moved.moved, moved.ical_sequence) == (
        new_start,
        new_start + timedelta(minutes=90),
        True,
        1,
    )
    assert [(fresh(s).starts_at, fresh(s).ical_sequence) for s in (sessions[0], sessions[2])] == [
        (sessions[0].starts_at, 0),
        (sessions[2].starts_at, 0),
    ]
    move_occurrence(
        session=sessions[1],
        starts_at=new_start,
        ends_at=new_start + timedelta(minutes=90),
        by=school.instructor,
    )
    assert fresh(sessions[1]).ical_sequence == 1


def test_moving_to_an_end_before_the_start_is_refused(school: School) -> None:
    session = schedule(school).sessions[0]
    with pytest.raises(ValidationError):
        move_occurrence(session=session, starts_at=START, ends_at=START, by=school.instructor)
    assert (fresh(session).moved, fresh(session).ical_sequence) == (False, 0)


def test_a_learner_cannot_move_or_cancel_and_nothing_changes(school: School) -> None:
    session = schedule(school).sessions[0]
    with pytest.raises(PermissionDenied):
        move_occurrence(
            session=session,
            starts_at=START + timedelta(hours=1),
            ends_at=START + timedelta(hours=2),
            by=school.ada,
        )
    with pytest.raises(PermissionDenied):
        cancel_session(session=session, by=school.ada)
    current = fresh(session)
    assert (current.starts_at, current.status, current.ical_sequence) == (START, "scheduled", 0)
    assert Notification.objects.count() == 0


def cancelled(when: str) -> str:
    return f"“Sepsis simulation” (Sepsis basics) on {when} is cancelled."


def test_cancelling_tells_the_enrolled_learners_and_other_hosts_once(school: School) -> None:
    session = schedule(school, hosts=[school.instructor, school.ta]).sessions[0]
    cancel_session(session=session, by=school.instructor)
    current = fresh(session)
    assert (current.status, current.ical_sequence) == (SessionStatus.CANCELLED, 1)
    notices = {n.user.email: (n.title, n.body, n.url) for n in Notification.objects.all()}
    url = join_path(session)
    assert notices == {
        "tom@example.org": (
            "Cancelled: Sepsis simulation",
            cancelled("30 Mar 2026, 17:00 (Europe/London)"),
            url,
        ),
        "ada@example.org": (
            "Cancelled: Sepsis simulation",
            cancelled("30 Mar 2026, 11:00 (America/Chicago)"),
            url,
        ),
        "bob@example.org": (
            "Cancelled: Sepsis simulation",
            cancelled("31 Mar 2026, 01:00 (Asia/Tokyo)"),
            url,
        ),
    }
    email = OutboxEmail.objects.get(to="ada@example.org")
    assert (email.subject, email.body) == (
        "Cancelled: Sepsis simulation",
        "Hello Ada,\n\n“Sepsis simulation” (Sepsis basics) on 30 Mar 2026, 11:00 "
        "(America/Chicago) is cancelled.\n"
        + notification_footer(
            school.ada, kind="live.cancelled", label="A live session you take part in is cancelled"
        ),
    )
    assert OutboxEmail.objects.count() == 3
    cancel_session(session=session, by=school.instructor)
    assert (fresh(session).ical_sequence, Notification.objects.count()) == (1, 3)
    assert OutboxEmail.objects.count() == 3


def test_cancelling_a_draft_or_tells_no_learner_nor_one_who_withdrew(school: School) -> None:
    draft = schedule(school, publish=False).sessions[0]
    cancel_session(session=draft, by=school.instructor)
    assert Notification.objects.count() == 0
    published = schedule(school).sessions[0]
    withdraw_learner(enrolment=Enrolment.objects.get(user=school.bob))
    cancel_session(session=published, by=school.admin)
    assert sorted(Notification.objects.values_list("user__email", flat=True)) == [
        "ada@example.org",
        "ines@example.org",
    ]


def test_a_cancelled_session_cannot_be_edited_or_moved(school: School) -> None:
    session = schedule(school).sessions[0]
    cancel_session(session=session, by=school.instructor)
    with pytest.raises(ValidationError):
        edit(session, school, title="Back")
    with pytest.raises(ValidationError):
        move_occurrence(
            session=session,
            starts_at=START + timedelta(hours=1),
            ends_at=START + timedelta(hours=2),
            by=school.instructor,
        )
    assert (fresh(session).title, fresh(session).ical_sequence) == ("Sepsis simulation", 1)


def test_an_instructor_of_another_organization_cannot_edit(school: School) -> None:
    session = schedule(school).sessions[0]
    outsider = make_user(school.other_org)
    with pytest.raises(PermissionDenied):
        edit_live_session(
            session=session,
            by=school.stranger,
            title="Mine",
            agenda="",
            starts_at=START,
            ends_at=START + timedelta(hours=1),
            hosts=[school.instructor],
            format=SessionFormat.CLASS,
            provider=VideoProvider.NONE,
            capacity=None,
            lobby_minutes=10,
            private_chat=PrivateChat.OFF,
        )
    assert fresh(session).title == "Sepsis simulation"
    assert outsider.pk != school.stranger.pk
