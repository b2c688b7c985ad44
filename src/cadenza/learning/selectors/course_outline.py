"""The course page's outline: modules and units with the viewer's state in each, the course's
progress and where "Start"/"Continue" leads."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from cadenza.courses.models import Course, Enrolment, Module, Unit, unit_open_to_learners
from cadenza.courses.selectors import active_enrolment, visible_units_of
from cadenza.learning.models import UnitProgress
from cadenza.learning.selectors.progress_summary import (
    OUTLINE_FIELDS,
    CourseProgress,
    UnitStatus,
    Visit,
    summarize,
)
from cadenza.lib.compiled_query import CompiledQuery
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


def _modules(org_id: int, course_id: int, *, sees_drafts: bool) -> QuerySet[Module]:
    modules = scoped(Module.objects.filter(course_id=course_id), org_id)
    return modules if sees_drafts else modules.filter(published_at__isnull=False)


# The outline's three reads, compiled once per process (cadenza.lib.compiled_query): one
# shape for staff and one for learners.
_MODULES = {
    sees_drafts: CompiledQuery(
        Module,
        lambda org_id, course_id, sees_drafts=sees_drafts: _modules(
            org_id, course_id, sees_drafts=sees_drafts
        ),
    )
    for sees_drafts in (False, True)
}
_UNITS = {
    sees_drafts: CompiledQuery(
        Unit,
        lambda org_id, course_id, sees_drafts=sees_drafts: visible_units_of(
            org_id, course_id, sees_drafts=sees_drafts
        ).only(*OUTLINE_FIELDS),
    )
    for sees_drafts in (False, True)
}
_PROGRESS = CompiledQuery(
    UnitProgress,
    lambda org_id, course_id, user_id: (
        scoped(UnitProgress.objects.all(), org_id)
        .filter(user_id=user_id, course_id=course_id)
        .only("unit_id", "status", "last_visited_at", "time_spent_seconds", "best_score_percent")
    ),
)


def course_outline(ctx: OrgContext, course: Course) -> CourseOutline:
    """The outline of ``course`` (already authorized with ``access_course``). Four queries."""
    enrolment = active_enrolment(ctx, course)
    sees_drafts = ctx.may(Permission.VIEW_DRAFTS)
    ids = {"org_id": ctx.org.pk, "course_id": course.pk}
    outlines = {
        module.pk: ModuleOutline(module=module, units=[])
        for module in _MODULES[sees_drafts].all(**ids)
    }
    units = _UNITS[sees_drafts].all(**ids)
    rows = {row.unit_id: row for row in _PROGRESS.all(**ids, user_id=ctx.user.pk)}
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
