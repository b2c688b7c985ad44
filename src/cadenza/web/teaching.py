"""Reads for the teaching part of the home: my courses, the next sessions I host, what waits
for me, and how learners attended my recent sessions.

Built from what the domains record (``courses``: courses and enrolments; ``live``: sessions,
hosts, prepared polls, the room's questions, stored attendance), so it sits in ``web``, above
both. Five queries whatever the number of courses, sessions, questions or learners.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from cadenza.courses.models import Course, Enrolment, EnrolmentStatus, open_to_learners
from cadenza.courses.selectors import teaching_courses
from cadenza.live.models import (
    Attendance,
    LiveSession,
    LiveSessionHost,
    Poll,
    QuestionStatus,
    RoomQuestion,
    SessionStatus,
)
from cadenza.live.schedule.selectors import upcoming_sessions_query
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext, scoped
from cadenza.web.selectors import NEXT_SESSIONS, SESSION_FIELDS, UpcomingSession, upcoming_items

COURSES_SHOWN = 6
"""My courses on the home; every course of the organization is on the Teach page."""
COMING_DAYS = 7
"""How far ahead the home looks for sessions that need something before they start."""
RECENT_DAYS = 14
"""How far back the home looks for sessions whose attendance it shows."""
LISTED = 5
"""At most this many rows in each list of what waits and of recent attendance."""


@dataclass(frozen=True, slots=True)
class HostedSession:
    """A session I host, with what it still needs: polls prepared, learners able to see it."""

    item: UpcomingSession
    prepared_polls: int
    open_to_learners: bool


@dataclass(frozen=True, slots=True)
class Waiting:
    """One thing that waits for me: what it is about (``title``, a link), what it needs
    (``what``) and, for a session, when it starts or started (shown in my zone)."""

    title: str
    what: str
    url: str
    link_text: str
    when: datetime | None = None


@dataclass(frozen=True, slots=True)
class RecentAttendance:
    """An ended session I hosted: how many of its learners (actively enrolled, not hosts)
    attended, as stored when the room closed or corrected since."""

    session: LiveSession
    attended: int
    learners: int
    report_url: str


@dataclass(frozen=True, slots=True)
class TeachingHome:
    courses: list[Course]
    next_sessions: list[HostedSession]
    waiting: list[Waiting]
    attendance: list[RecentAttendance]
    may_author: bool = False
    """Whether the person may make courses (the "New course" link)."""

    @property
    def is_empty(self) -> bool:
        """Nothing of mine to teach: no course I made or host a session of, no session."""
        return not self.courses and not self.next_sessions and not self.attendance


def teaching_home(ctx: OrgContext, *, now: datetime) -> TeachingHome:
    """The teaching part of the home of a person who hosts sessions (instructors, TAs and
    admins by ``orgs.policy``). Five queries."""
    hosted = LiveSessionHost.objects.filter(user=ctx.user)
    courses = list(
        teaching_courses(ctx)
        .filter(Q(created_by=ctx.user) | Q(pk__in=hosted.values("session__course_id")))
        .order_by("title", "id")[:COURSES_SHOWN]
    )
    upcoming = _with_preparation(
        upcoming_sessions_query(ctx, now=now, learning=False, fields=SESSION_FIELDS)
    )
    next_sessions = _hosted(ctx, upcoming[:NEXT_SESSIONS], now=now)
    needing = _hosted(
        ctx,
        upcoming.filter(
            starts_at__lt=now + timedelta(days=COMING_DAYS), closed_at__isnull=True
        ).filter(Q(prepared_polls=0) | Q(visible=False))[:LISTED],
        now=now,
    )
    waiting = [_session_waiting(ctx, hosted_session) for hosted_session in needing]
    waiting += _unanswered_questions(ctx, now=now)
    waiting += [
        Waiting(
            title=course.title,
            what="Draft: learners do not see this course yet.",
            url=reverse("course_builder", args=[ctx.org.slug, course.slug]),
            link_text="Open the builder",
        )
        for course in courses
        if not course.is_published
    ]
    return TeachingHome(
        courses=courses,
        next_sessions=next_sessions,
        waiting=waiting,
        attendance=_recent_attendance(ctx, now=now),
        may_author=ctx.may(Permission.AUTHOR_COURSES),
    )


def _with_preparation(sessions: QuerySet[LiveSession]) -> QuerySet[LiveSession]:
    """Each session with ``prepared_polls`` (its polls, whatever their state: one opened in
    the lobby was prepared all the same) and ``visible`` (learners see it: its unit, module
    and course are published)."""
    polls = (
        Poll.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return sessions.annotate(
        prepared_polls=Coalesce(Subquery(polls, output_field=IntegerField()), 0),
        visible=ExpressionWrapper(open_to_learners("unit__"), output_field=BooleanField()),
    )


def _hosted(
    ctx: OrgContext, sessions: QuerySet[LiveSession], *, now: datetime
) -> list[HostedSession]:
    rows = list(sessions)
    return [
        HostedSession(
            item=item,
            prepared_polls=int(getattr(row, "prepared_polls", 0)),
            open_to_learners=bool(getattr(row, "visible", False)),
        )
        for row, item in zip(rows, upcoming_items(ctx, rows, now=now), strict=True)
    ]


def _session_waiting(ctx: OrgContext, hosted: HostedSession) -> Waiting:
    session = hosted.item.session
    needs = []
    if not hosted.open_to_learners:
        needs.append("a draft: learners do not see it yet")
    if not hosted.prepared_polls:
        needs.append("no poll prepared")
    # Authors prepare polls and publish on the session's edit page; other hosts (TAs)
    # prepare polls in the room's Host tab, open to hosts before the lobby.
    if ctx.may(Permission.AUTHOR_COURSES):
        url, link_text = reverse("live_session_edit", args=[ctx.org.slug, session.pk]), "Prepare"
    else:
        url, link_text = hosted.item.join_path, "Prepare in the room"
    return Waiting(
        title=session.title,
        what=f"{session.course.title}: {' and '.join(needs)}.",
        url=url,
        link_text=link_text,
        when=session.starts_at,
    )


def _unanswered_questions(ctx: OrgContext, *, now: datetime) -> list[Waiting]:
    """Ended sessions I hosted with questions nobody answered or dismissed (answered later
    from the replay's page), most recent first."""
    open_questions = (
        RoomQuestion.objects.filter(session=OuterRef("pk"), status=QuestionStatus.OPEN)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sessions = (
        _hosted_by(ctx)
        .filter(Q(closed_at__isnull=False) | Q(ends_at__lte=now))
        .annotate(open_questions=Subquery(open_questions, output_field=IntegerField()))
        .filter(open_questions__gt=0)
        .only("title", "starts_at", "course__title")
        .select_related("course")
        .order_by("-starts_at", "-id")[:LISTED]
    )
    waiting = []
    for session in sessions:
        count = int(getattr(session, "open_questions", 0))
        plural = "question" if count == 1 else "questions"
        waiting.append(
            Waiting(
                title=session.title,
                what=f"{session.course.title}: {count} {plural} left unanswered.",
                url=reverse("live_replay", args=[ctx.org.slug, session.pk]),
                link_text="Answer",
                when=session.starts_at,
            )
        )
    return waiting


def _recent_attendance(ctx: OrgContext, *, now: datetime) -> list[RecentAttendance]:
    """Sessions I hosted that ended in the last ``RECENT_DAYS`` days, most recent first, with
    the number of their learners and of those who attended (one query)."""
    learners = Enrolment.objects.filter(
        course=OuterRef("course"), status=EnrolmentStatus.ACTIVE
    ).exclude(_is_host(session=OuterRef(OuterRef("pk"))))
    attended = Attendance.objects.filter(
        session=OuterRef("pk"),
        attended=True,
        user_id__in=Enrolment.objects.filter(
            course=OuterRef(OuterRef("course")), status=EnrolmentStatus.ACTIVE
        ).values("user_id"),
    ).exclude(_is_host(session=OuterRef("session")))
    sessions = (
        _hosted_by(ctx)
        .filter(Q(closed_at__isnull=False) | Q(ends_at__lte=now))
        .filter(ends_at__gte=now - timedelta(days=RECENT_DAYS), starts_at__lte=now)
        .annotate(
            learner_count=_count(learners, "course"),
            attended_count=_count(attended, "session"),
        )
        .only("title", "starts_at", "ends_at", "course__title")
        .select_related("course")
        .order_by("-starts_at", "-id")[:LISTED]
    )
    return [
        RecentAttendance(
            session=session,
            attended=int(getattr(session, "attended_count", 0)),
            learners=int(getattr(session, "learner_count", 0)),
            report_url=reverse("live_attendance", args=[ctx.org.slug, session.pk]),
        )
        for session in sessions
    ]


def _is_host(*, session: OuterRef) -> Exists:
    """The row's person (``user``) hosts ``session``: hosts are not counted as learners."""
    return Exists(LiveSessionHost.objects.filter(session=session, user=OuterRef("user")))


def _hosted_by(ctx: OrgContext) -> QuerySet[LiveSession]:
    """The organization's scheduled (not cancelled) sessions the person hosts."""
    hosting = LiveSessionHost.objects.filter(session=OuterRef("pk"), user=ctx.user)
    return scoped(LiveSession.objects.all(), ctx.org).filter(
        Exists(hosting), status=SessionStatus.SCHEDULED
    )


def _count(rows: QuerySet[Enrolment] | QuerySet[Attendance], group: str) -> Coalesce:
    counted = rows.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
