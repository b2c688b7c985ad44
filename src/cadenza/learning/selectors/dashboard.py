"""The learner's dashboard: each active enrolment with its progress and where to go next."""

from __future__ import annotations

from dataclasses import dataclass

from cadenza.courses.models import Course, Enrolment, EnrolmentStatus, Unit
from cadenza.courses.selectors import visible_courses
from cadenza.learning.selectors.progress_summary import (
    CourseProgress,
    learner_units,
    summarize,
    visits_of,
)
from cadenza.orgs.selectors import OrgContext, scoped


@dataclass(frozen=True, slots=True)
class DashboardEntry:
    """One course on the learner's dashboard. ``course`` has its slug and title loaded and
    ``next_unit`` only outline fields: link it with ``course.slug``, not ``next_unit.course``."""

    course: Course
    enrolment: Enrolment
    progress: CourseProgress
    next_unit: Unit | None
    has_started: bool


_ENTRY_FIELDS = ("course_id", "status", "course__org_id", "course__slug", "course__title")
"""What the dashboard shows of an enrolment and its course (a course's summary can be long)."""


def dashboard(ctx: OrgContext) -> list[DashboardEntry]:
    """The person's active enrolments in the organization, with progress and where to go
    next, in course title order. Three queries (one when not enrolled anywhere)."""
    enrolments = list(
        scoped(Enrolment.objects.all(), ctx.org)
        .filter(user=ctx.user, status=EnrolmentStatus.ACTIVE, course__in=visible_courses(ctx))
        .select_related("course")
        .only(*_ENTRY_FIELDS)
        .order_by("course__title", "course_id")
    )
    if not enrolments:
        return []
    course_ids = [enrolment.course_id for enrolment in enrolments]
    units_by_course: dict[int, list[Unit]] = {course_id: [] for course_id in course_ids}
    for unit in (
        learner_units(ctx)
        .filter(course_id__in=course_ids)
        .order_by("course_id", "module__position", "module_id", "position", "id")
    ):
        units_by_course[unit.course_id].append(unit)
    visits = visits_of(ctx.user, ctx, course_ids)
    entries = []
    for enrolment in enrolments:
        units = units_by_course[enrolment.course_id]
        progress, next_unit = summarize(units, visits)
        entries.append(
            DashboardEntry(
                course=enrolment.course,
                enrolment=enrolment,
                progress=progress,
                next_unit=next_unit,
                has_started=any(unit.pk in visits for unit in units),
            )
        )
    return entries
