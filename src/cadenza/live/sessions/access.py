"""Fetching a live session with its authorization, and who is who in it: its hosts, who
moderates its room, who is restricted there."""

from __future__ import annotations

from dataclasses import dataclass

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


def access_session(ctx: OrgContext, *, session_id: int) -> LiveSession:
    """One live session the person may see: staff of the organization any session; a learner
    a session of a published unit in a course they are actively enrolled in. Everything else,
    including another organization's session, is 404."""
    session = (
        scoped(LiveSession.objects.all(), ctx.org)
        .select_related("org", "unit", "unit__module", "unit__course", "course")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404("No such live session.")
    if ctx.may(Permission.VIEW_DRAFTS):
        return session
    if not session.unit.is_open_to_learners or active_enrolment(ctx, session.course) is None:
        raise Http404("No such live session.")
    return session


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


def session_closed_to(ctx: OrgContext, *, session_id: int) -> ClosedSession | None:
    """Why ``access_session`` refuses a session of ``ctx``'s organization, so that a link
    to it says why instead of "Page not found". None when there is no such session in this
    organization (another organization's is still a 404) or nothing is refused."""
    session = (
        scoped(LiveSession.objects.all(), ctx.org)
        .select_related("org", "unit", "unit__module", "unit__course", "course")
        .filter(pk=session_id)
        .first()
    )
    if session is None or ctx.may(Permission.VIEW_DRAFTS):
        return None
    if not session.unit.is_open_to_learners:
        return ClosedSession(session=session, reason=NOT_OPEN_YET, may_self_enrol=False)
    if active_enrolment(ctx, session.course) is not None:
        return None
    may_self_enrol = session.course.open_enrolment and ctx.may(Permission.SELF_ENROL)
    return ClosedSession(session=session, reason=NOT_ENROLLED, may_self_enrol=may_self_enrol)


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
