"""Who may still be in a room: ``access_room``'s rule for many people at once.

A server process re-checks every socket it holds every few seconds (``cadenza.live.room_sweep``),
so a person un-enrolled, removed from the organization, deactivated or removed from the session
is disconnected within seconds, without the course or organization code knowing about rooms.
Checking each socket with ``access_room`` cost five queries per socket; this answers for all
the people of one room in four, whatever their number.
"""

from __future__ import annotations

from collections.abc import Collection

from cadenza.courses.models import Enrolment, EnrolmentStatus
from cadenza.live.models import LiveSession, ParticipantRestriction, SessionStatus
from cadenza.orgs.models import Membership
from cadenza.orgs.policy import Permission, may


def admitted_people(*, session_id: int, user_ids: Collection[int]) -> set[int]:
    """Those of ``user_ids`` who may be in the room of session ``session_id`` now.

    Staff of the session's organization (instructors, TAs, admins: they see every session)
    always; a learner while the session's unit is published, they are actively enrolled in
    its course and not removed from the session. A cancelled or deleted session admits nobody.
    """
    if not user_ids:
        return set()
    session = (
        LiveSession.objects.select_related("course", "unit", "unit__module")
        .filter(pk=session_id)
        .first()
    )
    if session is None or session.status == SessionStatus.CANCELLED:
        return set()
    roles = dict(
        Membership.objects.filter(
            org_id=session.org_id, user_id__in=list(user_ids), user__is_active=True
        ).values_list("user_id", "role")
    )
    staff = {user_id for user_id, role in roles.items() if may(role, Permission.VIEW_DRAFTS)}
    learners = set(roles) - staff
    published = (
        session.course.published_at is not None
        and session.unit.published_at is not None
        and session.unit.module.published_at is not None
    )
    if not learners or not published:
        return staff
    enrolled = set(
        Enrolment.objects.filter(
            course_id=session.course_id, user_id__in=learners, status=EnrolmentStatus.ACTIVE
        ).values_list("user_id", flat=True)
    )
    removed = set(
        ParticipantRestriction.objects.filter(
            session=session, user_id__in=enrolled, kind=ParticipantRestriction.Kind.REMOVED
        ).values_list("user_id", flat=True)
    )
    return staff | (enrolled - removed)
