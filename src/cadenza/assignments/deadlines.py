"""The deadline rule of assignments, in one place: pure functions of plain values.

Everything that asks "when is this due for this learner, may they still submit, how late was
it and what does lateness cost" asks this module: the learner's page, the API, the submit
action and the grading action. Nothing here reads the database or the clock; callers pass
``now`` and the learner's zone, so every rule is tested on its own (decision 0018).

The rule:

- An assignment is due at a fixed moment (``due_at``), or, in a self-paced course, a number
  of days after the learner started (``due_days_after_start``): the same wall-clock time,
  that many calendar days later, in the learner's own zone (so a start at 10:00 is due at
  10:00 across a DST change, and the UTC interval is 23 or 25 hours longer or shorter).
- An extension granted to one learner replaces their due date (with its reason).
- After the due date a late window of ``late_days`` days accepts a first submission; each
  started day late costs ``penalty_percent_per_day`` of the points, at most
  ``penalty_max_percent`` in all (a flat penalty: per day equal to the cap).
- Resubmitting (when the instructor allows it) is possible until the due date that applies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """An assignment's deadline settings as plain values."""

    due_at: datetime | None = None
    due_days_after_start: int | None = None
    late_days: int = 0
    penalty_percent_per_day: int = 0
    penalty_max_percent: int = 100
    allow_resubmission: bool = False


@dataclass(frozen=True, slots=True)
class GrantedExtension:
    """One learner's extension: their own due date and the reason given."""

    due_at: datetime
    reason: str


class DeadlineSource(StrEnum):
    """Why this due date applies to this learner."""

    NONE = "none"
    FIXED = "fixed"
    AFTER_START = "after_start"
    NOT_STARTED = "not_started"
    EXTENSION = "extension"


@dataclass(frozen=True, slots=True)
class Deadline:
    """The deadline that applies to one learner.

    ``due_at`` is None when nothing is due (no date set, or a relative date for someone who
    has not started); ``closes_at`` is the end of the late window (None: submissions are
    always accepted). ``why`` says in the learner's words where the date comes from.
    """

    due_at: datetime | None
    closes_at: datetime | None
    source: DeadlineSource
    why: str


def days_after(start: datetime, days: int, zone: ZoneInfo) -> datetime:
    """``days`` calendar days after ``start`` at the same wall-clock time in ``zone``.

    A wall-clock time that does not exist that day (the hour skipped when clocks go forward)
    is read with the offset before the change, as ``zoneinfo`` does for ``fold=0``: 02:30 on
    the morning clocks skip from 02:00 to 03:00 is 03:30.
    """
    local = start.astimezone(zone)
    later = (local.replace(tzinfo=None) + timedelta(days=days)).replace(tzinfo=zone)
    return later.astimezone(start.tzinfo or zone)


def deadline_for(
    rule: DeadlineRule,
    *,
    started_at: datetime | None,
    zone: ZoneInfo,
    extension: GrantedExtension | None = None,
) -> Deadline:
    """The due date that applies to a learner who started at ``started_at`` (their
    enrolment; None for someone not enrolled) and lives in ``zone``, and why."""
    window = timedelta(days=rule.late_days)
    if extension is not None:
        return Deadline(
            due_at=extension.due_at,
            closes_at=extension.due_at + window,
            source=DeadlineSource.EXTENSION,
            why=f"Your instructor gave you an extension: {extension.reason}",
        )
    if rule.due_days_after_start is not None:
        days = rule.due_days_after_start
        if started_at is None:
            return Deadline(
                due_at=None,
                closes_at=None,
                source=DeadlineSource.NOT_STARTED,
                why=f"Due {_days(days)} after each learner starts the course.",
            )
        due = days_after(started_at, days, zone)
        started = started_at.astimezone(zone)
        return Deadline(
            due_at=due,
            closes_at=due + window,
            source=DeadlineSource.AFTER_START,
            why=f"Due {_days(days)} after you started the course ({started:%-d %b %Y}).",
        )
    if rule.due_at is not None:
        return Deadline(
            due_at=rule.due_at,
            closes_at=rule.due_at + window,
            source=DeadlineSource.FIXED,
            why="The course's due date for everyone.",
        )
    return Deadline(
        due_at=None, closes_at=None, source=DeadlineSource.NONE, why="There is no due date."
    )


def days_late(*, submitted_at: datetime, due_at: datetime | None) -> int:
    """Started days after the due date: 0 on time, 1 up to 24 hours late, 2 up to 48 ..."""
    if due_at is None or submitted_at <= due_at:
        return 0
    return math.ceil((submitted_at - due_at) / DAY)


def late_penalty_percent(rule: DeadlineRule, *, days: int) -> int:
    """What ``days`` late costs, in percent of the points: per day, at most the cap."""
    if days <= 0:
        return 0
    return max(0, min(rule.penalty_max_percent, rule.penalty_percent_per_day * days, 100))


class SubmitRefusal(StrEnum):
    """Why a submission is not accepted now (the message shown to the learner)."""

    CLOSED = "The deadline and its late window have passed: submissions are closed."
    NO_RESUBMISSION = "This assignment takes one submission, and yours is in."
    RESUBMISSION_CLOSED = "Resubmitting was possible until the due date, which has passed."


def submit_refusal(
    rule: DeadlineRule, deadline: Deadline, *, now: datetime, already_submitted: bool
) -> SubmitRefusal | None:
    """None when the learner may submit now, else why not.

    A first submission is taken until the late window closes; another one only when the
    instructor allows resubmitting, and only until the due date.
    """
    if already_submitted:
        if not rule.allow_resubmission:
            return SubmitRefusal.NO_RESUBMISSION
        if deadline.due_at is not None and now > deadline.due_at:
            return SubmitRefusal.RESUBMISSION_CLOSED
        return None
    if deadline.closes_at is not None and now > deadline.closes_at:
        return SubmitRefusal.CLOSED
    return None


def describe_due(due_at: datetime | None, *, now: datetime) -> str:
    """ "due in 2 days", "due in 5 hours", "due in 10 minutes", "overdue by 1 day" ..."""
    if due_at is None:
        return "no due date"
    left = due_at - now
    if left >= timedelta(0):
        return f"due in {_span(left)}"
    return f"overdue by {_span(-left)}"


def _span(delta: timedelta) -> str:
    if delta >= DAY:
        return _days(delta // DAY)
    hours = delta // timedelta(hours=1)
    if hours >= 1:
        return f"{hours} hour" + ("" if hours == 1 else "s")
    minutes = max(1, delta // timedelta(minutes=1))
    return f"{minutes} minute" + ("" if minutes == 1 else "s")


def _days(days: int) -> str:
    return f"{days} day" + ("" if days == 1 else "s")
