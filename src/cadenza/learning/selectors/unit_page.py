"""What the unit page reads about progress: previous/next unit, whether the viewer's activity
is recorded, and their progress row."""

from __future__ import annotations

from dataclasses import dataclass

from cadenza.courses.models import Course, Unit, unit_open_to_learners
from cadenza.courses.selectors import active_enrolment, visible_unit_titles
from cadenza.learning.models import UnitProgress
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext, scoped


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
        UnitLink(id=unit_id, title=title) for unit_id, title in visible_unit_titles(ctx, course)
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
    come from ``access_unit`` (its module loaded), which opens a unit to a person who may not
    view drafts only through their active enrolment: for them that enrolment is not read
    again (one query fewer on every unit page and progress report); staff are asked."""
    if not unit_open_to_learners(unit, module=unit.module, course=course):
        return False
    if not ctx.may(Permission.VIEW_DRAFTS):
        return True
    return active_enrolment(ctx, course) is not None


def unit_progress(ctx: OrgContext, unit: Unit) -> UnitProgress | None:
    """The viewer's progress row in ``unit``, if any."""
    return scoped(UnitProgress.objects.all(), ctx.org).filter(user=ctx.user, unit=unit).first()
