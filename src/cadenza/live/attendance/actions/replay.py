"""Writes after the session: watching the replay, hosts answering questions later, and hosts
attaching the recording (a checked video file or an https:// address).

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

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.activity.actions import record
from cadenza.activity.verbs import Verb
from cadenza.courses.uploads import CheckedUpload, check_video
from cadenza.learning.actions.progress import (
    MAX_PLAYED_SECONDS_PER_REPORT,
    MAX_REPORTED_SECONDS,
    PLAYED_SLACK_SECONDS,
)
from cadenza.lib.errors import DomainError
from cadenza.lib.text import find_control_character, refusal_message
from cadenza.live.attendance.actions.attendance import record_attended, session_object
from cadenza.live.attendance.selectors.attendance import may_manage_attendance
from cadenza.live.attendance.selectors.replay import replay_duration, room_is_open
from cadenza.live.models import (
    Attendance,
    LiveSession,
    QuestionStatus,
    ReplayViewing,
    RoomQuestion,
    SessionStatus,
)
from cadenza.live.sessions.stage import is_over

MAX_ANSWER_LENGTH = 10_000
MAX_RECORDING_URL_LENGTH = 200
"""The length of ``LiveSession.recording_url`` (a ``URLField``'s default)."""


class ReplayNotAvailable(DomainError):
    """The session has not ended yet: there is no replay to watch."""


def _check_seconds(name: str, value: float | None) -> None:
    if value is None:
        return
    if not math.isfinite(value) or not 0 <= value <= MAX_REPORTED_SECONDS:
        raise DomainError(f"{name} must be between 0 and {int(MAX_REPORTED_SECONDS)} seconds.")


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
    know its recording's length. Raises ``DomainError`` for a number that is negative, not
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
    ``DomainError``; it also does for an empty or over-long answer, one with a control
    character (the rule of ``cadenza.lib.text``), and a question already
    answered or dismissed. ``PermissionDenied`` for anyone but the session's hosts and the
    organization's admins. Nothing is written when it raises.
    """
    session = question.session
    if not may_manage_attendance(session=session, user=by):
        raise PermissionDenied("Only the session's hosts and the organization's admins answer.")
    now = now or timezone.now()
    if room_is_open(session, now=now):
        raise DomainError("The room is open: answer the question in the room.")
    text = answer.strip()
    if not text:
        raise DomainError("The answer is empty.")
    hidden = find_control_character(text)
    if hidden is not None:
        raise DomainError(refusal_message(text, hidden))
    if len(text) > MAX_ANSWER_LENGTH:
        raise DomainError(f"The answer must be at most {MAX_ANSWER_LENGTH} characters.")
    locked = RoomQuestion.objects.select_for_update().get(pk=question.pk)
    if locked.status != QuestionStatus.OPEN:
        raise DomainError("This question is already answered or dismissed.")
    locked.answer = text
    locked.status = QuestionStatus.ANSWERED
    locked.answered_by = by
    locked.answered_at = now
    locked.save(update_fields=["answer", "status", "answered_by", "answered_at"])
    return locked


def _recording_duration(value: float | None) -> float | None:
    if value is None:
        return None
    if not math.isfinite(value) or not 0 < value <= MAX_REPORTED_SECONDS:
        raise ValidationError(
            {
                "duration_seconds": "The length must be more than 0 and at most "
                f"{int(MAX_REPORTED_SECONDS)} seconds."
            }
        )
    return value


def _recording_url(url: str) -> str:
    address = url.strip()
    if len(address) > MAX_RECORDING_URL_LENGTH:
        raise ValidationError(
            {"url": f"The address must be at most {MAX_RECORDING_URL_LENGTH} characters."}
        )
    if not address.lower().startswith("https://"):
        raise ValidationError({"url": "Use an https:// address."})
    try:
        URLValidator(schemes=["https"])(address)
    except ValidationError as invalid:
        raise ValidationError({"url": "Enter a valid https:// address."}) from invalid
    return address


def _checked_video(file: UploadedFile[bytes]) -> CheckedUpload:
    try:
        return check_video(file)
    except ValidationError as refused:
        raise ValidationError({"file": refused.messages}) from refused


def _delete_file(storage_name: str, session: LiveSession) -> None:
    """Remove a recording file nobody points to any more (after commit: a rolled-back
    replacement must not lose the file still in use)."""
    if storage_name:
        session.recording_file.storage.delete(storage_name)


def _store_recording(
    locked: LiveSession, *, checked: CheckedUpload | None, url: str, duration: float | None
) -> LiveSession:
    """Point the (locked) session at its new recording, or at none; the file it pointed to
    before is deleted from storage once this commits."""
    old_file = locked.recording_file.name or ""
    if checked is not None:
        locked.recording_file.save(checked.file.name or "recording", checked.file, save=False)
    else:
        locked.recording_file = None
    locked.recording_url = url
    locked.recording_duration_seconds = duration
    locked.save(
        update_fields=[
            "recording_file",
            "recording_url",
            "recording_duration_seconds",
            "updated_at",
        ]
    )
    if old_file and old_file != (locked.recording_file.name or ""):
        transaction.on_commit(lambda: _delete_file(old_file, locked), robust=True)
    return locked


@transaction.atomic
def attach_recording(
    *,
    session: LiveSession,
    by: User,
    file: UploadedFile[bytes] | None = None,
    url: str = "",
    duration_seconds: float | None = None,
    now: datetime | None = None,
) -> LiveSession:
    """A host attaches the session's recording for its replay: an uploaded video file or an
    https:// address of the video elsewhere, exactly one of the two. It replaces any recording
    attached before (the old file is deleted from storage once the change is committed) and,
    on the replay page, the provider's own recordings.

    Only once the session is over (its room closed or its end passed), never for a cancelled
    session: before the end the session's page is the room, there is nothing recorded yet,
    and the replay (where the recording plays) opens after the end. Removing a recording is
    allowed at any time (``remove_recording``).

    The file is checked like a course's video (``courses.uploads.check_video``: extension,
    first bytes, ``CADENZA_MAX_VIDEO_BYTES``) and stored under a random name; the address must
    be https://, so nothing a browser would run lands in the player. ``duration_seconds`` is
    the recording's length, against which replay watching is measured; without it the
    player's measured length is used. People's replay progress is kept on replacement.

    Raises ``PermissionDenied`` for anyone but the session's hosts and the organization's
    admins, ``ReplayNotAvailable`` before the end, ``DomainError`` for a cancelled session and
    ``ValidationError`` (by field: ``file``, ``url``, ``duration_seconds``; no field when
    both or neither are given) for bad input. Nothing is written when it raises.
    """
    if not may_manage_attendance(session=session, user=by):
        raise PermissionDenied(
            "Only the session's hosts and the organization's admins attach its recording."
        )
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        raise DomainError("A cancelled session has no recording.")
    if not is_over(session, now=now):
        raise ReplayNotAvailable("Attach the recording once the session has ended.")
    if file is not None and url.strip():
        raise ValidationError("Upload a file or give an address, not both.")
    if file is None and not url.strip():
        raise ValidationError("Upload the recording's file or give its address.")
    duration = _recording_duration(duration_seconds)
    address = _recording_url(url) if file is None else ""
    checked = _checked_video(file) if file is not None else None
    locked = LiveSession.objects.select_for_update().get(pk=session.pk)
    return _store_recording(locked, checked=checked, url=address, duration=duration)


@transaction.atomic
def remove_recording(*, session: LiveSession, by: User) -> LiveSession:
    """A host removes the session's attached recording (file or address) and its length; the
    replay then lists the provider's recordings, if any, or says there is none. The file is
    deleted from storage after commit. Allowed at any time, so a wrong file can always be
    taken down. ``PermissionDenied`` for anyone but the session's hosts and the organization's
    admins; ``DomainError`` when there is nothing to remove (nothing is written then)."""
    if not may_manage_attendance(session=session, user=by):
        raise PermissionDenied(
            "Only the session's hosts and the organization's admins remove its recording."
        )
    locked = LiveSession.objects.select_for_update().get(pk=session.pk)
    old_file = locked.recording_file.name or ""
    if not old_file and not locked.recording_url:
        raise DomainError("This session has no recording to remove.")
    return _store_recording(locked, checked=None, url="", duration=None)
