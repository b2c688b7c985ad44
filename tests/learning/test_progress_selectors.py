"""Dashboard, outline and progress-table reads: values, visibility and fixed query counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.courses.actions import set_course_published
from cadenza.courses.models import Course, Enrolment, EnrolmentStatus, Unit, UnitKind
from cadenza.learning.actions.progress import complete_unit, record_unit_activity, visit_unit
from cadenza.learning.selectors.progress import (
    UnitStatus,
    course_outline,
    dashboard,
    unit_navigation,
    unit_to_continue,
)
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import OrgContext, access_org
from tests.factories import enrol, make_module, make_unit, make_user
from tests.learning.conftest import CourseBuilder

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def context(user: User, org: Organization) -> OrgContext:
    return access_org(user=user, slug=org.slug)


def test_dashboard_shows_progress_and_the_first_unit_before_any_visit(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=4)
    enrol(built.course, learner)

    [entry] = dashboard(context(learner, org))

    assert entry.course == built.course
    assert (entry.progress.completed, entry.progress.total, entry.progress.percent) == (0, 4, 0)
    assert entry.next_unit == built.units[0]
    assert entry.has_started is False


def test_next_unit_is_the_last_visited_unit_when_not_completed(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=4)
    enrol(built.course, learner)
    complete_unit(user=learner, unit=built.units[0], now=T0)
    visit_unit(user=learner, unit=built.units[2], now=T0 + timedelta(minutes=1))

    [entry] = dashboard(context(learner, org))

    assert entry.next_unit == built.units[2]
    assert (entry.progress.completed, entry.progress.percent) == (1, 25)
    assert entry.has_started is True


def test_next_unit_is_the_first_not_completed_when_the_last_visited_is_done(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=4)
    enrol(built.course, learner)
    complete_unit(user=learner, unit=built.units[0], now=T0)
    visit_unit(user=learner, unit=built.units[1], now=T0 + timedelta(minutes=1))
    complete_unit(user=learner, unit=built.units[3], now=T0 + timedelta(minutes=2))

    [entry] = dashboard(context(learner, org))

    assert entry.next_unit == built.units[1]
    assert (entry.progress.completed, entry.progress.percent) == (2, 50)


def test_no_next_unit_when_everything_is_completed(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=3)
    enrol(built.course, learner)
    for unit in built.units:
        complete_unit(user=learner, unit=unit)

    [entry] = dashboard(context(learner, org))

    assert entry.next_unit is None
    assert entry.progress.percent == 100
    assert unit_to_continue(context(learner, org), built.course) is None


def test_percent_is_rounded_down_so_hundred_means_done(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=3)
    enrol(built.course, learner)
    complete_unit(user=learner, unit=built.units[0])
    complete_unit(user=learner, unit=built.units[1])

    [entry] = dashboard(context(learner, org))

    assert entry.progress.percent == 66


def test_draft_units_do_not_count_towards_progress(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=2)
    enrol(built.course, learner)
    make_unit(built.units[0].module, UnitKind.READING, title="Still a draft")
    complete_unit(user=learner, unit=built.units[0])

    [entry] = dashboard(context(learner, org))

    assert (entry.progress.completed, entry.progress.total) == (1, 2)


def test_dashboard_lists_only_active_enrolments_in_this_organization(
    build_course: CourseBuilder, learner: User, org: Organization, other_org: Organization
) -> None:
    mine = build_course(units=1)
    withdrawn = build_course(units=1)
    elsewhere = build_course(units=1, target_org=other_org)
    enrol(mine.course, learner)
    enrol(withdrawn.course, learner)
    Enrolment.objects.filter(course=withdrawn.course).update(status=EnrolmentStatus.WITHDRAWN)
    enrol(elsewhere.course, learner)

    assert [entry.course for entry in dashboard(context(learner, org))] == [mine.course]


def test_learner_dashboard_hides_an_unpublished_course(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1)
    enrol(built.course, learner)
    Course.objects.filter(pk=built.course.pk).update(published_at=None)

    assert dashboard(context(learner, org)) == []


def test_outline_gives_each_unit_the_viewers_state(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=3, kinds=(UnitKind.READING, UnitKind.KNOWLEDGE_CHECK))
    enrol(built.course, learner)
    visit_unit(user=learner, unit=built.units[0], now=T0)
    record_unit_activity(user=learner, unit=built.units[0], active_seconds=42, now=T0)
    complete_unit(user=learner, unit=built.units[1], score_percent=75.0, now=T0)

    outline = course_outline(context(learner, org), built.course)

    [module] = outline.modules
    assert [
        (s.unit, s.status, s.time_spent_seconds, s.best_score_percent) for s in module.units
    ] == [
        (built.units[0], UnitStatus.STARTED, 42, None),
        (built.units[1], UnitStatus.COMPLETED, 0, 75.0),
        (built.units[2], UnitStatus.NOT_STARTED, 0, None),
    ]
    assert (outline.progress.completed, outline.progress.total, outline.progress.percent) == (
        1,
        3,
        33,
    )
    assert outline.enrolment is not None
    assert outline.next_unit == built.units[0]
    assert outline.can_open_units is True
    assert outline.can_self_enrol is False
    assert outline.has_started is True


def test_outline_for_a_learner_not_enrolled_offers_enrolment_but_no_units(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=2, open_enrolment=True)

    outline = course_outline(context(learner, org), built.course)

    assert outline.enrolment is None
    assert outline.can_open_units is False
    assert outline.can_self_enrol is True
    assert outline.next_unit is None
    assert [s.unit for s in outline.modules[0].units] == built.units


def test_learners_never_see_draft_units_or_modules_in_the_outline(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=1)
    enrol(built.course, learner)
    make_unit(built.units[0].module, UnitKind.READING, title="Draft unit")
    draft_module = make_module(built.course, title="Draft module")
    make_unit(draft_module, UnitKind.READING, title="In a draft module")

    outline = course_outline(context(learner, org), built.course)

    assert [m.module.title for m in outline.modules] == ["Module 1"]
    assert [s.unit.title for s in outline.modules[0].units] == ["Unit 1"]


def test_staff_see_drafts_marked_and_uncounted(
    build_course: CourseBuilder, instructor: User, org: Organization
) -> None:
    built = build_course(units=1)
    make_unit(built.units[0].module, UnitKind.READING, title="Draft unit")

    outline = course_outline(context(instructor, org), built.course)

    assert [(s.unit.title, s.is_draft) for s in outline.modules[0].units] == [
        ("Unit 1", False),
        ("Draft unit", True),
    ]
    assert outline.progress.total == 1
    assert outline.can_open_units is True
    assert outline.next_unit == built.units[0]


def test_staff_see_every_unit_of_a_withdrawn_course_marked_draft_and_uncounted(
    build_course: CourseBuilder, instructor: User, org: Organization
) -> None:
    """A unit is open to learners only in a published module of a published course
    (``courses.models.open_to_learners``): withdrawn, the course's units are all drafts."""
    built = build_course(units=2)
    set_course_published(course=built.course, published=False)

    outline = course_outline(context(instructor, org), built.course)

    assert [(s.unit.title, s.is_draft) for s in outline.modules[0].units] == [
        ("Unit 1", True),
        ("Unit 2", True),
    ]
    assert (outline.progress.completed, outline.progress.total) == (0, 0)


def test_unit_navigation_links_the_neighbours_in_outline_order(
    build_course: CourseBuilder, learner: User, org: Organization
) -> None:
    built = build_course(units=5, per_module=2)
    enrol(built.course, learner)
    ctx = context(learner, org)

    middle = unit_navigation(ctx, built.course, built.units[2])
    first = unit_navigation(ctx, built.course, built.units[0])
    last = unit_navigation(ctx, built.course, built.units[4])

    assert (middle.previous and middle.previous.id, middle.next and middle.next.id) == (
        built.units[1].pk,
        built.units[3].pk,
    )
    assert (middle.number, middle.total) == (3, 5)
    assert first.previous is None
    assert last.next is None


def _queries(run: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries)


def _progress_everywhere(user: User, units: list[Unit]) -> None:
    for index, unit in enumerate(units):
        if index % 2:
            complete_unit(user=user, unit=unit)
        else:
            visit_unit(user=user, unit=unit, now=timezone.now())


def test_dashboard_and_outline_query_counts_do_not_grow_with_units(
    build_course: CourseBuilder, org: Organization
) -> None:
    counts = {}
    for size in (5, 200):
        person = make_user(org, Role.LEARNER)
        built = build_course(units=size)
        enrol(built.course, person)
        _progress_everywhere(person, built.units)
        ctx = context(person, org)
        counts[size] = (
            _queries(partial(dashboard, ctx)),
            _queries(partial(course_outline, ctx, built.course)),
            _queries(partial(unit_navigation, ctx, built.course, built.units[3])),
        )

    assert counts[5] == counts[200]
    assert counts[5] == (3, 4, 1)
