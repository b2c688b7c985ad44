"""Reading progress: the learner's dashboard and course outline, the unit page's navigation,
and the instructor's progress table.

Every function here runs a fixed number of queries whatever the number of units or learners
(tests compare a 5-unit and a 200-unit course): units and progress rows are fetched in one
query each and joined in Python; per-learner totals are aggregated by the database.

Course progress counts the units a learner can see: published units in published modules.
Staff previewing drafts see draft units in the outline, but drafts never count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum

from cadenza.accounts.models import User
from cadenza.courses.models import Course, Enrolment, EnrolmentStatus, Module, Unit, UnitKind
from cadenza.courses.selectors import active_enrolment, visible_courses, visible_units
from cadenza.learning.models import ProgressStatus, UnitProgress
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext, scoped

_OUTLINE_FIELDS = (
    "id",
    "org_id",
    "course_id",
    "module_id",
    "kind",
    "title",
    "position",
    "published_at",
    "estimated_minutes",
)


class UnitStatus(StrEnum):
    """A unit's state for one learner; no progress row means not started."""

    NOT_STARTED = "not_started"
    STARTED = "started"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return {"not_started": "Not started", "started": "Started", "completed": "Completed"}[
            self.value
        ]


@dataclass(frozen=True, slots=True)
class CourseProgress:
    """Completed units out of the units that count; ``percent`` is rounded down, so 100
    means everything is done."""

    completed: int
    total: int

    @property
    def percent(self) -> int:
        return self.completed * 100 // self.total if self.total else 0


@dataclass(frozen=True, slots=True)
class _Visit:
    status: str
    last_visited_at: datetime


def _is_countable(unit: Unit, module_published: bool) -> bool:
    return unit.published_at is not None and module_published


def _summarize(
    units: Sequence[Unit], visits: dict[int, _Visit]
) -> tuple[CourseProgress, Unit | None]:
    """Progress over ``units`` (in outline order) and the unit to continue with: the one
    visited last if not completed, else the first not completed; None when all are done."""
    completed = sum(
        1 for unit in units if (v := visits.get(unit.pk)) and v.status == ProgressStatus.COMPLETED
    )
    visited = [unit for unit in units if unit.pk in visits]
    next_unit: Unit | None = None
    if visited:
        last = max(visited, key=lambda unit: visits[unit.pk].last_visited_at)
        if visits[last.pk].status != ProgressStatus.COMPLETED:
            next_unit = last
    if next_unit is None:
        next_unit = next(
            (
                unit
                for unit in units
                if unit.pk not in visits or visits[unit.pk].status != ProgressStatus.COMPLETED
            ),
            None,
        )
    return CourseProgress(completed=completed, total=len(units)), next_unit


def _visits(user: User, ctx: OrgContext, course_ids: Iterable[int]) -> dict[int, _Visit]:
    rows = scoped(UnitProgress.objects.all(), ctx.org).filter(
        user=user, course_id__in=list(course_ids)
    )
    return {
        unit_id: _Visit(status=status, last_visited_at=last)
        for unit_id, status, last in rows.values_list("unit_id", "status", "last_visited_at")
    }


def _learner_units(ctx: OrgContext) -> QuerySet[Unit]:
    """Units a learner can see (published, in a published module), outline fields only."""
    return (
        scoped(Unit.objects.all(), ctx.org)
        .filter(published_at__isnull=False, module__published_at__isnull=False)
        .only(*_OUTLINE_FIELDS)
    )


# --- Dashboard ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DashboardEntry:
    """One course on the learner's dashboard. ``next_unit`` has only outline fields loaded:
    link it with ``course.slug``, not ``next_unit.course``."""

    course: Course
    enrolment: Enrolment
    progress: CourseProgress
    next_unit: Unit | None
    has_started: bool


def dashboard(ctx: OrgContext) -> list[DashboardEntry]:
    """The person's active enrolments in the organization, with progress and where to go
    next, in course title order. Three queries (one when not enrolled anywhere)."""
    enrolments = list(
        scoped(Enrolment.objects.all(), ctx.org)
        .filter(user=ctx.user, status=EnrolmentStatus.ACTIVE, course__in=visible_courses(ctx))
        .select_related("course")
        .order_by("course__title", "course_id")
    )
    if not enrolments:
        return []
    course_ids = [enrolment.course_id for enrolment in enrolments]
    units_by_course: dict[int, list[Unit]] = {course_id: [] for course_id in course_ids}
    for unit in (
        _learner_units(ctx)
        .filter(course_id__in=course_ids)
        .order_by("course_id", "module__position", "module_id", "position", "id")
    ):
        units_by_course[unit.course_id].append(unit)
    visits = _visits(ctx.user, ctx, course_ids)
    entries = []
    for enrolment in enrolments:
        units = units_by_course[enrolment.course_id]
        progress, next_unit = _summarize(units, visits)
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


# --- Course outline -------------------------------------------------------------------------


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
    units = list(visible_units(ctx, course).only(*_OUTLINE_FIELDS))
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
        is_draft = not _is_countable(unit, outline.module.is_published)
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
        unit_id: _Visit(status=row.status, last_visited_at=row.last_visited_at)
        for unit_id, row in rows.items()
    }
    progress, next_unit = _summarize(countable, visits)
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


# --- Unit page ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitLink:
    id: int
    title: str


@dataclass(frozen=True, slots=True)
class UnitNavigation:
    """Previous and next unit in outline order (of the units the viewer may open), and the
    unit's place: ``number`` of ``total``."""

    previous: UnitLink | None
    next: UnitLink | None
    number: int
    total: int


def unit_navigation(ctx: OrgContext, course: Course, unit: Unit) -> UnitNavigation:
    """Navigation around ``unit`` (already authorized with ``access_unit``). One query."""
    links = [
        UnitLink(id=unit_id, title=title)
        for unit_id, title in visible_units(ctx, course).values_list("id", "title")
    ]
    index = next((i for i, link in enumerate(links) if link.id == unit.pk), None)
    if index is None:
        return UnitNavigation(previous=None, next=None, number=0, total=len(links))
    return UnitNavigation(
        previous=links[index - 1] if index > 0 else None,
        next=links[index + 1] if index + 1 < len(links) else None,
        number=index + 1,
        total=len(links),
    )


def records_progress(ctx: OrgContext, course: Course, unit: Unit) -> bool:
    """Whether the viewer's activity in ``unit`` is recorded: they are actively enrolled and
    the unit is one learners see (staff previewing a draft leave no trace). ``unit`` must
    come from ``access_unit`` (its module loaded)."""
    if not (course.is_published and unit.is_published and unit.module.is_published):
        return False
    return active_enrolment(ctx, course) is not None


def unit_progress(ctx: OrgContext, unit: Unit) -> UnitProgress | None:
    """The viewer's progress row in ``unit``, if any."""
    return scoped(UnitProgress.objects.all(), ctx.org).filter(user=ctx.user, unit=unit).first()


# --- Instructor's progress table ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LearnerProgressRow:
    """One enrolled learner's line: ``check_scores`` follow ``ProgressTable.checks``."""

    user: User
    progress: CourseProgress
    time_spent_seconds: int
    last_activity: datetime | None
    check_scores: list[float | None]


@dataclass(frozen=True, slots=True)
class ProgressTable:
    course: Course
    checks: list[Unit]
    rows: list[LearnerProgressRow]
    total_units: int


def progress_table(ctx: OrgContext, course: Course) -> ProgressTable:
    """Every actively enrolled learner's progress in ``course``, by name, for staff.

    Raises PermissionDenied without ``VIEW_LEARNER_PROGRESS``. Four queries whatever the
    number of learners and units: enrolments, units, per-learner totals, check scores.
    """
    ctx.require(Permission.VIEW_LEARNER_PROGRESS)
    enrolments = list(
        scoped(Enrolment.objects.all(), ctx.org)
        .filter(course=course, status=EnrolmentStatus.ACTIVE)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    units = list(
        _learner_units(ctx)
        .filter(course=course)
        .order_by("module__position", "module_id", "position", "id")
    )
    checks = [unit for unit in units if unit.kind == UnitKind.KNOWLEDGE_CHECK]
    enrolled = scoped(Enrolment.objects.all(), ctx.org).filter(
        course=course, status=EnrolmentStatus.ACTIVE
    )
    progress_rows = scoped(UnitProgress.objects.all(), ctx.org).filter(
        course=course, user_id__in=enrolled.values("user_id")
    )
    counts = Q(
        status=ProgressStatus.COMPLETED,
        unit__published_at__isnull=False,
        unit__module__published_at__isnull=False,
    )
    totals: dict[int, dict[str, Any]] = {
        row["user_id"]: dict(row)
        for row in progress_rows.values("user_id").annotate(
            completed=Count("id", filter=counts),
            time_spent=Sum("time_spent_seconds"),
            last_activity=Max("last_visited_at"),
        )
    }
    scores: dict[tuple[int, int], float] = {}
    if checks:
        for user_id, unit_id, score in progress_rows.filter(
            unit_id__in=[check.pk for check in checks], best_score_percent__isnull=False
        ).values_list("user_id", "unit_id", "best_score_percent"):
            if score is not None:
                scores[(user_id, unit_id)] = score
    rows = []
    for enrolment in enrolments:
        total = totals.get(enrolment.user_id, {})
        rows.append(
            LearnerProgressRow(
                user=enrolment.user,
                progress=CourseProgress(completed=total.get("completed", 0), total=len(units)),
                time_spent_seconds=total.get("time_spent") or 0,
                last_activity=total.get("last_activity"),
                check_scores=[scores.get((enrolment.user_id, check.pk)) for check in checks],
            )
        )
    return ProgressTable(course=course, checks=checks, rows=rows, total_units=len(units))
