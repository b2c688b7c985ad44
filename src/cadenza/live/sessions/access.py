"""Fetching a live session with its authorization, and who is who in it: its hosts, who
moderates its room, who is restricted there."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from cadenza.accounts.models import User
from cadenza.courses.selectors import access_course, active_enrolment, visible_units
from cadenza.live.models import LiveSession, LiveSessionHost, ParticipantRestriction
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext, scoped


def sessions_of_unit(ctx: OrgContext, *, course_slug: str, unit_id: int) -> QuerySet[LiveSession]:
    """The sessions (occurrences) of a live-session unit the person may see."""
    course = access_course(ctx, slug=course_slug)
    unit = visible_units(ctx, course).filter(pk=unit_id).first()
    if unit is None:
        raise Http404("No such live session.")
    return scoped(LiveSession.objects.filter(unit=unit), ctx.org)


NOT_ENROLLED = "not_enrolled"
NOT_OPEN_YET = "not_open_yet"


@dataclass(frozen=True, slots=True)
class ClosedSession:
    """A session of the person's organization they may not see yet, and why: its course,
    module or unit is not published (``NOT_OPEN_YET``), or they are not enrolled in its
    course (``NOT_ENROLLED``; ``may_self_enrol``: the course's enrol button would let them)."""

    session: LiveSession
    reason: str
    may_self_enrol: bool

    @property
    def detail(self) -> str:
        """The reason in words, as the session's page says it."""
        course = self.session.course.title
        if self.reason == NOT_OPEN_YET:
            return f"This session is not open yet: {course} has not been published to learners."
        if self.may_self_enrol:
            return f"You are not enrolled in {course}; enrol in it to join its live sessions."
        return (
            f"You are not enrolled in {course}, so you cannot join its live sessions yet; "
            "ask the course's instructor to enrol you."
        )


class SessionClosed(PermissionDenied):
    """``access_session`` refused a session of the person's own organization: a 403 that says
    why (``closed``), where a 404 would say "no such session" of one they were sent a link to."""

    def __init__(self, closed: ClosedSession) -> None:
        super().__init__(closed.detail)
        self.closed = closed


def _session_of_org(ctx: OrgContext, session_id: int) -> LiveSession | None:
    return (
        scoped(LiveSession.objects.all(), ctx.org)
        .select_related("org", "unit", "unit__module", "unit__course", "course")
        .filter(pk=session_id)
        .first()
    )


def _closed_to(ctx: OrgContext, session: LiveSession) -> ClosedSession | None:
    """The one rule of who may see a session of their organization: staff
    (``VIEW_DRAFTS``) any; a learner a session of a published unit in a course they are
    actively enrolled in. Anyone else is refused, with the reason."""
    if ctx.may(Permission.VIEW_DRAFTS):
        return None
    if not session.unit.is_open_to_learners:
        return ClosedSession(session=session, reason=NOT_OPEN_YET, may_self_enrol=False)
    if active_enrolment(ctx, session.course) is not None:
        return None
    may_self_enrol = session.course.open_enrolment and ctx.may(Permission.SELF_ENROL)
    return ClosedSession(session=session, reason=NOT_ENROLLED, may_self_enrol=may_self_enrol)


def access_session(ctx: OrgContext, *, session_id: int) -> LiveSession:
    """One live session the person may see (``_closed_to``: staff any session; a learner a
    session of a published unit in a course they are actively enrolled in). Everything else,
    including another organization's session, is 404; ``session_closed_to`` says why a
    session of the person's own organization was refused."""
    session = _session_of_org(ctx, session_id)
    if session is None or _closed_to(ctx, session) is not None:
        raise Http404("No such live session.")
    return session


def session_closed_to(ctx: OrgContext, *, session_id: int) -> ClosedSession | None:
    """Why ``access_session`` refuses a session of ``ctx``'s organization, so that a link
    to it says why instead of "Page not found". None when there is no such session in this
    organization (another organization's is still a 404) or nothing is refused."""
    session = _session_of_org(ctx, session_id)
    return None if session is None else _closed_to(ctx, session)


def explain_refusal(ctx: OrgContext, *, session_id: int) -> None:
    """After ``access_session`` refused ``session_id`` (404): raise ``SessionClosed`` (403
    with the reason) when it is a session of ``ctx``'s organization the person may not see
    yet, for the API, whose callers were given the session's id. Returns otherwise: another
    organization's session, a missing one, or nothing refused (the 404 was about something
    else: a question or breakout not in the session) stay the caller's 404."""
    closed = session_closed_to(ctx, session_id=session_id)
    if closed is not None:
        raise SessionClosed(closed)


def is_host(session: LiveSession, user: User) -> bool:
    """Hosts moderate the room and the video; an organization admin may always step in."""
    return LiveSessionHost.objects.filter(session=session, user=user).exists()


def is_moderator(ctx: OrgContext, session: LiveSession) -> bool:
    """Hosts moderate the room; an organization admin may always step in."""
    return ctx.may(Permission.MANAGE_ORGANIZATION) or is_host(session, ctx.user)


def is_restricted(
    session: LiveSession, user: User | int, kind: ParticipantRestriction.Kind
) -> bool:
    user_id = user if isinstance(user, int) else user.pk
    return ParticipantRestriction.objects.filter(
        session=session, user_id=user_id, kind=kind
    ).exists()
