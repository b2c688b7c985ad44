"""Telling people about their live sessions: reminders 24 hours and 15 minutes before,
"starting now" when a host opens the room, and a cancellation.

Each notice is an in-app ``Notification`` and an e-mail through the outbox, both under one
``dedupe_key`` per session, person and kind of notice, so a retried task or a second run sends
nothing twice. A reminder's key also carries the session's start: a session moved to another
time is due a new reminder for the new time. Times are written in each person's own zone, with
the zone named.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.live.models import LiveSession, SessionStatus
from cadenza.live.schedule.selectors import (
    join_path,
    join_url,
    participants,
    sessions_starting_between,
)
from cadenza.notifications.actions import queue_email
from cadenza.notifications.models import Notification

SOON = timedelta(minutes=15)
"""The "starting soon" reminder goes out in the last 15 minutes before the start."""
AHEAD = timedelta(hours=24)
"""The first reminder goes out in the 24 hours before the start (and before ``SOON``)."""


def time_in_zone(moment: datetime, zone_name: str) -> str:
    """A moment as a person reads it: "25 Nov 2026, 15:33 (Europe/Paris)" (as ``|local_time``).
    An unknown zone falls back to UTC, named."""
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone, zone_name = zoneinfo.ZoneInfo("UTC"), "UTC"
    local = moment.astimezone(zone)
    return f"{local:%-d %b %Y, %H:%M} ({zone_name})"


def send_due_reminders(*, now: datetime) -> int:
    """Send every reminder due at ``now``: "coming up" for sessions starting in the next 24
    hours (but more than 15 minutes away) and "starting soon" for those in the next 15
    minutes. Each session is its own transaction, so one failure holds back no other.
    Returns how many notices were sent now (a second run at the same time sends 0)."""
    sent = 0
    for session in sessions_starting_between(now + SOON, now + AHEAD):
        sent += _remind(session_id=session.pk, kind="24h")
    for session in sessions_starting_between(now, now + SOON):
        sent += _remind(session_id=session.pk, kind="15m")
    return sent


@transaction.atomic
def _remind(*, session_id: int, kind: str) -> int:
    session = (
        LiveSession.objects.select_related("org", "course", "unit")
        .filter(pk=session_id, status=SessionStatus.SCHEDULED)
        .first()
    )
    if session is None:
        return 0
    start = f"{session.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    heading = "Coming up" if kind == "24h" else "Starting soon"
    sent = 0
    for person in participants(session):
        when = time_in_zone(session.starts_at, person.time_zone)
        sent += _notify(
            session=session,
            person=person,
            dedupe_key=f"live:{session.pk}:reminder-{kind}:{start}:{person.pk}",
            title=f"{heading}: {session.title}",
            body=f"“{session.title}” ({session.course.title}) starts at {when}.",
        )
    return sent


@transaction.atomic
def notify_starting_now(*, session: LiveSession, opened_by: User | None = None) -> int:
    """Tell everyone taking part (but ``opened_by``) that the session has started: once per
    person and session, however often the room is opened. Nothing for a cancelled session.
    Returns how many notices were sent now."""
    session = LiveSession.objects.select_related("org", "course", "unit").get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        return 0
    sent = 0
    for person in participants(session):
        if opened_by is not None and person.pk == opened_by.pk:
            continue
        sent += _notify(
            session=session,
            person=person,
            dedupe_key=f"live:{session.pk}:starting-now:{person.pk}",
            title=f"Starting now: {session.title}",
            body=f"“{session.title}” ({session.course.title}) has started.",
        )
    return sent


@transaction.atomic
def notify_session_cancelled(*, session: LiveSession, by: User | None) -> int:
    """Tell everyone taking part (but ``by``) that a session is cancelled; called by
    ``cancel_session`` in its transaction. Returns how many notices were sent now."""
    sent = 0
    for person in participants(session):
        if by is not None and person.pk == by.pk:
            continue
        when = time_in_zone(session.starts_at, person.time_zone)
        sent += _notify(
            session=session,
            person=person,
            dedupe_key=f"live:{session.pk}:cancelled:{person.pk}",
            title=f"Cancelled: {session.title}",
            body=f"“{session.title}” ({session.course.title}) on {when} is cancelled.",
            with_link=False,
        )
    return sent


def _notify(
    *,
    session: LiveSession,
    person: User,
    dedupe_key: str,
    title: str,
    body: str,
    with_link: bool = True,
) -> int:
    """One in-app notice and its e-mail; 0 when this key was sent before."""
    _, created = Notification.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "org": session.org,
            "user": person,
            "title": title[:200],
            "body": body,
            "url": join_path(session),
            "created_at": timezone.now(),
        },
    )
    if not created:
        return 0
    text = f"Hello {person.name},\n\n{body}\n"
    if with_link:
        text += f"\nJoin: {join_url(session)}\n"
    queue_email(to=person.email, subject=title, body=text, dedupe_key=dedupe_key, org=session.org)
    return 1
