"""What people may see: learners never see drafts; staff see everything of their org only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from pytest_django import DjangoAssertNumQueries

from cadenza.accounts.models import User
from cadenza.courses.actions import (
    enrol_learner,
    publish_course,
    set_module_published,
    set_unit_published,
    withdraw_learner,
)
from cadenza.courses.models import Course
from cadenza.courses.selectors import (
    access_course_for_teaching,
    access_module,
    access_unit,
    builder_outline,
    catalog_courses,
    teaching_courses,
    visible_courses,
    visible_units,
)
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import OrgContext
from tests.courses.conftest import Outline, People
from tests.factories import make_course, make_module

pytestmark = pytest.mark.django_db


def as_role(org: Organization, user: User, role: Role) -> OrgContext:
    return OrgContext(org=org, user=user, role=role)


def annotated(course: Course, *names: str) -> tuple[object, ...]:
    """What a selector's query added to the course (``module_count`` ...): Django sets these
    attributes at run time, so the model's type does not know them."""
    return tuple(getattr(course, name) for name in names)


def test_learners_do_not_see_draft_courses(outline: Outline, people: People) -> None:
    published = make_course(outline.course.org, title="Published", slug="published")
    publish_course(course=published)
    ctx = as_role(outline.course.org, people.learner, Role.LEARNER)

    assert [c.slug for c in visible_courses(ctx)] == ["published"]
    assert [c.slug for c in catalog_courses(ctx)] == ["published"]


def test_learners_see_only_published_units_of_published_modules(
    outline: Outline, people: People
) -> None:
    publish_course(course=outline.course, include_contents=False)
    set_module_published(module=outline.first, published=True)
    set_unit_published(unit=outline.units[0], published=True)
    set_unit_published(unit=outline.units[3], published=True)
    enrol_learner(course=outline.course, user=people.learner)
    ctx = as_role(outline.course.org, people.learner, Role.LEARNER)

    assert [u.title for u in visible_units(ctx, outline.course)] == ["What sepsis is"]
    with pytest.raises(Http404):
        access_unit(ctx, course=outline.course, unit_id=outline.units[1].pk)
    with pytest.raises(Http404):
        access_unit(ctx, course=outline.course, unit_id=outline.units[3].pk)


def test_the_catalog_counts_what_learners_would_see_and_marks_enrolment(
    outline: Outline, people: People
) -> None:
    publish_course(course=outline.course, include_contents=False)
    set_module_published(module=outline.first, published=True, include_units=True)
    set_unit_published(unit=outline.units[2], published=False)
    set_unit_published(unit=outline.units[3], published=True)
    enrol_learner(course=outline.course, user=people.learner)
    ctx = as_role(outline.course.org, people.learner, Role.LEARNER)

    (course,) = catalog_courses(ctx)

    assert annotated(course, "module_count", "unit_count", "is_enrolled") == (1, 2, True)


def test_a_withdrawn_learner_is_not_enrolled_in_the_catalog(
    outline: Outline, people: People
) -> None:
    publish_course(course=outline.course)
    withdraw_learner(enrolment=enrol_learner(course=outline.course, user=people.learner)[0])

    (course,) = catalog_courses(as_role(outline.course.org, people.learner, Role.LEARNER))

    (is_enrolled,) = annotated(course, "is_enrolled")
    assert is_enrolled is False


def test_staff_see_the_organizations_drafts_with_counts(
    outline: Outline, people: People, other_org: Organization
) -> None:
    make_course(other_org, title="Foreign", slug="foreign")
    enrol_learner(course=outline.course, user=people.learner)
    ctx = as_role(outline.course.org, people.ta, Role.TA)

    (course,) = teaching_courses(ctx)

    counts = annotated(course, "learner_count", "module_count", "unit_count")
    assert (course.slug, *counts) == (
        "sepsis",
        1,
        2,
        4,
    )


def test_learners_may_not_list_the_teaching_courses(outline: Outline, people: People) -> None:
    with pytest.raises(PermissionDenied):
        teaching_courses(as_role(outline.course.org, people.learner, Role.LEARNER))


def test_another_organizations_course_is_not_found_for_teaching(
    outline: Outline, other_org: Organization, people: People
) -> None:
    ctx = as_role(other_org, people.admin, Role.ADMIN)

    with pytest.raises(Http404):
        access_course_for_teaching(ctx, slug="sepsis")


def test_a_module_of_another_course_is_not_found(outline: Outline, people: People) -> None:
    other = make_module(make_course(outline.course.org, slug="other"), "Other")
    ctx = as_role(outline.course.org, people.instructor, Role.INSTRUCTOR)

    with pytest.raises(Http404):
        access_module(ctx, course=outline.course, module_id=other.pk)


def test_the_builder_outline_lists_modules_and_units_in_order_in_two_queries(
    outline: Outline, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(2):
        modules = builder_outline(outline.course)
        shape = [(m.title, [u.title for u in m.units.all()]) for m in modules]

    assert shape == [
        ("Recognising sepsis", ["What sepsis is", "Lecture", "Check"]),
        ("Treatment", ["Antibiotics"]),
    ]
