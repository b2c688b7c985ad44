"""The teaching pages and the course builder: who may see and change what."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from cadenza.courses.actions import publish_course
from cadenza.courses.models import Course, Module, Unit
from cadenza.orgs.models import Organization, Role
from tests.courses.conftest import Outline, People, client_for
from tests.factories import make_course, make_module, make_unit, make_user

pytestmark = pytest.mark.django_db

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}  # extra WSGI environ for the client


def url(name: str, **kwargs: object) -> str:
    return reverse(name, kwargs={"org_slug": "harbour", **kwargs})


def outline_state() -> list[tuple[object, ...]]:
    """Everything the builder can change, to prove a refused request changed nothing."""
    courses = list(Course.objects.values_list("slug", "title", "published_at", "open_enrolment"))
    modules = list(Module.objects.values_list("pk", "title", "position", "published_at"))
    units = list(Unit.objects.values_list("pk", "module_id", "title", "position", "published_at"))
    return [*courses, *modules, *units]


def builder_pages(outline: Outline) -> list[str]:
    course = {"course_slug": outline.course.slug}
    module = {**course, "module_id": outline.first.pk}
    unit = {**course, "unit_id": outline.units[0].pk}
    return [
        url("teach"),
        url("course_new"),
        url("course_builder", **course),
        url("course_edit", **course),
        url("course_enrol_emails", **course),
        url("module_new", **course),
        url("module_edit", **module),
        url("module_delete", **module),
        url("unit_new", **module) + "?kind=video",
        url("unit_new", **module) + "?kind=reading",
        url("unit_new", **module) + "?kind=resource",
        url("unit_new", **module) + "?kind=knowledge_check",
        url("unit_edit", **unit),
        url("unit_edit", **course, unit_id=outline.units[1].pk),
        url("unit_edit", **course, unit_id=outline.units[2].pk),
        url("unit_delete", **unit),
    ]


def changes(outline: Outline) -> list[tuple[str, dict[str, str]]]:
    course = {"course_slug": outline.course.slug}
    module = {**course, "module_id": outline.first.pk}
    unit = {**course, "unit_id": outline.units[0].pk}
    return [
        (url("course_new"), {"title": "Hijack", "slug": "hijack"}),
        (url("course_edit", **course), {"title": "Renamed", "slug": "sepsis"}),
        (url("course_publish", **course), {"published": "1", "include_contents": "1"}),
        (url("module_new", **course), {"title": "Extra"}),
        (url("module_edit", **module), {"title": "Renamed"}),
        (url("module_move", **module), {"direction": "down"}),
        (url("module_publish", **module), {"published": "1"}),
        (url("module_delete", **module), {}),
        (url("unit_new", **module) + "?kind=reading", {"title": "X", "body": "Y"}),
        (url("unit_edit", **unit), {"title": "Renamed", "body": "B", "estimated_minutes": "5"}),
        (url("unit_move", **unit), {"direction": "down"}),
        (url("unit_move", **unit), {"module": str(outline.second.pk)}),
        (url("unit_publish", **unit), {"published": "1"}),
        (url("unit_delete", **unit), {}),
    ]


@pytest.mark.parametrize("role", ["admin", "instructor"])
def test_every_teaching_page_renders_for_authors(
    outline: Outline, people: People, role: str
) -> None:
    client = client_for(getattr(people, role))

    statuses = {page: client.get(page).status_code for page in builder_pages(outline)}

    assert statuses == dict.fromkeys(builder_pages(outline), 200)


def test_a_learner_gets_403_on_every_teaching_page(outline: Outline, people: People) -> None:
    client = client_for(people.learner)

    statuses = {page: client.get(page).status_code for page in builder_pages(outline)}

    assert statuses == dict.fromkeys(builder_pages(outline), 403)


@pytest.mark.parametrize("role", ["learner", "ta"])
def test_people_who_do_not_author_may_change_nothing(
    outline: Outline, people: People, role: str
) -> None:
    client = client_for(getattr(people, role))
    before = outline_state()

    statuses = [client.post(page, data).status_code for page, data in changes(outline)]

    assert statuses == [403] * len(changes(outline))
    assert outline_state() == before


def test_a_teaching_assistant_sees_the_builder_read_only(outline: Outline, people: People) -> None:
    response = client_for(people.ta).get(url("course_builder", course_slug="sepsis"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "What sepsis is" in html
    assert "only instructors and admins can change it" in html
    assert url("module_move", course_slug="sepsis", module_id=outline.first.pk) not in html
    assert url("course_publish", course_slug="sepsis") not in html


def test_another_organizations_course_module_and_unit_are_not_found(
    outline: Outline, other_org: Organization
) -> None:
    foreign_course = make_course(other_org, title="Foreign", slug="foreign")
    foreign_module = make_module(foreign_course)
    foreign_unit = make_unit(foreign_module, title="Foreign unit")
    client = client_for(make_user(outline.course.org, Role.ADMIN, email="boss@example.org"))
    mine = {"course_slug": "sepsis"}
    pages = [
        url("course_builder", course_slug="foreign"),
        url("course_edit", course_slug="foreign"),
        url("course_enrol_emails", course_slug="foreign"),
        url("module_edit", **mine, module_id=foreign_module.pk),
        url("module_delete", **mine, module_id=foreign_module.pk),
        url("unit_new", **mine, module_id=foreign_module.pk) + "?kind=reading",
        url("unit_edit", **mine, unit_id=foreign_unit.pk),
        url("unit_delete", **mine, unit_id=foreign_unit.pk),
        reverse("course_builder", kwargs={"org_slug": "elsewhere", "course_slug": "foreign"}),
    ]
    before = outline_state()

    statuses = [client.get(page).status_code for page in pages]
    moved = client.post(
        url("unit_move", **mine, unit_id=outline.units[0].pk), {"module": str(foreign_module.pk)}
    )
    deleted = client.post(url("unit_delete", **mine, unit_id=foreign_unit.pk))

    assert statuses == [404] * len(pages)
    assert (moved.status_code, deleted.status_code) == (404, 404)
    assert outline_state() == before


def test_teach_lists_every_course_with_state_and_learner_count(
    outline: Outline, people: People
) -> None:
    published = make_course(outline.course.org, title="Hand hygiene", slug="hygiene")
    publish_course(course=published)

    html = client_for(people.ta).get(url("teach")).content.decode()

    assert "Sepsis basics" in html
    assert "Hand hygiene" in html
    assert html.count("draft-badge") == 1
    assert url("course_builder", course_slug="sepsis") in html
    assert url("course_new") not in html


def test_an_instructor_creates_a_course_with_a_suggested_slug(people: People) -> None:
    response = client_for(people.instructor).post(
        url("course_new"),
        {"title": "Hand Hygiene 101", "slug": "", "summary": "Wash", "open_enrolment": "on"},
    )

    course = Course.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("course_builder", course_slug="hand-hygiene-101")
    assert (course.slug, course.summary, course.open_enrolment, course.created_by) == (
        "hand-hygiene-101",
        "Wash",
        True,
        people.instructor,
    )
    assert course.published_at is None


def test_a_taken_slug_is_a_form_error(outline: Outline, people: People) -> None:
    response = client_for(people.instructor).post(
        url("course_new"), {"title": "Again", "slug": "sepsis"}
    )

    assert response.status_code == 200
    assert "Another course of the organization uses this address." in response.content.decode()
    assert Course.objects.count() == 1


def test_editing_a_course_changes_its_address(outline: Outline, people: People) -> None:
    response = client_for(people.instructor).post(
        url("course_edit", course_slug="sepsis"),
        {"title": "Sepsis", "slug": "sepsis-2", "summary": ""},
    )

    assert response["Location"] == url("course_builder", course_slug="sepsis-2")
    assert Course.objects.get().slug == "sepsis-2"


def test_publishing_a_course_with_its_contents_from_the_builder(
    outline: Outline, people: People
) -> None:
    response = client_for(people.instructor).post(
        url("course_publish", course_slug="sepsis"), {"published": "1", "include_contents": "1"}
    )

    assert response.status_code == 302
    assert Course.objects.get().is_published
    assert Unit.objects.filter(published_at__isnull=True).count() == 0


def test_an_htmx_change_answers_with_the_new_outline(outline: Outline, people: People) -> None:
    response = client_for(people.instructor).post(
        url("unit_move", course_slug="sepsis", unit_id=outline.units[0].pk),
        {"direction": "down"},
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section id="outline"')
    assert "“What sepsis is” moved down." in html
    units = html[html.index('class="builder-modules"') :]
    assert units.index("Lecture") < units.index("What sepsis is")


def test_moving_a_module_without_a_direction_is_a_400_with_detail(
    outline: Outline, people: People
) -> None:
    before = outline_state()

    response = client_for(people.instructor).post(
        url("module_move", course_slug="sepsis", module_id=outline.first.pk),
        {"direction": "sideways"},
        **HTMX,
    )

    assert response.status_code == 400
    assert json.loads(response.content) == {
        "detail": "Say which way to move the module: up or down."
    }
    assert outline_state() == before


def test_moving_a_unit_to_another_module_from_the_builder(outline: Outline, people: People) -> None:
    client_for(people.instructor).post(
        url("unit_move", course_slug="sepsis", unit_id=outline.units[0].pk),
        {"module": str(outline.second.pk)},
    )

    assert list(outline.second.units.values_list("title", "position")) == [
        ("Antibiotics", 0),
        ("What sepsis is", 1),
    ]
    assert list(outline.first.units.values_list("position", flat=True)) == [0, 1]


def test_deleting_a_module_asks_first_then_deletes(outline: Outline, people: People) -> None:
    client = client_for(people.instructor)
    page = url("module_delete", course_slug="sepsis", module_id=outline.first.pk)

    confirm = client.get(page)
    assert "Delete the module “Recognising sepsis” and its 3 units?" in confirm.content.decode()
    assert Module.objects.count() == 2

    client.post(page)
    assert list(Module.objects.values_list("title", "position")) == [("Treatment", 0)]


def test_adding_and_renaming_a_module(outline: Outline, people: People) -> None:
    client = client_for(people.instructor)

    client.post(url("module_new", course_slug="sepsis"), {"title": "Aftercare"})
    added = Module.objects.get(title="Aftercare")
    client.post(
        url("module_edit", course_slug="sepsis", module_id=added.pk), {"title": "Follow-up"}
    )

    assert list(outline.course.modules.values_list("title", "position")) == [
        ("Recognising sepsis", 0),
        ("Treatment", 1),
        ("Follow-up", 2),
    ]


def test_the_builder_links_knowledge_checks_to_their_questions(
    outline: Outline, people: People
) -> None:
    html = client_for(people.instructor).get(url("course_builder", course_slug="sepsis"))

    questions = reverse(
        "check_questions",
        kwargs={"org_slug": "harbour", "course_slug": "sepsis", "unit_id": outline.units[2].pk},
    )
    assert questions in html.content.decode()


def test_an_unknown_unit_kind_is_a_400(outline: Outline, people: People) -> None:
    response = client_for(people.instructor).get(
        url("unit_new", course_slug="sepsis", module_id=outline.first.pk) + "?kind=podcast"
    )

    assert response.status_code == 400
    assert Unit.objects.count() == 4
