"""Writes after the session: watching the replay, and hosts answering questions later.

Watching follows learning's rule for videos (``learning.actions.progress``): each report adds
the seconds the player says it played, but never more than the wall clock since the previous
report plus 5 s, nor 60 s; seeking to the end is not watching. When the watched time reaches
the session's attendance threshold of the recording's length and the session lets a replay
count (``replay_counts_as_attendance``), the learner "attended by replay": the attendance row
says so (source "replay"), the "attended" statement is recorded (the same event key as a live
attendance, so one person and session never has two) and the unit is completed. A person who
already attended live, or whose attendance a host corrected, keeps that row.
"""

from __future__ import annotations

import math
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.activity.actions import record
from cadenza.activity.verbs import Verb
from cadenza.learning.actions.progress import (
    MAX_PLAYED_SECONDS_PER_REPORT,
    MAX_REPORTED_SECONDS,
    PLAYED_SLACK_SECONDS,
)
from cadenza.live.actions.attendance import record_attended, session_object
from cadenza.live.models import (
    Attendance,
    LiveSession,
    QuestionStatus,
    ReplayViewing,
    RoomQuestion,
)
from cadenza.live.selectors.attendance import may_manage_attendance
from cadenza.live.selectors.replay import is_over, replay_duration, room_is_open

MAX_ANSWER_LENGTH = 10_000


class ReplayNotAvailable(ValueError):
    """The session has not ended yet: there is no replay to watch."""


def _check_seconds(name: str, value: float | None) -> None:
    if value is None:
        return
    if not math.isfinite(value) or not 0 <= value <= MAX_REPORTED_SECONDS:
        raise ValueError(f"{name} must be between 0 and {int(MAX_REPORTED_SECONDS)} seconds.")


@transaction.atomic
def record_replay_watching(
    *,
    session: LiveSession,
    user: User,
    played_seconds: float | None,
    position_seconds: float | None,
    duration_seconds: float | None = None,
    now: datetime | None = None,
) -> ReplayViewing:
    """Add one report from the replay's player (see the module's docstring).

    ``duration_seconds`` (what the player measured) is used only when the session does not
    know its recording's length. Raises ``ValueError`` for a number that is negative, not
    finite or over a day, and ``ReplayNotAvailable`` before the session ends; nothing is
    written then. While the recording's length is unknown, watching is kept but completes
    nothing. The first report records "experienced"
    for the session's recording.
    """
    for name, value in (
        ("played_seconds", played_seconds),
        ("position_seconds", position_seconds),
        ("duration_seconds", duration_seconds),
    ):
        _check_seconds(name, value)
    now = now or timezone.now()
    if not is_over(session, now=now):
        raise ReplayNotAvailable("The replay opens after the session.")
    duration = replay_duration(session, duration_seconds)
    viewing, created = ReplayViewing.objects.select_for_update().get_or_create(
        session=session,
        user=user,
        defaults={"org_id": session.org_id, "started_at": now, "last_report_at": now},
    )
    if created:
        record(
            org=session.org,
            actor=user,
            verb=Verb.EXPERIENCED,
            obj=session_object(session),
            event_key=f"live-replay-experienced:{session.pk}:{user.pk}",
            context={"extensions": {"urn:cadenza:xapi:extension:replay": True}},
            timestamp=now,
        )
    if played_seconds:
        since_last = max(0.0, (now - viewing.last_report_at).total_seconds())
        viewing.watched_seconds += min(
            played_seconds, since_last + PLAYED_SLACK_SECONDS, MAX_PLAYED_SECONDS_PER_REPORT
        )
    if position_seconds is not None:
        viewing.position_seconds = min(position_seconds, duration) if duration else position_seconds
    viewing.last_report_at = max(viewing.last_report_at, now)
    viewing.save(update_fields=["watched_seconds", "position_seconds", "last_report_at"])
    if (
        duration
        and session.replay_counts_as_attendance
        and viewing.watched_seconds * 100 >= session.attendance_threshold_percent * duration
    ):
        _attend_by_replay(session=session, user=user, now=now)
    return viewing


def _attend_by_replay(*, session: LiveSession, user: User, now: datetime) -> None:
    row = Attendance.objects.select_for_update().filter(session=session, user=user).first()
    if row is not None and (row.attended or row.source == Attendance.Source.CORRECTED):
        return
    if row is None:
        row = Attendance(org_id=session.org_id, session=session, user=user, seconds_present=0)
    row.attended = True
    row.source = Attendance.Source.REPLAY
    row.updated_at = now
    row.save()
    record_attended(
        session=session,
        user=user,
        seconds_present=row.seconds_present,
        source=Attendance.Source.REPLAY,
        now=now,
    )


@transaction.atomic
def answer_question_later(
    *, question: RoomQuestion, answer: str, by: User, now: datetime | None = None
) -> RoomQuestion:
    """A host answers, after the session, a question left open in its Q&A.

    After the room closed no room event is needed: the replay page reads the row. While the
    room is open, answers go through the room (its own action and event), so this raises
    ``ValueError``; it also does for an empty or over-long answer and a question already
    answered or dismissed. ``PermissionDenied`` for anyone but the session's hosts and the
    organization's admins. Nothing is written when it raises.
    """
    session = question.session
    if not may_manage_attendance(session=session, user=by):
        raise PermissionDenied("Only the session's hosts and the organization's admins answer.")
    now = now or timezone.now()
    if room_is_open(session, now=now):
        raise ValueError("The room is open: answer the question in the room.")
    text = answer.strip()
    if not text:
        raise ValueError("The answer is empty.")
    if len(text) > MAX_ANSWER_LENGTH:
        raise ValueError(f"The answer must be at most {MAX_ANSWER_LENGTH} characters.")
    locked = RoomQuestion.objects.select_for_update().get(pk=question.pk)
    if locked.status != QuestionStatus.OPEN:
        raise ValueError("This question is already answered or dismissed.")
    locked.answer = text
    locked.status = QuestionStatus.ANSWERED
    locked.answered_by = by
    locked.answered_at = now
    locked.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    return locked
