"""The catalog page: published courses for everyone in the org, a fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from cadenza.courses.actions import edit_course, enrol_learner, publish_course
from cadenza.orgs.models import Organization
from tests.courses.conftest import Outline, People, client_for
from tests.factories import make_course, make_module, make_unit

pytestmark = pytest.mark.django_db


def catalog_url(org: Organization) -> str:
    return reverse("catalog", kwargs={"org_slug": org.slug})


def test_the_catalog_shows_published_courses_with_counts_and_an_enrol_button(
    outline: Outline, people: People
) -> None:
    edit_course(
        course=outline.course,
        title="Sepsis basics",
        slug="sepsis",
        summary="Spot it **early**.",
        open_enrolment=True,
    )
    publish_course(course=outline.course, include_contents=True)
    make_course(outline.course.org, title="Secret draft", slug="draft")

    response = client_for(people.learner).get(catalog_url(outline.course.org))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Sepsis basics" in html
    assert "Spot it <strong>early</strong>." in html
    assert "2 modules · 4 units" in html
    assert "Open enrolment" in html
    assert reverse("course_enrol", args=["harbour", "sepsis"]) in html
    assert reverse("course_outline", args=["harbour", "sepsis"]) in html
    assert "Secret draft" not in html


def test_an_enrolled_learner_sees_enrolled_instead_of_the_button(
    outline: Outline, people: People
) -> None:
    edit_course(
        course=outline.course, title="Sepsis basics", slug="sepsis", summary="", open_enrolment=True
    )
    publish_course(course=outline.course)
    enrol_learner(course=outline.course, user=people.learner)

    html = client_for(people.learner).get(catalog_url(outline.course.org)).content.decode()

    assert "Enrolled" in html
    assert reverse("course_enrol", args=["harbour", "sepsis"]) not in html


def test_a_closed_course_has_no_enrol_button(outline: Outline, people: People) -> None:
    publish_course(course=outline.course)

    html = client_for(people.learner).get(catalog_url(outline.course.org)).content.decode()

    assert "Enrolment by invitation" in html
    assert reverse("course_enrol", args=["harbour", "sepsis"]) not in html


def test_the_catalog_of_another_organization_is_not_found(
    people: People, other_org: Organization
) -> None:
    response = client_for(people.learner).get(catalog_url(other_org))

    assert response.status_code == 404


def _publish_courses(org: Organization, count: int) -> None:
    for n in range(count):
        course = make_course(org, title=f"Course {n}", slug=f"course-{n}")
        make_unit(make_module(course), title=f"Unit {n}")
        publish_course(course=course, include_contents=True)


@pytest.mark.parametrize("course_count", [2, 20])
def test_the_catalog_takes_the_same_number_of_queries_for_2_and_20_courses(
    org: Organization,
    people: People,
    course_count: int,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    _publish_courses(org, course_count)
    client = client_for(people.learner)

    with django_assert_num_queries(4):
        response = client.get(catalog_url(org))

    assert response.content.decode().count('class="card"') == course_count
