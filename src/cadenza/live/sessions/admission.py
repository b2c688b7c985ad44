"""Who may be in a room: one rule (``admits``), asked for one person (``access_room`` via
``admit_to_room``, at connect and on every write) and for many at once (``admitted_people``).

A server process re-checks every socket it holds every few seconds (``cadenza.realtime.sweep``),
so a person un-enrolled, removed from the organization, deactivated or removed from the session
is disconnected within seconds, without the course or organization code knowing about rooms.
Checking each socket with ``access_room`` cost five queries per socket; ``admitted_people``
answers for all the people of one room in four, whatever their number. Both gather the same
facts about a person (``Candidate``) and let ``admits`` decide, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from cadenza.courses.models import Enrolment, EnrolmentStatus
from cadenza.live.models import LiveSession, LiveSessionHost, ParticipantRestriction, SessionStatus
from cadenza.orgs.models import Membership
from cadenza.orgs.policy import Permission, may


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """What the room's rule needs to know about one member of the session's organization."""

    active: bool
    """The account is active (a deactivated account is no one)."""
    moderator: bool
    """A host of the session or an organization admin: never removed, always admitted."""
    staff: bool
    """Sees every session of the organization (``Permission.VIEW_DRAFTS``)."""
    enrolled: bool
    """Actively enrolled in the session's course."""
    removed: bool
    """Removed from this session by a host."""


def admits(session: LiveSession, person: Candidate) -> bool:
    """The rule: nobody into a cancelled session's room nor with a deactivated account;
    moderators always; anyone removed never; staff always; a learner while enrolled and the
    session's unit is open to learners (published, in a published module and course)."""
    if session.status == SessionStatus.CANCELLED or not person.active:
        return False
    if person.moderator:
        return True
    if person.removed:
        return False
    return person.staff or (person.enrolled and session.unit.is_open_to_learners)


def admitted_people(*, session_id: int, user_ids: Collection[int]) -> set[int]:
    """Those of ``user_ids`` who may be in the room of session ``session_id`` now
    (``admits``; a deleted session admits nobody). Four queries: the session, the members
    with their role and whether they host it, the enrolled, the removed."""
    if not user_ids:
        return set()
    session = (
        LiveSession.objects.select_related("unit", "unit__module", "unit__course")
        .filter(pk=session_id)
        .first()
    )
    if session is None or session.status == SessionStatus.CANCELLED:
        return set()
    hosting = LiveSessionHost.objects.filter(session=session, user_id=OuterRef("user_id"))
    rows = (
        Membership.objects.filter(org_id=session.org_id, user_id__in=list(user_ids))
        .annotate(hosting=Exists(hosting))
        .values_list("user_id", "role", "user__is_active", "hosting")
    )
    members = {user_id: (role, active, hosts) for user_id, role, active, hosts in rows}
    enrolled = set(
        Enrolment.objects.filter(
            course_id=session.course_id, user_id__in=list(members), status=EnrolmentStatus.ACTIVE
        ).values_list("user_id", flat=True)
    )
    removed = set(
        ParticipantRestriction.objects.filter(
            session=session, user_id__in=list(members), kind=ParticipantRestriction.Kind.REMOVED
        ).values_list("user_id", flat=True)
    )
    return {
        user_id
        for user_id, (role, active, hosts) in members.items()
        if admits(
            session,
            Candidate(
                active=active,
                moderator=hosts or may(role, Permission.MANAGE_ORGANIZATION),
                staff=may(role, Permission.VIEW_DRAFTS),
                enrolled=user_id in enrolled,
                removed=user_id in removed,
            ),
        )
    }
