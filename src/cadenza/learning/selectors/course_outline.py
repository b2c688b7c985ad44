"""The course page's outline: modules and units with the viewer's state in each, the course's
progress and where "Start"/"Continue" leads."""

from __future__ import annotations

from dataclasses import dataclass

from cadenza.courses.models import Course, Enrolment, Module, Unit, unit_open_to_learners
from cadenza.courses.selectors import active_enrolment, visible_units
from cadenza.learning.models import UnitProgress
from cadenza.learning.selectors.progress_summary import (
    OUTLINE_FIELDS,
    CourseProgress,
    UnitStatus,
    Visit,
    summarize,
)
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext, scoped


@dataclass(frozen=True, slots=True)
class UnitState:
    """A unit in the outline with the viewer's state in it."""

    unit: Unit
    status: UnitStatus
    time_spent_seconds: int
    best_score_percent: float | None
    is_draft: bool


@dataclass(frozen=True, slots=True)
class ModuleOutline:
    module: Module
    units: list[UnitState]


@dataclass(frozen=True, slots=True)
class CourseOutline:
    """The course page: modules, units and where the viewer stands.

    ``can_open_units``: the viewer may open unit pages (enrolled, or staff previewing).
    ``next_unit``: where "Start"/"Continue" leads (None when all is done or nothing opens).
    ``has_started``: any progress at all, so the button says "Continue" rather than "Start".
    """

    course: Course
    modules: list[ModuleOutline]
    progress: CourseProgress
    enrolment: Enrolment | None
    next_unit: Unit | None
    can_open_units: bool
    can_self_enrol: bool
    has_started: bool


def course_outline(ctx: OrgContext, course: Course) -> CourseOutline:
    """The outline of ``course`` (already authorized with ``access_course``). Four queries."""
    enrolment = active_enrolment(ctx, course)
    modules = scoped(Module.objects.filter(course=course), ctx.org)
    if not ctx.may(Permission.VIEW_DRAFTS):
        modules = modules.filter(published_at__isnull=False)
    outlines = {module.pk: ModuleOutline(module=module, units=[]) for module in modules}
    units = list(visible_units(ctx, course).only(*OUTLINE_FIELDS))
    rows = {
        row.unit_id: row
        for row in scoped(UnitProgress.objects.all(), ctx.org)
        .filter(user=ctx.user, course=course)
        .only("unit_id", "status", "last_visited_at", "time_spent_seconds", "best_score_percent")
    }
    countable: list[Unit] = []
    for unit in units:
        outline = outlines.get(unit.module_id)
        if outline is None:
            continue
        is_draft = not unit_open_to_learners(unit, module=outline.module, course=course)
        if not is_draft:
            countable.append(unit)
        row = rows.get(unit.pk)
        outline.units.append(
            UnitState(
                unit=unit,
                status=UnitStatus(row.status) if row else UnitStatus.NOT_STARTED,
                time_spent_seconds=row.time_spent_seconds if row else 0,
                best_score_percent=row.best_score_percent if row else None,
                is_draft=is_draft,
            )
        )
    visits = {
        unit_id: Visit(status=row.status, last_visited_at=row.last_visited_at)
        for unit_id, row in rows.items()
    }
    progress, next_unit = summarize(countable, visits)
    can_open_units = enrolment is not None or ctx.may(Permission.VIEW_DRAFTS)
    if enrolment is None and next_unit is None and units:
        next_unit = units[0]
    return CourseOutline(
        course=course,
        modules=list(outlines.values()),
        progress=progress,
        enrolment=enrolment,
        next_unit=next_unit if can_open_units else None,
        can_open_units=can_open_units,
        can_self_enrol=(
            enrolment is None
            and course.open_enrolment
            and course.is_published
            and ctx.may(Permission.SELF_ENROL)
        ),
        has_started=bool(rows),
    )


def unit_to_continue(ctx: OrgContext, course: Course) -> Unit | None:
    """Where "continue" leads in ``course`` for the viewer; None if they cannot open units
    or have completed them all."""
    return course_outline(ctx, course).next_unit
