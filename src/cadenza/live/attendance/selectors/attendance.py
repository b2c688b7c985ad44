"""Reading attendance: minutes present from presence intervals, and the hosts' report.

Presence is counted the same way everywhere (the live numbers hosts see during the session,
the rows ``compute_attendance`` writes, the CSV export): a person's intervals are clipped to
the time the session ran (``attendance_window``: its schedule, cut short by a late opening or
an early end) and merged, so two tabs or a reconnect that overlaps
the old connection count once. An interval still open counts up to "now", unless its
connection stopped sending heartbeats (a server that died): then it counts up to its last
heartbeat. Present means present: a person who connected for one minute of an hour did not
attend.

Attendance is about learners: the report says who is a learner (actively enrolled, not a
host), a host, or other staff (a TA, an admin stepping in), and the pages, the CSV and the
API count and show learners apart from hosts and staff.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.courses.models import Enrolment, EnrolmentStatus
from cadenza.live.models import Attendance, LiveSession, PresenceInterval
from cadenza.live.sessions.access import access_session, is_host
from cadenza.orgs.models import Membership
from cadenza.orgs.policy import Permission, roles_with
from cadenza.orgs.selectors import OrgContext

LEARNER, HOST, STAFF = "learner", "host", "staff"
ROLE_LABELS = {LEARNER: "Learner", HOST: "Host", STAFF: "Staff"}

PRESENCE_STALE_AFTER = timedelta(seconds=90)
"""Clients send a heartbeat every ~25 s; three missed ones mean the connection is gone."""


@dataclass(frozen=True, slots=True)
class Presence:
    """One person's merged time in the room, clipped to the session."""

    user_id: int
    first_joined: datetime | None
    last_left: datetime | None
    seconds: int
    connected: bool


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    """One line of the hosts' report (``source`` empty and labelled "Absent" for an enrolled
    learner who never connected; ``connected`` while a connection is open)."""

    user: User
    first_joined: datetime | None
    last_left: datetime | None
    seconds_present: int
    attended: bool
    source: str
    source_label: str
    corrected_by: User | None
    note: str
    updated_at: datetime | None
    connected: bool
    role: str
    """``learner`` (actively enrolled, not a host), ``host`` or ``staff`` (anyone else who
    connected: a TA, an organization admin)."""

    @property
    def is_learner(self) -> bool:
        return self.role == LEARNER

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def minutes_present(self) -> int:
        return self.seconds_present // 60


def attendance_window(session: LiveSession) -> tuple[datetime, datetime]:
    """The time attendance is counted over: the session's schedule, cut short by the room's
    real open interval when the host ended it early (``closed_at`` before ``ends_at``) or
    opened it late (``opened_at`` after ``starts_at``), so learners are never asked for a
    share of minutes that never happened. A room that ran past its end, was opened in the
    lobby before its start, or was opened and closed only after its scheduled end counts its
    scheduled time."""
    start, end = session.starts_at, session.ends_at
    if session.closed_at is not None and start < session.closed_at < end:
        end = session.closed_at
    if session.opened_at is not None and start < session.opened_at < end:
        start = session.opened_at
    return start, end


def session_length_seconds(session: LiveSession) -> int:
    """The seconds attendance is counted over (``attendance_window``)."""
    start, end = attendance_window(session)
    return int((end - start).total_seconds())


def attends(session: LiveSession, seconds_present: int) -> bool:
    """Whether ``seconds_present`` reaches the session's threshold (exactly 75 % attends;
    one second less does not). Integer arithmetic, so no rounding decides a borderline case."""
    length = session_length_seconds(session)
    if length == 0:
        return False
    return seconds_present * 100 >= session.attendance_threshold_percent * length


def open_interval_end(interval: PresenceInterval, now: datetime) -> datetime:
    """Where an interval still open ends when counted at ``now``: now while its connection
    sends heartbeats (or before its first one), else its last heartbeat."""
    seen = interval.last_seen_at
    if seen is not None and now - seen > PRESENCE_STALE_AFTER:
        return max(seen, interval.joined_at)
    return now


def merged_seconds(
    spans: Iterable[tuple[datetime, datetime]], start: datetime, end: datetime
) -> int:
    """Seconds covered by the union of ``spans`` within ``[start, end]`` (whole seconds,
    rounded down): overlapping spans count once."""
    clipped = sorted(
        (max(first, start), min(last, end))
        for first, last in spans
        if min(last, end) > max(first, start)
    )
    total = timedelta()
    current_start: datetime | None = None
    current_end: datetime | None = None
    for first, last in clipped:
        if current_end is None or first > current_end:
            if current_start is not None and current_end is not None:
                total += current_end - current_start
            current_start, current_end = first, last
        elif last > current_end:
            current_end = last
    if current_start is not None and current_end is not None:
        total += current_end - current_start
    return int(total.total_seconds())


def presence_of(
    session: LiveSession, intervals: Sequence[PresenceInterval], now: datetime
) -> dict[int, Presence]:
    """Each person's merged presence from the session's intervals, counted at ``now``."""
    by_user: dict[int, list[PresenceInterval]] = {}
    for interval in intervals:
        by_user.setdefault(interval.user_id, []).append(interval)
    result: dict[int, Presence] = {}
    window_start, window_end = attendance_window(session)
    window_end = min(window_end, now)
    for user_id, own in by_user.items():
        spans = [
            (i.joined_at, i.left_at if i.left_at is not None else open_interval_end(i, now))
            for i in own
        ]
        ends = [i.left_at for i in own if i.left_at is not None]
        connected = any(i.left_at is None for i in own)
        result[user_id] = Presence(
            user_id=user_id,
            first_joined=min(i.joined_at for i in own),
            last_left=None if connected or not ends else max(ends),
            seconds=merged_seconds(spans, window_start, window_end),
            connected=connected,
        )
    return result


def session_presence(session: LiveSession, *, now: datetime | None = None) -> dict[int, Presence]:
    """Presence of everyone who connected to ``session``, counted at ``now``."""
    intervals = list(PresenceInterval.objects.filter(session=session))
    return presence_of(session, intervals, now or timezone.now())


def may_manage_attendance(*, session: LiveSession, user: User) -> bool:
    """Hosts of the session and the organization's admins see and correct attendance."""
    if is_host(session, user):
        return True
    return Membership.objects.filter(
        org_id=session.org_id, user=user, role__in=roles_with(Permission.MANAGE_ORGANIZATION)
    ).exists()


def access_session_attendance(ctx: OrgContext, *, session_id: int) -> LiveSession:
    """A session whose attendance the person may see and correct: 404 for a session they
    cannot see (another organization's), 403 for anyone but its hosts and the org's admins."""
    session = access_session(ctx, session_id=session_id)
    if ctx.may(Permission.MANAGE_ORGANIZATION) or is_host(session, ctx.user):
        return session
    raise PermissionDenied("Only the session's hosts and the organization's admins see attendance.")


def enrolled_learner_ids(session: LiveSession) -> set[int]:
    """People actively enrolled in the session's course who are not its hosts: the people
    whose attendance enters progress and the learning record."""
    return learners_and_hosts(session)[0]


def learners_and_hosts(session: LiveSession) -> tuple[set[int], set[int]]:
    """The session's learners (as ``enrolled_learner_ids``) and its hosts (two queries)."""
    enrolled = set(
        Enrolment.objects.filter(
            course_id=session.course_id, status=EnrolmentStatus.ACTIVE
        ).values_list("user_id", flat=True)
    )
    hosts = set(session.hosts.values_list("user_id", flat=True))
    return enrolled - hosts, hosts


def is_enrolled_learner(session: LiveSession, user: User) -> bool:
    """Whether ``user`` is one of ``enrolled_learner_ids(session)`` (two small queries)."""
    if session.hosts.filter(user=user).exists():
        return False
    return Enrolment.objects.filter(
        course_id=session.course_id, user=user, status=EnrolmentStatus.ACTIVE
    ).exists()


def counted_attendance(
    session: LiveSession, row: Attendance | None, presence: Presence | None
) -> tuple[int, bool, str]:
    """(seconds present, attended, source) for one person, the one rule shared by the report
    and ``compute_attendance``.

    A host's correction is kept as it is. Otherwise seconds present are those counted from
    presence (never fewer than a row already stored: a count made while a connection was
    alive is not taken back when it later goes quiet); attended by that count is "live",
    else an attended replay stays "replay".
    """
    if row is not None and row.source == Attendance.Source.CORRECTED:
        return row.seconds_present, row.attended, row.source
    seconds = max(presence.seconds if presence else 0, row.seconds_present if row else 0)
    if attends(session, seconds):
        return seconds, True, Attendance.Source.LIVE
    if row is not None and row.source == Attendance.Source.REPLAY and row.attended:
        return seconds, True, Attendance.Source.REPLAY
    return seconds, False, Attendance.Source.LIVE


def attendance_report(session: LiveSession, *, now: datetime | None = None) -> list[AttendanceRow]:
    """Everyone who connected, has a row or is enrolled, sorted by name, each with their
    ``role`` (learners apart from hosts and staff).

    Hosts see live numbers during the session (open intervals counted up to now) and, after
    it, the same numbers ``compute_attendance`` writes; corrections and replays are shown as
    stored. Enrolled learners who never connected are listed as absent. Fixed query count:
    intervals, stored rows, enrolments, hosts and users are one query each.
    """
    now = now or timezone.now()
    presence = session_presence(session, now=now)
    stored = {
        row.user_id: row
        for row in Attendance.objects.filter(session=session).select_related("corrected_by")
    }
    learners, hosts = learners_and_hosts(session)
    user_ids = set(presence) | set(stored) | learners
    users = {user.pk: user for user in User.objects.filter(pk__in=user_ids)}
    rows: list[AttendanceRow] = []
    for user_id in user_ids:
        seen = presence.get(user_id)
        row = stored.get(user_id)
        seconds, attended, source = counted_attendance(session, row, seen)
        known = seen is not None or row is not None
        rows.append(
            AttendanceRow(
                user=users[user_id],
                first_joined=seen.first_joined if seen else None,
                last_left=seen.last_left if seen else None,
                seconds_present=seconds,
                attended=attended,
                source=source if known else "",
                source_label=Attendance.Source(source).label if known else "Absent",
                corrected_by=row.corrected_by if row else None,
                note=row.note if row else "",
                updated_at=row.updated_at if row else None,
                connected=seen.connected if seen else False,
                role=LEARNER if user_id in learners else HOST if user_id in hosts else STAFF,
            )
        )
    rows.sort(key=lambda r: (r.user.name.casefold(), r.user.email))
    return rows
