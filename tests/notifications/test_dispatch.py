"""The dispatcher: an event to its recipients, each person's in-app row, their e-mail by
preference, once only, and bursts bundled into one row with a count."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.notifications.actions.dispatch import BUNDLE_WINDOW, Dispatched, dispatch
from cadenza.notifications.actions.inbox import mark_read
from cadenza.notifications.actions.preferences import set_email_preference
from cadenza.notifications.models import (
    Notification,
    NotificationReceipt,
    OutboxEmail,
)
from cadenza.notifications.selectors import unread_count
from tests.notifications.conftest import Team, reply

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

pytestmark = pytest.mark.django_db


def rows(user: User) -> list[tuple[str, str, int]]:
    return [
        (n.title, n.body, n.count) for n in Notification.objects.filter(user=user).order_by("id")
    ]


def test_each_recipient_gets_one_in_app_row_and_one_email_by_default(team: Team) -> None:
    outcome = dispatch(reply(team, 1))
    assert outcome == Dispatched(created=2, bundled=0, emailed=2, skipped=0)
    for person in (team.ana, team.ben):
        assert rows(person) == [("New reply in thread 1", "Reply 1.", 1)]
    row = Notification.objects.get(user=team.ana)
    assert (row.kind, row.subject, row.url, row.org_id) == (
        "tests.reply",
        "tests.thread:1",
        "/o/harbour/threads/1/",
        team.org.pk,
    )
    assert sorted(OutboxEmail.objects.values_list("to", flat=True)) == [
        "ana@example.org",
        "ben@example.org",
    ]


def test_dispatching_the_same_event_again_tells_nobody_twice(team: Team) -> None:
    dispatch(reply(team, 1))
    assert dispatch(reply(team, 1)) == Dispatched(created=0, bundled=0, emailed=0, skipped=2)
    assert Notification.objects.count() == 2
    assert OutboxEmail.objects.count() == 2
    assert NotificationReceipt.objects.count() == 2


def test_inactive_accounts_are_not_told(team: Team) -> None:
    team.ben.is_active = False
    team.ben.save(update_fields=["is_active"])
    assert dispatch(reply(team, 1)).told == 1
    assert list(Notification.objects.values_list("user__email", flat=True)) == ["ana@example.org"]


def test_email_follows_each_persons_preference_for_the_kind(team: Team) -> None:
    set_email_preference(user=team.ana, kind="tests.reply", email="off")
    set_email_preference(user=team.ben, kind="tests.reply", email="daily")
    outcome = dispatch(reply(team, 1))
    assert outcome == Dispatched(created=2, bundled=0, emailed=0, skipped=0)
    assert OutboxEmail.objects.count() == 0
    # The in-app rows are there either way: the digest will read them.
    assert Notification.objects.count() == 2


def test_a_burst_about_one_thing_becomes_one_row_with_a_count_and_one_email(team: Team) -> None:
    for n in range(1, 41):
        dispatch(reply(team, n, team.ana))
    assert rows(team.ana) == [("40 new replies in thread 1", "Reply 40.", 40)]
    assert OutboxEmail.objects.filter(to="ana@example.org").count() == 1
    assert NotificationReceipt.objects.count() == 40
    assert unread_count(team.ana.pk) == 1
    # Each notice is still once only, bundled or not.
    assert dispatch(reply(team, 17, team.ana)).skipped == 1
    assert rows(team.ana)[0][2] == 40


def test_other_things_and_other_kinds_are_not_bundled_together(team: Team) -> None:
    dispatch(reply(team, 1, team.ana, thread=1))
    dispatch(reply(team, 2, team.ana, thread=2))
    assert [r[2] for r in rows(team.ana)] == [1, 1]


def test_a_row_the_person_read_is_never_reused(team: Team) -> None:
    dispatch(reply(team, 1, team.ana))
    first = Notification.objects.get(user=team.ana)
    mark_read(user=team.ana, notification=first)
    outcome = dispatch(reply(team, 2, team.ana))
    assert (outcome.created, outcome.bundled, outcome.emailed) == (1, 0, 1)
    assert rows(team.ana) == [
        ("New reply in thread 1", "Reply 1.", 1),
        ("New reply in thread 1", "Reply 2.", 1),
    ]


def test_a_notice_after_the_window_starts_a_new_row(team: Team) -> None:
    start = timezone.now()
    dispatch(reply(team, 1, team.ana), now=start)
    dispatch(reply(team, 2, team.ana), now=start + BUNDLE_WINDOW - timedelta(seconds=1))
    dispatch(reply(team, 3, team.ana), now=start + 2 * BUNDLE_WINDOW)
    # The window runs from the row's latest notice: the second joined, the third is news.
    assert rows(team.ana) == [
        ("2 new replies in thread 1", "Reply 2.", 2),
        ("New reply in thread 1", "Reply 3.", 1),
    ]


def test_the_new_unread_count_goes_to_the_persons_sockets_after_commit(
    team: Team,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    sent: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(
        "cadenza.realtime.publish._group_sender",
        lambda group, message: sent.append((group, message)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        dispatch(reply(team, 1))
        assert sent == []
    assert sorted(sent, key=lambda s: s[0]) == sorted(
        [
            (
                f"me.{team.ana.pk}",
                {"type": "personal.frame", "text": '{"type":"notifications.unread","count":1}'},
            ),
            (
                f"me.{team.ben.pk}",
                {"type": "personal.frame", "text": '{"type":"notifications.unread","count":1}'},
            ),
        ],
        key=lambda s: s[0],
    )


def test_live_reminders_reach_the_notification_centre(
    team: Team, mailoutbox: list[mail.EmailMessage]
) -> None:
    from datetime import UTC, datetime

    from django.test import Client

    from cadenza.courses.actions import publish_course
    from cadenza.live.models import SessionFormat
    from cadenza.live.schedule.actions.reminders import send_due_reminders
    from cadenza.live.schedule.actions.scheduling import schedule_live_session
    from tests.factories import enrol, make_course, make_module

    course = make_course(team.org, title="Sepsis basics", slug="sepsis")
    module = make_module(course, "Week 1")
    publish_course(course=course)
    enrol(course, team.ana)
    start = datetime(2026, 3, 30, 16, 0, tzinfo=UTC)
    schedule_live_session(
        module=module,
        title="Simulation",
        agenda="",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        hosts=[team.ben],
        format=SessionFormat.CLASS,
        created_by=team.ben,
        publish=True,
        publish_course_and_module=True,
    )
    assert send_due_reminders(now=start - timedelta(hours=2)) == 2
    client = Client()
    client.force_login(team.ana)
    page = client.get("/notifications/").content.decode()
    assert "Coming up: Simulation" in page
    assert "“Simulation” (Sepsis basics) starts at 30 Mar 2026, 18:00 (Europe/Paris)." in page
