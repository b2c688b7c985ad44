"""Reads for the organization part of the home (its admins'): people, courses and
enrolments at a glance, and the latest enrolments. Four queries whatever the organization's
size; it reads ``orgs`` and ``courses``, so it sits in ``web``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from cadenza.courses.models import Course, Enrolment, EnrolmentStatus
from cadenza.orgs.models import Membership, Role
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext, scoped

RECENT_ENROLMENTS = 5


@dataclass(frozen=True, slots=True)
class RoleCount:
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class OrganizationHome:
    people: int
    roles: list[RoleCount]
    """Each role with its number of people, most powerful first (every role, zeros too)."""
    published_courses: int
    draft_courses: int
    active_enrolments: int
    recent_enrolments: list[Enrolment]
    """The latest enrolments, newest first, with their person and course loaded."""


def organization_home(ctx: OrgContext) -> OrganizationHome:
    """The organization at a glance, for those who manage it (403 for anyone else)."""
    ctx.require(Permission.MANAGE_ORGANIZATION)
    by_role = dict(
        scoped(Membership.objects.all(), ctx.org)
        .order_by()
        .values_list("role")
        .annotate(n=Count("pk"))
    )
    courses = scoped(Course.objects.all(), ctx.org).aggregate(
        published=Count("pk", filter=Q(published_at__isnull=False)),
        drafts=Count("pk", filter=Q(published_at__isnull=True)),
    )
    active = scoped(Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE), ctx.org).count()
    recent = list(
        scoped(Enrolment.objects.all(), ctx.org)
        .select_related("user", "course")
        .only(
            *("status", "enrolled_at", "user__display_name", "user__email"),
            *("course__org_id", "course__slug", "course__title"),
        )
        .order_by("-enrolled_at", "-id")[:RECENT_ENROLMENTS]
    )
    return OrganizationHome(
        people=sum(by_role.values()),
        roles=[RoleCount(role.label, by_role.get(role.value, 0)) for role in Role],
        published_courses=courses["published"],
        draft_courses=courses["drafts"],
        active_enrolments=active,
        recent_enrolments=recent,
    )
