"""Reading courses: what a person may see, and fetching one object with its authorization.

``access_*`` functions fetch one object *and* authorize it: a view or API endpoint gets a
course or unit only through them. Another organization's object, a draft seen by a learner,
or an id that does not exist all answer the same 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cadenza.courses.models import Course, Enrolment, EnrolmentStatus, Unit
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext, scoped


def visible_courses(ctx: OrgContext) -> QuerySet[Course]:
    """Courses the person may see in the organization: staff see drafts, learners do not."""
    courses = scoped(Course.objects.all(), ctx.org)
    if ctx.may(Permission.VIEW_DRAFTS):
        return courses
    return courses.filter(published_at__isnull=False)


def access_course(ctx: OrgContext, *, slug: str) -> Course:
    """One course of the organization that the person may see (not necessarily enrolled)."""
    course = visible_courses(ctx).filter(slug=slug).first()
    if course is None:
        raise Http404("No such course.")
    return course


def active_enrolment(ctx: OrgContext, course: Course) -> Enrolment | None:
    """The person's active enrolment in ``course``, if any."""
    return Enrolment.objects.filter(
        course=course, user=ctx.user, status=EnrolmentStatus.ACTIVE
    ).first()


def visible_units(ctx: OrgContext, course: Course) -> QuerySet[Unit]:
    """The units of ``course`` the person may open, in outline order."""
    units = scoped(Unit.objects.filter(course=course), ctx.org)
    if not ctx.may(Permission.VIEW_DRAFTS):
        units = units.filter(published_at__isnull=False, module__published_at__isnull=False)
    return units.order_by("module__position", "module_id", "position", "id")


def access_unit(ctx: OrgContext, *, course: Course, unit_id: int) -> Unit:
    """One unit the person may open: staff any unit of the course; learners a published unit
    of a course they are actively enrolled in."""
    if not ctx.may(Permission.VIEW_DRAFTS) and active_enrolment(ctx, course) is None:
        raise Http404("No such unit.")
    unit = visible_units(ctx, course).select_related("module").filter(pk=unit_id).first()
    if unit is None:
        raise Http404("No such unit.")
    return unit

