"""Progress: a learner's reports from a unit (time, video watching), completing a unit by
hand, and the staff's table of every learner's progress in a course."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema

from cadenza.api.bodies import Body
from cadenza.api.common import ERRORS, PersonOut, member_context, person_out
from cadenza.courses.models import Course, Unit
from cadenza.courses.selectors import access_course, access_unit
from cadenza.learning.actions.progress import (
    MAX_REPORTED_SECONDS,
    mark_unit_done,
    record_unit_activity,
    video_duration,
    watched_percent,
)
from cadenza.learning.models import ProgressStatus, UnitProgress
from cadenza.learning.selectors.progress import progress_table, records_progress
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext

router = Router(tags=["progress"])

UNIT = "/orgs/{org}/courses/{course}/units/{unit}"
NOT_TRACKED = "Progress is recorded only for learners enrolled in the course."


def _seconds(description: str, *, required: bool = False) -> Any:
    """A number of seconds in a report: finite, from 0 to a day (as the unit page checks)."""
    return Field(
        ... if required else None,
        ge=0,
        le=MAX_REPORTED_SECONDS,
        allow_inf_nan=False,
        description=description,
    )


class ProgressReportIn(Body):
    """A report from the unit as it is used, every few seconds: a report counts at most a
    minute of time, and watched time never grows faster than the clock."""

    active_seconds: float = _seconds(
        "Time the unit was in use since the last report.", required=True
    )
    position_seconds: float | None = _seconds("Video: where the player is.")
    played_seconds: float | None = _seconds("Video: seconds played since the last report.")
    duration_seconds: float | None = _seconds("Video: its length, as the player knows it.")


class ProgressReportOut(Schema):
    status: ProgressStatus
    watched_percent: float
    position_seconds: float
    completed: bool


class CheckColumnOut(Schema):
    unit_id: int
    title: str


class LearnerProgressOut(Schema):
    """One learner; ``check_scores`` (best, in percent) follow the table's ``checks``."""

    person: PersonOut
    time_zone: str
    completed: int
    total: int
    percent: int
    time_spent_seconds: int
    last_activity: datetime | None
    check_scores: list[float | None]


class ProgressTableOut(Schema):
    total_units: int
    checks: list[CheckColumnOut]
    learners: list[LearnerProgressOut]


def _tracked_unit(
    request: HttpRequest, org: str, course: str, unit: int
) -> tuple[OrgContext, Course, Unit]:
    """The unit, for a learner whose activity in it is recorded (403 for staff previewing)."""
    ctx = member_context(request, org)
    found_course = access_course(ctx, slug=course)
    found = access_unit(ctx, course=found_course, unit_id=unit)
    if not records_progress(ctx, found_course, found):
        raise PermissionDenied(NOT_TRACKED)
    return ctx, found_course, found


def _report(progress: UnitProgress, duration: float | None) -> ProgressReportOut:
    return ProgressReportOut(
        status=ProgressStatus(progress.status),
        watched_percent=watched_percent(progress, duration),
        position_seconds=progress.video_position_seconds,
        completed=progress.status == ProgressStatus.COMPLETED,
    )


@router.post(UNIT + "/progress", response={200: ProgressReportOut, **ERRORS})
def report_progress(
    request: HttpRequest, org: str, course: str, unit: int, payload: ProgressReportIn
) -> ProgressReportOut:
    """Add time spent (and, for a video, what was played); a video is completed at 90 %
    watched. Answers as the unit page's own endpoint does."""
    ctx, _course, found = _tracked_unit(request, org, course, unit)
    progress = record_unit_activity(
        user=ctx.user,
        unit=found,
        active_seconds=payload.active_seconds,
        position_seconds=payload.position_seconds,
        played_seconds=payload.played_seconds,
        duration_seconds=payload.duration_seconds,
    )
    return _report(progress, video_duration(found, payload.duration_seconds))


@router.post(UNIT + "/complete", response={200: ProgressReportOut, **ERRORS})
def mark_complete(request: HttpRequest, org: str, course: str, unit: int) -> ProgressReportOut:
    """Mark a unit as done ("Mark as read"). A knowledge check is completed by passing it
    (400)."""
    ctx, _course, found = _tracked_unit(request, org, course, unit)
    progress = mark_unit_done(user=ctx.user, unit=found)
    return _report(progress, found.video_duration_seconds)


@router.get("/orgs/{org}/courses/{course}/progress", response={200: ProgressTableOut, **ERRORS})
def course_progress(request: HttpRequest, org: str, course: str) -> ProgressTableOut:
    """Every actively enrolled learner's progress, by name (staff). Drafts never count."""
    ctx = member_context(request, org)
    ctx.require(Permission.VIEW_LEARNER_PROGRESS)
    table = progress_table(ctx, access_course(ctx, slug=course))
    return ProgressTableOut(
        total_units=table.total_units,
        checks=[CheckColumnOut(unit_id=check.pk, title=check.title) for check in table.checks],
        learners=[
            LearnerProgressOut(
                person=person_out(row.user),
                time_zone=row.user.time_zone,
                completed=row.progress.completed,
                total=row.progress.total,
                percent=row.progress.percent,
                time_spent_seconds=row.time_spent_seconds,
                last_activity=row.last_activity,
                check_scores=row.check_scores,
            )
            for row in table.rows
        ],
    )
