"""Telling people about their live sessions: reminders 24 hours and 15 minutes before,
"starting now" when a host opens the room, and a cancellation.

Each is a ``SessionNotice`` handed to the notifications dispatcher (``dispatch``): an in-app
notice and, by each person's preference, an e-mail through the outbox, under one
``dedupe_key`` per session, person and kind of notice, so a retried task or a second run sends
nothing twice. A reminder's key also carries the session's start: a session moved to another
time is due a new reminder for the new time. Times are written in each person's own zone, with
the zone named.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import transaction

from cadenza.accounts.models import User
from cadenza.live.models import LiveSession, SessionStatus
from cadenza.live.schedule.notices import CANCELLED, REMINDER, STARTING, SessionNotice, time_in_zone
from cadenza.live.schedule.selectors import sessions_starting_between
from cadenza.notifications.actions.dispatch import dispatch

__all__ = ["notify_session_cancelled", "notify_starting_now", "send_due_reminders", "time_in_zone"]

SOON = timedelta(minutes=15)
"""The "starting soon" reminder goes out in the last 15 minutes before the start."""
AHEAD = timedelta(hours=24)
"""The first reminder goes out in the 24 hours before the start (and before ``SOON``)."""


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
    notice = SessionNotice(
        kind=REMINDER,
        session=session,
        key=f"reminder-{kind}:{start}",
        heading=heading,
        text="“{title}” ({course}) starts at {when}.",
    )
    return dispatch(notice).told


@transaction.atomic
def notify_starting_now(*, session: LiveSession, opened_by: User | None = None) -> int:
    """Tell everyone taking part (but ``opened_by``) that the session has started: once per
    person and session, however often the room is opened. Nothing for a cancelled session.
    Returns how many notices were sent now."""
    session = LiveSession.objects.select_related("org", "course", "unit").get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        return 0
    notice = SessionNotice(
        kind=STARTING,
        session=session,
        key="starting-now",
        heading="Starting now",
        text="“{title}” ({course}) has started.",
        left_out=opened_by.pk if opened_by is not None else None,
    )
    return dispatch(notice).told


@transaction.atomic
def notify_session_cancelled(*, session: LiveSession, by: User | None) -> int:
    """Tell everyone taking part (but ``by``) that a session is cancelled; called by
    ``cancel_session`` in its transaction. Returns how many notices were sent now."""
    notice = SessionNotice(
        kind=CANCELLED,
        session=session,
        key="cancelled",
        heading="Cancelled",
        text="“{title}” ({course}) on {when} is cancelled.",
        left_out=by.pk if by is not None else None,
        link_in_email=False,
    )
    return dispatch(notice).told
