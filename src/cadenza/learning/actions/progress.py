"""Writes to a learner's progress through units: visiting, time and video watching, completing.

Each action locks the learner's one ``UnitProgress`` row for the unit (creating it on first
contact) and writes its xAPI statements in the same transaction, with event keys derived from
the row or the (learner, unit) pair, so a retried request never records an event twice.

The callers (views, knowledge checks) decide *whether* progress is recorded: only for a
learner actively enrolled in the course and only for a unit learners can see. Staff
previewing a draft write nothing.
"""

from __future__ import annotations

import math
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.activity.actions import LearningObject, record
from cadenza.activity.verbs import Verb
from cadenza.courses.models import Unit, UnitKind
from cadenza.learning.models import ProgressStatus, UnitProgress
from cadenza.lib.compiled_query import CompiledQuery
from cadenza.lib.errors import DomainError

MAX_ACTIVE_SECONDS_PER_REPORT = 60.0
"""A report covers at most a minute: the page reports every few seconds while in use."""

MAX_PLAYED_SECONDS_PER_REPORT = 60.0
PLAYED_SLACK_SECONDS = 5.0
"""Allowance for network delay between two reports when checking played time against the clock."""

# A single report never speaks of more than a day; anything larger is a broken client.
MAX_REPORTED_SECONDS = 24 * 3600.0
VIDEO_COMPLETION_RATIO = 0.9
VIDEO_MILESTONES_PERCENT = (25, 50, 75)
PROGRESS_EXTENSION = "https://w3id.org/xapi/cmi5/result/extensions/progress"


def unit_object(unit: Unit) -> LearningObject:
    """The unit as the object of an xAPI statement."""
    return LearningObject(
        type="unit",
        id=str(unit.pk),
        iri=f"urn:cadenza:{unit.org.slug}:unit:{unit.pk}",
        name=unit.title,
    )


def _locked_progress(*, user: User, unit: Unit, now: datetime) -> UnitProgress:
    """The learner's progress row for ``unit``, locked; created (and "experienced" recorded)
    on the first contact with the unit."""
    progress, created = UnitProgress.objects.select_for_update().get_or_create(
        user=user,
        unit=unit,
        defaults={
            "org_id": unit.org_id,
            "course_id": unit.course_id,
            "status": ProgressStatus.STARTED,
            "started_at": now,
            "last_visited_at": now,
        },
    )
    if created:
        record(
            org=unit.org,
            actor=user,
            verb=Verb.EXPERIENCED,
            obj=unit_object(unit),
            event_key=f"unit-experienced:{progress.pk}",
            timestamp=now,
        )
    return progress


_LOCKED_ROW = CompiledQuery(
    UnitProgress,
    lambda user_id, unit_id: UnitProgress.objects.select_for_update().filter(
        user_id=user_id, unit_id=unit_id
    )[:1],
)


@transaction.atomic
def visit_unit(*, user: User, unit: Unit, now: datetime | None = None) -> UnitProgress:
    """The learner opened ``unit``: start their progress on the first visit, note the visit.

    "experienced" is recorded once, on the first visit; later visits move ``last_visited_at``
    (which "continue where you left off" reads).
    """
    now = now or timezone.now()
    # Every unit page comes here: the row of a unit visited before is read with a query
    # compiled once per process (the same SELECT ... FOR UPDATE); the first visit creates it.
    progress = _LOCKED_ROW.first(user_id=user.pk, unit_id=unit.pk) or _locked_progress(
        user=user, unit=unit, now=now
    )
    if progress.last_visited_at < now:
        progress.last_visited_at = now
        progress.save(update_fields=["last_visited_at"])
    return progress


def _check_seconds(name: str, value: float | None) -> None:
    if value is None:
        return
    if not math.isfinite(value) or not 0 <= value <= MAX_REPORTED_SECONDS:
        raise DomainError(f"{name} must be between 0 and {int(MAX_REPORTED_SECONDS)} seconds.")


def video_duration(unit: Unit, reported: float | None) -> float | None:
    """The length we measure watching against: the unit's own when the author set it (a
    browser cannot shorten a video to complete it), else what the player reported."""
    if unit.video_duration_seconds:
        return unit.video_duration_seconds
    if reported:
        return reported
    return None


def watched_percent(progress: UnitProgress, duration: float | None) -> float:
    """Share of the video actually played, 0-100 (0 while the length is unknown)."""
    if not duration:
        return 0.0
    return round(min(100.0, 100.0 * progress.watched_seconds / duration), 1)


@transaction.atomic
def record_unit_activity(
    *,
    user: User,
    unit: Unit,
    active_seconds: float,
    position_seconds: float | None = None,
    played_seconds: float | None = None,
    duration_seconds: float | None = None,
    now: datetime | None = None,
) -> UnitProgress:
    """Add a periodic report from the unit page: time spent, and for videos what was played.

    ``active_seconds`` (time the page was in use since the last report) counts at most 60 s
    per report. Watched time grows by the played seconds, but never by more than the wall
    clock since the previous report (plus 5 s for network delay), nor 60 s: a seek to the
    end, or a forged report, does not count as watching. When watched time reaches 90 % of
    the video's length the unit is completed. A number that is negative, not finite or over
    a day raises ``DomainError`` and nothing is written.
    """
    for name, value in (
        ("active_seconds", active_seconds),
        ("position_seconds", position_seconds),
        ("played_seconds", played_seconds),
        ("duration_seconds", duration_seconds),
    ):
        _check_seconds(name, value)
    now = now or timezone.now()
    progress = _locked_progress(user=user, unit=unit, now=now)
    previous_report = progress.last_visited_at
    progress.time_spent_seconds += round(min(active_seconds, MAX_ACTIVE_SECONDS_PER_REPORT))
    progress.last_visited_at = max(previous_report, now)
    fields = ["time_spent_seconds", "last_visited_at"]
    if unit.kind == UnitKind.VIDEO:
        duration = video_duration(unit, duration_seconds)
        before = watched_percent(progress, duration)
        if played_seconds:
            since_last = max(0.0, (now - previous_report).total_seconds())
            progress.watched_seconds += min(
                played_seconds, since_last + PLAYED_SLACK_SECONDS, MAX_PLAYED_SECONDS_PER_REPORT
            )
        if position_seconds is not None:
            progress.video_position_seconds = (
                min(position_seconds, duration) if duration else position_seconds
            )
        fields += ["watched_seconds", "video_position_seconds"]
        progress.save(update_fields=fields)
        after = watched_percent(progress, duration)
        _record_milestones(user=user, unit=unit, progress=progress, before=before, after=after)
        if duration and progress.watched_seconds >= VIDEO_COMPLETION_RATIO * duration:
            return _complete(user=user, unit=unit, progress=progress, now=now)
        return progress
    progress.save(update_fields=fields)
    return progress


def _record_milestones(
    *, user: User, unit: Unit, progress: UnitProgress, before: float, after: float
) -> None:
    """One "progressed" statement per quarter of the video watched (not one per report)."""
    for milestone in VIDEO_MILESTONES_PERCENT:
        if before < milestone <= after:
            record(
                org=unit.org,
                actor=user,
                verb=Verb.PROGRESSED,
                obj=unit_object(unit),
                event_key=f"unit-progressed:{progress.pk}:{milestone}",
                result={"extensions": {PROGRESS_EXTENSION: milestone}},
                timestamp=progress.last_visited_at,
            )


class CompletionNotAllowed(DomainError):
    """The learner asked to complete a unit that completes only by what they do in it."""


@transaction.atomic
def mark_unit_done(*, user: User, unit: Unit, now: datetime | None = None) -> UnitProgress:
    """The learner says they are done ("Mark as read"). A knowledge check is completed only
    by passing it and an assignment by submitting it, so asking for either raises
    ``CompletionNotAllowed`` and writes nothing."""
    if unit.kind == UnitKind.KNOWLEDGE_CHECK:
        raise CompletionNotAllowed("A knowledge check is completed by passing it.")
    if unit.kind == UnitKind.ASSIGNMENT:
        raise CompletionNotAllowed("An assignment is completed by submitting it.")
    return complete_unit(user=user, unit=unit, now=now)


@transaction.atomic
def complete_unit(
    *,
    user: User,
    unit: Unit,
    now: datetime | None = None,
    score_percent: float | None = None,
) -> UnitProgress:
    """Mark ``unit`` completed for the learner (idempotent).

    Readings call this from "Mark as read", downloads when the file is fetched, videos at
    90 % watched, knowledge checks when passed (with ``score_percent``). "completed" is
    recorded once per (learner, unit); the best score is kept (a lower later score does not
    lower it). ``score_percent`` outside 0-100 raises ``ValueError``.
    """
    if score_percent is not None and (
        not math.isfinite(score_percent) or not 0 <= score_percent <= 100
    ):
        raise ValueError("score_percent must be between 0 and 100.")
    now = now or timezone.now()
    progress = _locked_progress(user=user, unit=unit, now=now)
    if score_percent is not None and (
        progress.best_score_percent is None or score_percent > progress.best_score_percent
    ):
        progress.best_score_percent = score_percent
        progress.save(update_fields=["best_score_percent"])
    return _complete(user=user, unit=unit, progress=progress, now=now, score=score_percent)


def _complete(
    *,
    user: User,
    unit: Unit,
    progress: UnitProgress,
    now: datetime,
    score: float | None = None,
) -> UnitProgress:
    if progress.status == ProgressStatus.COMPLETED:
        return progress
    progress.status = ProgressStatus.COMPLETED
    progress.completed_at = now
    progress.last_visited_at = max(progress.last_visited_at, now)
    progress.save(update_fields=["status", "completed_at", "last_visited_at"])
    result: dict[str, object] = {"completion": True}
    if score is not None:
        result["score"] = {"scaled": round(score / 100, 4)}
    record(
        org=unit.org,
        actor=user,
        verb=Verb.COMPLETED,
        obj=unit_object(unit),
        event_key=f"unit-completed:{user.pk}:{unit.pk}",
        result=result,
        timestamp=now,
    )
    return progress
