"""The instructor's progress table: every actively enrolled learner's progress in a course."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, Q, Sum

from cadenza.accounts.models import User
from cadenza.courses.models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    Unit,
    UnitKind,
    open_to_learners,
)
from cadenza.learning.models import ProgressStatus, UnitProgress
from cadenza.learning.selectors.progress_summary import CourseProgress, learner_units
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext, scoped


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
        learner_units(ctx)
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
    counts = Q(status=ProgressStatus.COMPLETED) & open_to_learners("unit__")
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
