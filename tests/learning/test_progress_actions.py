"""Visiting, reporting activity in and completing units; the statements they write."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from cadenza.accounts.models import User
from cadenza.activity.models import Statement
from cadenza.activity.verbs import Verb
from cadenza.courses.models import Course, UnitKind
from cadenza.learning.actions.progress import complete_unit, record_unit_activity, visit_unit
from cadenza.learning.models import ProgressStatus, UnitProgress
from cadenza.lib.errors import DomainError
from tests.learning.conftest import CourseBuilder

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def statements(user: User, verb: Verb) -> int:
    return Statement.objects.filter(actor=user, verb=verb.value).count()


def test_first_visit_starts_progress_and_records_experienced_once(
    build_course: CourseBuilder, learner: User, enrolled: Callable[[Course], None]
) -> None:
    built = build_course(units=1)
    enrolled(built.course)
    unit = built.units[0]

    first = visit_unit(user=learner, unit=unit, now=T0)
    again = visit_unit(user=learner, unit=unit, now=T0 + timedelta(minutes=3))

    assert again.pk == first.pk
    progress = UnitProgress.objects.get()
    assert progress.status == ProgressStatus.STARTED
    assert progress.started_at == T0
    assert progress.last_visited_at == T0 + timedelta(minutes=3)
    assert progress.org_id == unit.org_id
    assert progress.course_id == built.course.pk
    assert statements(learner, Verb.EXPERIENCED) == 1
    statement = Statement.objects.get(verb=Verb.EXPERIENCED.value)
    assert statement.object_type == "unit"
    assert statement.object_id == str(unit.pk)


def test_completing_twice_records_one_completed_statement(
    build_course: CourseBuilder, learner: User
) -> None:
    unit = build_course(units=1).units[0]

    complete_unit(user=learner, unit=unit, now=T0)
    progress = complete_unit(user=learner, unit=unit, now=T0 + timedelta(hours=1))

    assert progress.status == ProgressStatus.COMPLETED
    assert progress.completed_at == T0
    assert UnitProgress.objects.count() == 1
    assert statements(learner, Verb.COMPLETED) == 1
    assert statements(learner, Verb.EXPERIENCED) == 1


def test_completion_keeps_the_best_score(build_course: CourseBuilder, learner: User) -> None:
    unit = build_course(units=1, kinds=(UnitKind.KNOWLEDGE_CHECK,)).units[0]

    complete_unit(user=learner, unit=unit, score_percent=80.0, now=T0)
    complete_unit(user=learner, unit=unit, score_percent=60.0, now=T0)
    assert UnitProgress.objects.get().best_score_percent == 80.0
    complete_unit(user=learner, unit=unit, score_percent=95.0, now=T0)

    assert UnitProgress.objects.get().best_score_percent == 95.0
    assert statements(learner, Verb.COMPLETED) == 1
    assert Statement.objects.get(verb=Verb.COMPLETED.value).result == {
        "completion": True,
        "score": {"scaled": 0.8},
    }


def test_a_score_outside_zero_to_hundred_is_refused_and_nothing_written(
    build_course: CourseBuilder, learner: User
) -> None:
    unit = build_course(units=1).units[0]

    with pytest.raises(ValueError, match="between 0 and 100"):
        complete_unit(user=learner, unit=unit, score_percent=101.0)

    assert UnitProgress.objects.count() == 0
    assert Statement.objects.filter(actor=learner).count() == 0


def test_video_completes_at_ninety_percent_of_real_playing(
    build_course: CourseBuilder, learner: User
) -> None:
    unit = build_course(units=1, kinds=(UnitKind.VIDEO,)).units[0]
    visit_unit(user=learner, unit=unit, now=T0)

    for report in range(1, 9):
        progress = record_unit_activity(
            user=learner,
            unit=unit,
            active_seconds=10,
            played_seconds=10,
            position_seconds=10 * report,
            now=T0 + timedelta(seconds=10 * report),
        )
    assert progress.watched_seconds == 80.0
    assert progress.status == ProgressStatus.STARTED
    assert statements(learner, Verb.COMPLETED) == 0

    progress = record_unit_activity(
        user=learner,
        unit=unit,
        active_seconds=10,
        played_seconds=10,
        position_seconds=90,
        now=T0 + timedelta(seconds=90),
    )

    assert progress.watched_seconds == 90.0
    assert progress.status == ProgressStatus.COMPLETED
    assert progress.completed_at == T0 + timedelta(seconds=90)
    assert progress.time_spent_seconds == 90
    assert progress.video_position_seconds == 90.0
    assert statements(learner, Verb.COMPLETED) == 1
    assert statements(learner, Verb.PROGRESSED) == 3


def test_seeking_to_the_end_does_not_count_as_watching(
    build_course: CourseBuilder, learner: User
) -> None:
    unit = build_course(units=1, kinds=(UnitKind.VIDEO,)).units[0]
    visit_unit(user=learner, unit=unit, now=T0)

    progress = record_unit_activity(
        user=learner,
        unit=unit,
        active_seconds=5,
        played_seconds=100,
        position_seconds=100,
        now=T0 + timedelta(seconds=5),
    )

    assert progress.watched_seconds == 10.0
    assert progress.video_position_seconds == 100.0
    assert progress.status == ProgressStatus.STARTED
    assert statements(learner, Verb.COMPLETED) == 0


def test_played_time_counts_at_most_sixty_seconds_per_report(
    build_course: CourseBuilder, learner: User
) -> None:
    unit = build_course(units=1, kinds=(UnitKind.VIDEO,)).units[0]
    visit_unit(user=learner, unit=unit, now=T0)

    progress = record_unit_activity(
        user=learner,
        unit=unit,
        active_seconds=500,
        played_seconds=80,
        now=T0 + timedelta(minutes=10),
    )

    assert progress.watched_seconds == 60.0
    assert progress.time_spent_seconds == 60


def test_duration_reported_by_the_player_is_used_when_the_unit_has_none(
    build_course: CourseBuilder, learner: User
) -> None:
    unit = build_course(units=1, kinds=(UnitKind.VIDEO,)).units[0]
    unit.video_duration_seconds = None
    visit_unit(user=learner, unit=unit, now=T0)

    first = record_unit_activity(
        user=learner,
        unit=unit,
        active_seconds=30,
        played_seconds=30,
        duration_seconds=50,
        now=T0 + timedelta(seconds=30),
    )
    assert first.status == ProgressStatus.STARTED
    second = record_unit_activity(
        user=learner,
        unit=unit,
        active_seconds=15,
        played_seconds=15,
        duration_seconds=50,
        now=T0 + timedelta(seconds=45),
    )

    assert second.watched_seconds == 45.0
    assert second.status == ProgressStatus.COMPLETED


def test_a_short_duration_from_the_player_does_not_override_the_units_length(
    build_course: CourseBuilder, learner: User
) -> None:
    unit = build_course(units=1, kinds=(UnitKind.VIDEO,)).units[0]
    visit_unit(user=learner, unit=unit, now=T0)

    progress = record_unit_activity(
        user=learner,
        unit=unit,
        active_seconds=10,
        played_seconds=10,
        duration_seconds=10,
        position_seconds=10,
        now=T0 + timedelta(seconds=10),
    )

    assert progress.watched_seconds == 10.0
    assert progress.status == ProgressStatus.STARTED


def test_reading_time_adds_up_without_completing(
    build_course: CourseBuilder, learner: User
) -> None:
    unit = build_course(units=1).units[0]
    visit_unit(user=learner, unit=unit, now=T0)

    record_unit_activity(user=learner, unit=unit, active_seconds=14.6, now=T0)
    progress = record_unit_activity(user=learner, unit=unit, active_seconds=15, played_seconds=9)

    assert progress.time_spent_seconds == 30
    assert progress.watched_seconds == 0.0
    assert progress.status == ProgressStatus.STARTED


@pytest.mark.parametrize(
    "numbers",
    [
        {"active_seconds": -1.0},
        {"active_seconds": float("nan")},
        {"active_seconds": 5.0, "played_seconds": float("inf")},
        {"active_seconds": 5.0, "position_seconds": -3.0},
        {"active_seconds": 5.0, "duration_seconds": -10.0},
        {"active_seconds": 5.0, "position_seconds": 86_401.0},
    ],
)
def test_negative_non_finite_or_over_a_day_reports_are_refused_and_nothing_written(
    build_course: CourseBuilder, learner: User, numbers: dict[str, float]
) -> None:
    unit = build_course(units=1, kinds=(UnitKind.VIDEO,)).units[0]

    with pytest.raises(DomainError, match="must be between 0 and 86400 seconds"):
        record_unit_activity(user=learner, unit=unit, **numbers)  # type: ignore[arg-type]

    assert UnitProgress.objects.count() == 0
    assert Statement.objects.filter(actor=learner).count() == 0
