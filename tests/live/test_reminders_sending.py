"""Reminders 24 hours and 15 minutes before, and "starting now": who gets them, the exact
texts in each person's zone, once only, and again after a move."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from cadenza.live.schedule.actions.reminders import notify_starting_now, send_due_reminders
from cadenza.live.schedule.actions.scheduling import cancel_session, move_occurrence
from cadenza.live.schedule.selectors import join_path
from cadenza.live.tasks import send_live_session_reminders
from cadenza.notifications.models import Notification, OutboxEmail
from tests.factories import notification_footer
from tests.live.fixtures_scheduling import START, School, build_school, fresh, schedule

pytestmark = pytest.mark.django_db

EVERYONE = ["ada@example.org", "bob@example.org", "ines@example.org"]


@pytest.fixture
def school() -> School:
    return build_school()


def sent_to() -> list[str]:
    return sorted(Notification.objects.values_list("user__email", flat=True))


def test_the_day_before_hosts_and_enrolled_learners_get_one_reminder_in_their_zone(
    school: School, settings: Settings
) -> None:
    settings.CADENZA_SITE_URL = "https://learn.example.org/"
    session = schedule(school).sessions[0]
    url = join_path(session)
    assert send_due_reminders(now=START - timedelta(hours=24, minutes=1)) == 0
    assert send_due_reminders(now=START - timedelta(hours=23, minutes=59)) == 3
    notices = {n.user.email: (n.title, n.body, n.url) for n in Notification.objects.all()}
    title = "Coming up: Sepsis simulation"
    assert notices == {
        "ines@example.org": (
            title,
            "“Sepsis simulation” (Sepsis basics) starts at 30 Mar 2026, 18:00 (Europe/Berlin).",
            url,
        ),
        "ada@example.org": (
            title,
            "“Sepsis simulation” (Sepsis basics) starts at 30 Mar 2026, 11:00 (America/Chicago).",
            url,
        ),
        "bob@example.org": (
            title,
            "“Sepsis simulation” (Sepsis basics) starts at 31 Mar 2026, 01:00 (Asia/Tokyo).",
            url,
        ),
    }
    email = OutboxEmail.objects.get(to="bob@example.org")
    footer = notification_footer(
        school.bob, kind="live.reminder", label="Reminders before your live sessions"
    ).replace("http://testserver", "https://learn.example.org")
    assert (email.subject, email.body, email.org_id) == (
        title,
        "Hello Bob,\n\n“Sepsis simulation” (Sepsis basics) starts at 31 Mar 2026, 01:00 "
        "(Asia/Tokyo).\n\nJoin: https://learn.example.org" + url + "\n" + footer,
        school.org.pk,
    )
    assert OutboxEmail.objects.count() == 3


def test_running_again_sends_nothing_new(school: School) -> None:
    schedule(school)
    now = START - timedelta(hours=3)
    assert send_due_reminders(now=now) == 3
    assert send_due_reminders(now=now) == 0
    assert send_due_reminders(now=now + timedelta(hours=1)) == 0
    assert (Notification.objects.count(), OutboxEmail.objects.count()) == (3, 3)


def test_fifteen_minutes_before_everyone_gets_a_starting_soon_reminder(school: School) -> None:
    session = schedule(school).sessions[0]
    assert send_due_reminders(now=START - timedelta(hours=2)) == 3
    assert send_due_reminders(now=START - timedelta(minutes=16)) == 0
    assert send_due_reminders(now=START - timedelta(minutes=15)) == 3
    soon = Notification.objects.get(user=school.ada, title__startswith="Starting soon")
    assert (soon.title, soon.body) == (
        "Starting soon: Sepsis simulation",
        "“Sepsis simulation” (Sepsis basics) starts at 30 Mar 2026, 11:00 (America/Chicago).",
    )
    assert send_due_reminders(now=START - timedelta(minutes=1)) == 0
    assert send_due_reminders(now=START) == 0
    assert (Notification.objects.count(), OutboxEmail.objects.count()) == (6, 6)
    assert session.pk


def test_a_session_first_seen_within_fifteen_minutes_gets_only_the_late_reminder(
    school: School,
) -> None:
    schedule(school)
    assert send_due_reminders(now=START - timedelta(minutes=10)) == 3
    assert set(Notification.objects.values_list("title", flat=True)) == {
        "Starting soon: Sepsis simulation"
    }


def test_a_moved_session_is_due_a_new_reminder_for_its_new_time(school: School) -> None:
    session = schedule(school).sessions[0]
    assert send_due_reminders(now=START - timedelta(hours=20)) == 3
    later = START + timedelta(hours=2)
    move_occurrence(
        session=session, starts_at=later, ends_at=later + timedelta(hours=1), by=school.instructor
    )
    assert send_due_reminders(now=START - timedelta(hours=19)) == 3
    newest = Notification.objects.filter(user=school.ada).order_by("-id").first()
    assert newest is not None
    assert newest.body == (
        "“Sepsis simulation” (Sepsis basics) starts at 30 Mar 2026, 13:00 (America/Chicago)."
    )
    assert send_due_reminders(now=START - timedelta(hours=18)) == 0


def test_cancelled_sessions_and_draft_learners_get_no_reminder(school: School) -> None:
    cancelled = schedule(school).sessions[0]
    cancel_session(session=cancelled, by=school.instructor)
    before = Notification.objects.count()
    assert send_due_reminders(now=START - timedelta(hours=1)) == 0
    assert Notification.objects.count() == before
    schedule(school, publish=False, title="Draft")
    assert send_due_reminders(now=START - timedelta(hours=1)) == 1
    assert Notification.objects.latest("id").user == school.instructor


def test_a_series_is_reminded_occurrence_by_occurrence(school: School) -> None:
    sessions = schedule(school, weekly_occurrences=3).sessions
    assert send_due_reminders(now=START - timedelta(hours=1)) == 3
    assert send_due_reminders(now=sessions[1].starts_at - timedelta(hours=1)) == 3
    keys = sorted(Notification.objects.filter(user=school.ada).values_list("dedupe_key", flat=True))
    assert keys == [
        f"live:{sessions[0].pk}:reminder-24h:20260330T160000Z:{school.ada.pk}",
        f"live:{sessions[1].pk}:reminder-24h:20260406T160000Z:{school.ada.pk}",
    ]


def test_starting_now_is_sent_once_and_not_to_the_host_who_opened_the_room(
    school: School,
) -> None:
    session = schedule(school, hosts=[school.instructor, school.ta]).sessions[0]
    assert notify_starting_now(session=session, opened_by=school.instructor) == 3
    assert notify_starting_now(session=session) == 1  # only the host left out before
    assert notify_starting_now(session=session) == 0
    assert sent_to() == [*EVERYONE, "tom@example.org"]
    notice = Notification.objects.get(user=school.bob)
    assert (notice.title, notice.body) == (
        "Starting now: Sepsis simulation",
        "“Sepsis simulation” (Sepsis basics) has started.",
    )
    assert OutboxEmail.objects.get(to="bob@example.org").body == (
        "Hello Bob,\n\n“Sepsis simulation” (Sepsis basics) has started.\n\n"
        f"Join: http://testserver{notice.url}\n"
    ) + notification_footer(
        school.bob, kind="live.starting", label="A live session you take part in has started"
    )


def test_starting_now_says_nothing_for_a_cancelled_session(school: School) -> None:
    session = schedule(school).sessions[0]
    cancel_session(session=session, by=school.instructor)
    before = Notification.objects.count()
    assert notify_starting_now(session=fresh(session)) == 0
    assert Notification.objects.count() == before


def test_the_periodic_task_sends_what_is_due_now(school: School) -> None:
    soon = timezone.now() + timedelta(minutes=10)
    schedule(school, starts_at=soon)
    send_live_session_reminders.call_local()
    assert sent_to() == EVERYONE
    assert set(Notification.objects.values_list("title", flat=True)) == {
        "Starting soon: Sepsis simulation"
    }
