"""The deadline rule (cadenza.assignments.deadlines): pure functions, so every case is a
plain call with exact values, including zones and DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cadenza.assignments.deadlines import (
    DeadlineRule,
    DeadlineSource,
    GrantedExtension,
    SubmitRefusal,
    days_after,
    days_late,
    deadline_for,
    describe_due,
    late_penalty_percent,
    submit_refusal,
)

NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
SYDNEY = ZoneInfo("Australia/Sydney")
DUE = datetime(2026, 12, 10, 17, 0, tzinfo=UTC)


def test_a_fixed_due_date_applies_to_everyone_and_says_so() -> None:
    deadline = deadline_for(DeadlineRule(due_at=DUE, late_days=2), started_at=None, zone=BERLIN)
    assert deadline.due_at == DUE
    assert deadline.closes_at == DUE + timedelta(days=2)
    assert deadline.source == DeadlineSource.FIXED
    assert deadline.why == "The course's due date for everyone."


def test_no_due_date_means_submissions_never_close() -> None:
    deadline = deadline_for(DeadlineRule(), started_at=None, zone=UTC_ZONE)
    assert (deadline.due_at, deadline.closes_at, deadline.source) == (
        None,
        None,
        DeadlineSource.NONE,
    )
    assert deadline.why == "There is no due date."


UTC_ZONE = ZoneInfo("UTC")


def test_a_relative_deadline_counts_days_from_the_learners_start_in_their_zone() -> None:
    started = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)  # 10:30 in Berlin
    deadline = deadline_for(
        DeadlineRule(due_days_after_start=14, late_days=1), started_at=started, zone=BERLIN
    )
    assert deadline.due_at == datetime(2026, 12, 17, 9, 30, tzinfo=UTC)
    assert deadline.closes_at == datetime(2026, 12, 18, 9, 30, tzinfo=UTC)
    assert deadline.source == DeadlineSource.AFTER_START
    assert deadline.why == "Due 14 days after you started the course (3 Dec 2026)."


def test_the_start_date_in_the_why_is_the_learners_own_calendar_day() -> None:
    started = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)  # already 4 Dec in Sydney
    deadline = deadline_for(DeadlineRule(due_days_after_start=1), started_at=started, zone=SYDNEY)
    assert deadline.why == "Due 1 day after you started the course (4 Dec 2026)."
    assert deadline.due_at == datetime(2026, 12, 4, 23, 30, tzinfo=UTC)


def test_a_relative_deadline_keeps_the_wall_clock_hour_across_spring_forward() -> None:
    # 1 March 2026, 10:00 in New York (EST, UTC-5); clocks go forward on 8 March.
    started = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
    due = days_after(started, 14, NEW_YORK)
    assert due == datetime(2026, 3, 15, 14, 0, tzinfo=UTC)  # 10:00 EDT (UTC-4)
    assert due - started == timedelta(days=14) - timedelta(hours=1)


def test_a_relative_deadline_keeps_the_wall_clock_hour_across_fall_back() -> None:
    # 20 October 2026, 10:00 in Berlin (CEST, UTC+2); clocks go back on 25 October.
    started = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)
    due = days_after(started, 7, BERLIN)
    assert due == datetime(2026, 10, 27, 9, 0, tzinfo=UTC)  # 10:00 CET (UTC+1)
    assert due - started == timedelta(days=7, hours=1)


def test_a_wall_clock_time_skipped_by_dst_is_read_with_the_offset_before_the_change() -> None:
    # 1 March 2026, 02:30 EST; 8 March 02:30 does not exist in New York: it is 03:30 EDT.
    started = datetime(2026, 3, 1, 7, 30, tzinfo=UTC)
    assert days_after(started, 7, NEW_YORK) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)


def test_a_relative_deadline_for_someone_not_enrolled_is_explained_not_dated() -> None:
    deadline = deadline_for(DeadlineRule(due_days_after_start=14), started_at=None, zone=BERLIN)
    assert deadline.due_at is None
    assert deadline.source == DeadlineSource.NOT_STARTED
    assert deadline.why == "Due 14 days after each learner starts the course."


def test_an_extension_replaces_the_due_date_and_gives_its_reason() -> None:
    extended = DUE + timedelta(days=5)
    deadline = deadline_for(
        DeadlineRule(due_at=DUE, late_days=2),
        started_at=None,
        zone=BERLIN,
        extension=GrantedExtension(extended, "Hospital shift rota"),
    )
    assert deadline.due_at == extended
    assert deadline.closes_at == extended + timedelta(days=2)
    assert deadline.source == DeadlineSource.EXTENSION
    assert deadline.why == "Your instructor gave you an extension: Hospital shift rota"


def test_an_extension_wins_over_a_relative_deadline_too() -> None:
    extended = DUE + timedelta(days=1)
    deadline = deadline_for(
        DeadlineRule(due_days_after_start=3),
        started_at=DUE,
        zone=BERLIN,
        extension=GrantedExtension(extended, "Illness"),
    )
    assert (deadline.due_at, deadline.source) == (extended, DeadlineSource.EXTENSION)


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        (DUE - timedelta(seconds=1), 0),
        (DUE, 0),
        (DUE + timedelta(seconds=1), 1),
        (DUE + timedelta(hours=24), 1),
        (DUE + timedelta(hours=24, seconds=1), 2),
        (DUE + timedelta(days=3, hours=2), 4),
    ],
)
def test_days_late_counts_each_started_day_after_the_due_date(
    submitted: datetime, expected: int
) -> None:
    assert days_late(submitted_at=submitted, due_at=DUE) == expected


def test_without_a_due_date_nothing_is_late() -> None:
    assert days_late(submitted_at=DUE, due_at=None) == 0


@pytest.mark.parametrize(
    ("per_day", "cap", "days", "expected"),
    [
        (10, 100, 0, 0),
        (10, 100, 1, 10),
        (10, 100, 3, 30),
        (10, 25, 3, 25),
        (20, 20, 5, 20),  # a flat penalty: per day equal to the cap
        (40, 100, 4, 100),
        (0, 100, 9, 0),
    ],
)
def test_the_late_penalty_is_per_day_up_to_its_cap(
    per_day: int, cap: int, days: int, expected: int
) -> None:
    rule = DeadlineRule(penalty_percent_per_day=per_day, penalty_max_percent=cap)
    assert late_penalty_percent(rule, days=days) == expected


def test_a_first_submission_is_taken_until_the_late_window_closes() -> None:
    rule = DeadlineRule(due_at=DUE, late_days=2)
    deadline = deadline_for(rule, started_at=None, zone=BERLIN)
    closes = DUE + timedelta(days=2)
    assert submit_refusal(rule, deadline, now=closes, already_submitted=False) is None
    assert (
        submit_refusal(rule, deadline, now=closes + timedelta(seconds=1), already_submitted=False)
        == SubmitRefusal.CLOSED
    )


def test_resubmitting_needs_the_instructors_permission_and_ends_at_the_due_date() -> None:
    once = DeadlineRule(due_at=DUE, late_days=2)
    again = DeadlineRule(due_at=DUE, late_days=2, allow_resubmission=True)
    deadline = deadline_for(again, started_at=None, zone=BERLIN)
    before = DUE - timedelta(hours=1)
    assert (
        submit_refusal(once, deadline, now=before, already_submitted=True)
        == SubmitRefusal.NO_RESUBMISSION
    )
    assert submit_refusal(again, deadline, now=before, already_submitted=True) is None
    assert submit_refusal(again, deadline, now=DUE, already_submitted=True) is None
    assert (
        submit_refusal(again, deadline, now=DUE + timedelta(minutes=1), already_submitted=True)
        == SubmitRefusal.RESUBMISSION_CLOSED
    )


@pytest.mark.parametrize(
    ("offset", "text"),
    [
        (timedelta(days=2, hours=5), "due in 2 days"),
        (timedelta(days=1), "due in 1 day"),
        (timedelta(hours=23, minutes=59), "due in 23 hours"),
        (timedelta(hours=1), "due in 1 hour"),
        (timedelta(minutes=10), "due in 10 minutes"),
        (timedelta(seconds=20), "due in 1 minute"),
        (-timedelta(hours=3), "overdue by 3 hours"),
        (-timedelta(days=1, hours=2), "overdue by 1 day"),
    ],
)
def test_the_due_date_is_described_in_words(offset: timedelta, text: str) -> None:
    assert describe_due(DUE, now=DUE - offset) == text


def test_no_due_date_is_described_as_such() -> None:
    assert describe_due(None, now=DUE) == "no due date"
