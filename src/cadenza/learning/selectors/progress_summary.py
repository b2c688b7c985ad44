"""What a learner's progress is made of, shared by the dashboard, the course outline and the
progress table: a unit's status, completed-out-of-countable, and where to continue.

Course progress counts the units a learner can see: published units in published modules.
Staff previewing drafts see draft units in the outline, but drafts never count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db.models import QuerySet

from cadenza.accounts.models import User
from cadenza.courses.models import Unit
from cadenza.learning.models import ProgressStatus, UnitProgress
from cadenza.orgs.selectors import OrgContext, scoped

OUTLINE_FIELDS = (
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
class Visit:
    """A learner's state in one unit as far as "where next" needs it."""

    status: str
    last_visited_at: datetime


def summarize(
    units: Sequence[Unit], visits: dict[int, Visit]
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


def visits_of(user: User, ctx: OrgContext, course_ids: Iterable[int]) -> dict[int, Visit]:
    rows = scoped(UnitProgress.objects.all(), ctx.org).filter(
        user=user, course_id__in=list(course_ids)
    )
    return {
        unit_id: Visit(status=status, last_visited_at=last)
        for unit_id, status, last in rows.values_list("unit_id", "status", "last_visited_at")
    }


def learner_units(ctx: OrgContext) -> QuerySet[Unit]:
    """Units a learner can see (``courses.models.open_to_learners``), outline fields only."""
    return scoped(Unit.objects.open_to_learners(), ctx.org).only(*OUTLINE_FIELDS)
