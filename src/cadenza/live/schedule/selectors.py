"""Reading the schedule: sessions for the pages, the calendar feeds, reminders and the dashboard.

Who takes part in a session: its hosts, and the learners actively enrolled in its course once
the session's unit is published (with its module and course). Staff who are neither are not
reminded; they see sessions on the schedule pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse

from cadenza.accounts.models import User
from cadenza.courses.models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    Module,
    Unit,
    UnitKind,
    open_to_learners,
)
from cadenza.courses.selectors import access_course, access_module, access_unit
from cadenza.lib.site_address import absolute_url
from cadenza.live.models import (
    CalendarFeed,
    LiveSession,
    LiveSessionHost,
    LiveVideoSettings,
    SessionStatus,
    VideoProvider,
)
from cadenza.live.sessions.access import access_session
from cadenza.orgs.models import Membership, Organization
from cadenza.orgs.policy import Permission, roles_with
from cadenza.orgs.selectors import OrgContext, scoped


def join_path(session: LiveSession) -> str:
    """Where a participant goes to join: the room page once it exists (``live_room``), else the
    session list of the live-session unit."""
    org_slug = session.org.slug
    try:
        return reverse("live_room", kwargs={"org_slug": org_slug, "session_id": session.pk})
    except NoReverseMatch:
        return reverse(
            "live_unit_sessions",
            kwargs={
                "org_slug": org_slug,
                "course_slug": session.course.slug,
                "unit_id": session.unit_id,
            },
        )


def join_url(session: LiveSession, *, site_url: str | None = None) -> str:
    """``join_path`` as an absolute address (for calendars; ``site_url``: the feed's own
    address, else the site's configured one, ``cadenza.lib.site_address``)."""
    if site_url is None:
        return absolute_url(join_path(session))
    return site_url.rstrip("/") + join_path(session)


def default_provider(org: Organization) -> VideoProvider:
    """The organization's default video provider; built-in video when it chose none."""
    chosen = (
        LiveVideoSettings.objects.filter(org=org).values_list("default_provider", flat=True).first()
    )
    return VideoProvider(chosen) if chosen else VideoProvider.BUILTIN


def host_candidates(org: Organization) -> QuerySet[User]:
    """The people who may host the organization's live sessions, by name."""
    return User.objects.filter(
        memberships__org=org,
        memberships__role__in=roles_with(Permission.HOST_LIVE_SESSIONS),
    ).order_by("display_name", "email")


def hosts_of(session: LiveSession) -> list[User]:
    """A session's hosts in the order they were named (the first is the organizer)."""
    rows = LiveSessionHost.objects.filter(session=session).select_related("user").order_by("id")
    return [row.user for row in rows]


def _with_hosts(sessions: QuerySet[LiveSession]) -> QuerySet[LiveSession]:
    hosts = LiveSessionHost.objects.select_related("user").order_by("id")
    return sessions.select_related("org", "course", "unit", "series").prefetch_related(
        Prefetch("hosts", queryset=hosts)
    )


def _taking_part(user: User) -> Q:
    """Sessions ``user`` hosts, or that are open to them as an enrolled learner."""
    enrolled = Q(
        course__enrolments__user=user,
        course__enrolments__status=EnrolmentStatus.ACTIVE,
    ) & open_to_learners("unit__")
    return Q(hosts__user=user) | enrolled


def calendar_sessions(user: User) -> QuerySet[LiveSession]:
    """Every session for a person's calendar feed, across all organizations they belong to
    (the feed is the person's, not one organization's), cancelled ones included."""
    member_of = Membership.objects.filter(user=user).values("org_id")
    ids = (
        LiveSession.objects.filter(org_id__in=member_of)
        .filter(_taking_part(user))
        .values("pk")
        .distinct()
    )
    return _with_hosts(LiveSession.objects.filter(pk__in=ids)).order_by("starts_at", "id")


def session_for_calendar(*, session_id: int) -> LiveSession:
    """One session with what its calendar entry shows (hosts, series, organization)."""
    return _with_hosts(LiveSession.objects.filter(pk=session_id)).get()


def upcoming_sessions(
    ctx: OrgContext, *, now: datetime, limit: int = 10, fields: Sequence[str] = ()
) -> list[LiveSession]:
    """The person's next scheduled sessions in this organization (hosting, or enrolled in a
    published one), soonest first, including one under way. Times are UTC; pages show them in
    the viewer's zone. Each has ``course`` loaded and ``is_host`` set, and ``unit`` too unless
    ``fields`` names the only columns to load (a page showing a few of a session's thirty).

    One query: who takes part is asked per session (hosting, as ``is_host``; an active
    enrolment in the session's course) rather than joined, made distinct and read again for
    ``is_host`` (two queries until December 2026, a third of the dashboard's time)."""
    return list(upcoming_sessions_query(ctx, now=now, fields=fields)[:limit])


def upcoming_sessions_query(
    ctx: OrgContext,
    *,
    now: datetime,
    hosting: bool = True,
    learning: bool = True,
    fields: Sequence[str] = (),
) -> QuerySet[LiveSession]:
    """``upcoming_sessions`` as a query, to page through or to narrow: ``hosting`` keeps the
    sessions the person hosts, ``learning`` the published ones of courses they are actively
    enrolled in (a host enrolled in the course counts as its host)."""
    hosting_row = LiveSessionHost.objects.filter(session=OuterRef("pk"), user=ctx.user)
    enrolled = Enrolment.objects.filter(user=ctx.user, status=EnrolmentStatus.ACTIVE)
    as_learner = Q(course_id__in=enrolled.values("course_id")) & open_to_learners("unit__")
    if hosting and learning:
        taking_part = Q(is_host=True) | as_learner
    elif hosting:
        taking_part = Q(is_host=True)
    elif learning:
        taking_part = Q(is_host=False) & as_learner
    else:
        return LiveSession.objects.none()
    sessions = (
        scoped(LiveSession.objects.all(), ctx.org)
        .filter(status=SessionStatus.SCHEDULED, ends_at__gt=now)
        .annotate(is_host=Exists(hosting_row))
        .filter(taking_part)
        .order_by("starts_at", "id")
    )
    if fields:
        return sessions.select_related("course").only(*fields)
    return sessions.select_related("course", "unit")


def participants(session: LiveSession) -> list[User]:
    """Who is told about a session (reminders, cancellation, "starting now"): its hosts, then
    the learners actively enrolled in its course once the session is published to them."""
    people = {user.pk: user for user in hosts_of(session)}
    published = Unit.objects.filter(pk=session.unit_id).open_to_learners().exists()
    if published:
        learners = User.objects.filter(
            enrolments__course_id=session.course_id,
            enrolments__status=EnrolmentStatus.ACTIVE,
            memberships__org_id=session.org_id,
        ).order_by("id")
        for learner in learners:
            people.setdefault(learner.pk, learner)
    return list(people.values())


def sessions_starting_between(start: datetime, end: datetime) -> QuerySet[LiveSession]:
    """Scheduled sessions (every organization) that start in ``(start, end]``, for reminders."""
    return (
        LiveSession.objects.filter(
            status=SessionStatus.SCHEDULED, starts_at__gt=start, starts_at__lte=end
        )
        .select_related("org", "course", "unit")
        .order_by("starts_at", "id")
    )


# Pages -------------------------------------------------------------------------------------


def access_module_for_scheduling(ctx: OrgContext, *, course_slug: str, module_id: int) -> Module:
    """A module in which the person may schedule a live session: 403 unless they author
    courses; 404 for another organization's course or module."""
    ctx.require(Permission.AUTHOR_COURSES)
    course = access_course(ctx, slug=course_slug)
    return access_module(ctx, course=course, module_id=module_id)


def access_session_for_scheduling(ctx: OrgContext, *, session_id: int) -> LiveSession:
    """A session the person may edit, move or cancel: 403 unless they author courses; 404 for
    another organization's or a missing session."""
    ctx.require(Permission.AUTHOR_COURSES)
    return access_session(ctx, session_id=session_id)


@dataclass(frozen=True, slots=True)
class UnitSchedule:
    """A live-session unit with its sessions (hosts loaded) for the session list."""

    course: Course
    unit: Unit
    sessions: list[LiveSession]
    can_schedule: bool


def unit_schedule(ctx: OrgContext, *, course_slug: str, unit_id: int) -> UnitSchedule:
    """The sessions of a live-session unit: staff see any; learners a published unit of a
    course they are enrolled in (404 otherwise, as for any unit)."""
    course = access_course(ctx, slug=course_slug)
    unit = access_unit(ctx, course=course, unit_id=unit_id)
    if unit.kind != UnitKind.LIVE_SESSION:
        raise Http404("No such live session.")
    sessions = list(_with_hosts(scoped(LiveSession.objects.filter(unit=unit), ctx.org)))
    return UnitSchedule(
        course=course,
        unit=unit,
        sessions=sessions,
        can_schedule=ctx.may(Permission.AUTHOR_COURSES),
    )


def session_for_download(ctx: OrgContext, *, session_id: int) -> LiveSession:
    """A session for its ``.ics`` download: anyone who may see it (``access_session``)."""
    return access_session(ctx, session_id=session_id)


# Calendar feeds ----------------------------------------------------------------------------


def active_calendar_feed(user: User) -> CalendarFeed | None:
    """The person's current feed link, if they made one and did not revoke it."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).order_by("-id").first()


def feed_owner(*, token: str) -> User:
    """The person whose active feed ``token`` is: 404 for an unknown or revoked token (the
    secret is the only credential, so every failure looks the same)."""
    if not token or len(token) > 64:
        raise Http404("No such calendar.")
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404("No such calendar.")
    return feed.user
