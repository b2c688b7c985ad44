"""Writes for presence and attendance: joining and leaving the room, counting attendance,
hosts' corrections.

Presence is one ``PresenceInterval`` per connection (the room consumer calls ``join_room``
on connect and ``leave_room`` on disconnect). Intervals left open are closed by
``close_open_intervals`` when the room closes: at the close time for connections still
alive, at their last heartbeat for connections whose server died (see
``selectors.attendance.open_interval_end``). A server restart therefore never counts a dead
connection as present until the room closes.

Attendance (``compute_attendance``) is counted from presence; "attended" is recorded once
per person and session as an xAPI "attended" statement (event key
``live-attended:<session>:<user>``) and completes the live-session unit. For a weekly series
the unit is one unit with one session per occurrence: attending any one occurrence (live, by
replay or by a host's correction) completes it; every occurrence attended is its own
statement. Only learners actively enrolled in the course, and not hosting the session, get
statements and completion; hosts' presence is kept in rows but is not learning.

Corrections (``correct_attendance``) are kept: recounting never overwrites a row whose
source is "corrected". Statements are facts and are never deleted: a correction that changes
"attended" records a new "attended" statement with ``result.success`` true or false (event
key ``live-attendance-corrected:<session>:<user>:<n>``, n = the statements of that kind so
far), so the record shows the history of corrections with who (``context.instructor``) and
when. Unmarking does not undo the unit's completion: completion is a fact in the learning
record and, for a series, may come from another occurrence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.activity.actions import LearningObject, record
from cadenza.activity.models import Statement
from cadenza.activity.verbs import Verb
from cadenza.learning.actions.progress import complete_unit, unit_object
from cadenza.lib.errors import DomainError
from cadenza.live.attendance.selectors.attendance import (
    counted_attendance,
    enrolled_learner_ids,
    may_manage_attendance,
    open_interval_end,
    session_length_seconds,
    session_presence,
)
from cadenza.live.models import Attendance, LiveSession, PresenceInterval
from cadenza.orgs.models import Membership

MAX_NOTE_LENGTH = 300
SOURCE_EXTENSION = "urn:cadenza:xapi:extension:attendance-source"


def session_object(session: LiveSession) -> LearningObject:
    """The live session as the object of an xAPI statement."""
    return LearningObject(
        type="live_session",
        id=str(session.pk),
        iri=f"urn:cadenza:{session.org.slug}:live-session:{session.pk}",
        name=session.title,
    )


def iso_duration(seconds: int) -> str:
    """Seconds as an ISO 8601 duration, as xAPI's ``result.duration`` wants: "PT45M"."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    parts += f"{secs}S" if secs or not parts else ""
    return "PT" + parts


def _attended_context(session: LiveSession, source: str, by: User | None) -> dict[str, object]:
    context: dict[str, object] = {
        "contextActivities": {"parent": [{"id": unit_object(session.unit).iri}]},
        "extensions": {SOURCE_EXTENSION: source},
    }
    if by is not None:
        context["instructor"] = {"mbox": f"mailto:{by.email}", "name": by.name}
    return context


def record_attended(
    *, session: LiveSession, user: User, seconds_present: int, source: str, now: datetime
) -> None:
    """The learner attended: the "attended" statement (once per session and person) and the
    live-session unit completed. Runs inside the caller's transaction."""
    record(
        org=session.org,
        actor=user,
        verb=Verb.ATTENDED,
        obj=session_object(session),
        event_key=f"live-attended:{session.pk}:{user.pk}",
        result={"success": True, "duration": iso_duration(seconds_present)},
        context=_attended_context(session, source, None),
        timestamp=now,
    )
    complete_unit(user=user, unit=session.unit, now=now)


@transaction.atomic
def join_room(
    *, session: LiveSession, user: User, connection_id: str, at: datetime
) -> PresenceInterval:
    """A connection joined the room: open its presence interval.

    ``connection_id`` is made by the server for each socket; joining again with the same id
    (a retried call) returns the interval already open. An id already used for another
    session or person raises ``ValueError``.
    """
    interval, created = PresenceInterval.objects.get_or_create(
        connection_id=connection_id,
        defaults={"org_id": session.org_id, "session": session, "user": user, "joined_at": at},
    )
    if not created and (interval.session_id != session.pk or interval.user_id != user.pk):
        raise ValueError("This connection id belongs to another session or person.")
    return interval


@transaction.atomic
def leave_room(*, connection_id: str, at: datetime) -> PresenceInterval | None:
    """A connection left: close its interval at ``at`` (never before it opened).

    Idempotent: an interval already closed, or an unknown id, changes nothing and answers
    the closed interval or None.
    """
    interval = (
        PresenceInterval.objects.select_for_update().filter(connection_id=connection_id).first()
    )
    if interval is None:
        return None
    if interval.left_at is None:
        interval.left_at = max(at, interval.joined_at)
        interval.save(update_fields=["left_at"])
    return interval


@transaction.atomic
def note_presence_heartbeat(*, connection_ids: Sequence[str], at: datetime) -> int:
    """The connections of one server process are alive at ``at`` (one UPDATE for all of them;
    the consumer's process calls it on its ~25 s heartbeat). Answers how many were open."""
    if not connection_ids:
        return 0
    return PresenceInterval.objects.filter(
        connection_id__in=list(connection_ids), left_at__isnull=True
    ).update(last_seen_at=at)


@transaction.atomic
def close_open_intervals(*, session: LiveSession, at: datetime) -> int:
    """Close every interval of ``session`` still open: at ``at`` (the room's close) for a
    connection that was alive, at its last heartbeat for one whose server died. Answers the
    number closed; a second call closes nothing."""
    open_intervals = PresenceInterval.objects.select_for_update().filter(
        session=session, left_at__isnull=True
    )
    closed = 0
    for interval in open_intervals:
        interval.left_at = max(open_interval_end(interval, at), interval.joined_at)
        interval.save(update_fields=["left_at"])
        closed += 1
    return closed


@transaction.atomic
def compute_attendance(*, session: LiveSession, now: datetime | None = None) -> list[Attendance]:
    """Count everyone's attendance from presence and store it (see the module's docstring).

    Called when the room closes (after ``close_open_intervals``) and by hosts from the
    attendance page; may run again at any time: rows are updated, corrections kept, and a
    statement is never written twice. Answers every stored row of the session.
    """
    now = now or timezone.now()
    LiveSession.objects.select_for_update().filter(pk=session.pk).first()
    presence = session_presence(session, now=now)
    stored = {row.user_id: row for row in Attendance.objects.filter(session=session)}
    learners = enrolled_learner_ids(session)
    users = {u.pk: u for u in User.objects.filter(pk__in=set(presence) | set(stored))}
    for user_id, seen in presence.items():
        row = stored.get(user_id)
        seconds, attended, source = counted_attendance(session, row, seen)
        if row is None:
            row = Attendance(org_id=session.org_id, session=session, user_id=user_id)
            stored[user_id] = row
        elif row.source == Attendance.Source.CORRECTED or (
            (row.seconds_present, row.attended, row.source) == (seconds, attended, source)
        ):
            continue
        newly_attended = attended and not row.attended
        row.seconds_present, row.attended, row.source = seconds, attended, source
        row.updated_at = now
        row.save()
        if newly_attended and user_id in learners:
            record_attended(
                session=session,
                user=users[user_id],
                seconds_present=seconds,
                source=source,
                now=now,
            )
    return sorted(stored.values(), key=lambda r: (users[r.user_id].name.casefold(), r.user_id))


def _attended_statements(session: LiveSession, user: User) -> int:
    return Statement.objects.filter(
        org_id=session.org_id,
        actor=user,
        verb=Verb.ATTENDED.value,
        object_type="live_session",
        object_id=str(session.pk),
    ).count()


@transaction.atomic
def correct_attendance(
    *,
    session: LiveSession,
    user: User,
    attended: bool,
    note: str,
    by: User,
    seconds_present: int | None = None,
    now: datetime | None = None,
) -> Attendance:
    """A host or org admin sets a person's attendance by hand (see the module's docstring).

    The row keeps who corrected (``corrected_by``), when (``updated_at``) and why (``note``);
    recounting never overwrites it. ``seconds_present`` None keeps the counted seconds.
    Raises ``PermissionDenied`` for anyone but the session's hosts and the org's admins, and
    ``DomainError`` for a person outside the organization, seconds outside the session's
    length or a note over 300 characters; nothing is written then.
    """
    if not may_manage_attendance(session=session, user=by):
        raise PermissionDenied("Only the session's hosts and the organization's admins may.")
    if not Membership.objects.filter(org_id=session.org_id, user=user).exists():
        raise DomainError("This person is not a member of the organization.")
    length = session_length_seconds(session)
    if seconds_present is not None and not 0 <= seconds_present <= length:
        raise DomainError(f"Seconds present must be between 0 and {length}.")
    if len(note) > MAX_NOTE_LENGTH:
        raise DomainError(f"The note must be at most {MAX_NOTE_LENGTH} characters.")
    now = now or timezone.now()
    row = Attendance.objects.select_for_update().filter(session=session, user=user).first()
    if seconds_present is None:
        seen = session_presence(session, now=now).get(user.pk)
        seconds_present = counted_attendance(session, row, seen)[0]
    was_attended = row is not None and row.attended
    if row is None:
        row = Attendance(org_id=session.org_id, session=session, user=user)
    row.seconds_present = seconds_present
    row.attended = attended
    row.source = Attendance.Source.CORRECTED
    row.corrected_by = by
    row.note = note
    row.updated_at = now
    row.save()
    if attended != was_attended and user.pk in enrolled_learner_ids(session):
        earlier = _attended_statements(session, user)
        key = (
            f"live-attended:{session.pk}:{user.pk}"
            if earlier == 0
            else f"live-attendance-corrected:{session.pk}:{user.pk}:{earlier}"
        )
        record(
            org=session.org,
            actor=user,
            verb=Verb.ATTENDED,
            obj=session_object(session),
            event_key=key,
            result={"success": attended, "duration": iso_duration(seconds_present)},
            context=_attended_context(session, Attendance.Source.CORRECTED, by),
            timestamp=now,
        )
        if attended:
            complete_unit(user=user, unit=session.unit, now=now)
    return row
