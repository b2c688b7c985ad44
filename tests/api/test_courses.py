"""Courses through the API: the list, creating, the outline with my progress, editing,
publishing and enrolments."""

from __future__ import annotations

import pytest

from cadenza.accounts.models import User
from cadenza.courses.actions import set_unit_published
from cadenza.courses.models import Course, Enrolment, EnrolmentStatus
from cadenza.learning.actions.progress import complete_unit, visit_unit
from cadenza.orgs.models import Membership, Organization
from tests.api.conftest import Outline, People, api_as, iso
from tests.factories import enrol, make_course

pytestmark = pytest.mark.django_db


def test_learners_list_the_catalog_with_their_enrolment(
    people: People, outline: Outline, org: Organization
) -> None:
    make_course(org, title="Draft course", slug="draft")
    enrol(outline.course, people.learner)

    response = api_as(people.learner).get("/orgs/harbour/courses")

    assert response.status_code == 200
    assert response.json() == [
        {
            "slug": "sepsis",
            "title": "Sepsis basics",
            "summary": "**Early** care",
            "summary_html": "<p><strong>Early</strong> care</p>",
            "open_enrolment": False,
            "published": True,
            "published_at": iso(outline.course.published_at),
            "module_count": 2,
            "unit_count": 4,
            "is_enrolled": True,
            "learner_count": None,
        }
    ]


def test_staff_list_every_course_with_learner_counts(
    people: People, outline: Outline, org: Organization
) -> None:
    make_course(org, title="A draft", slug="draft")
    enrol(outline.course, people.learner)

    response = api_as(people.ta).get("/orgs/harbour/courses")

    assert [
        (c["slug"], c["published"], c["learner_count"], c["unit_count"], c["is_enrolled"])
        for c in response.json()
    ] == [("draft", False, 0, 0, None), ("sepsis", True, 1, 4, None)]


def test_instructors_create_a_draft_course_with_a_slug_from_the_title(
    people: People, org: Organization
) -> None:
    response = api_as(people.instructor).post(
        "/orgs/harbour/courses", {"title": "Hand Hygiene 101", "summary": "Wash"}
    )

    assert response.status_code == 201
    assert response.json() == {
        "slug": "hand-hygiene-101",
        "title": "Hand Hygiene 101",
        "summary": "Wash",
        "summary_html": "<p>Wash</p>",
        "open_enrolment": False,
        "published": False,
        "published_at": None,
    }
    course = Course.objects.get(org=org, slug="hand-hygiene-101")
    assert course.created_by == people.instructor


def test_a_slug_in_use_is_refused_with_422(people: People, outline: Outline) -> None:
    response = api_as(people.instructor).post(
        "/orgs/harbour/courses", {"title": "Again", "slug": "sepsis"}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "slug": ["Another course of the organization uses this address."]
    }
    assert Course.objects.filter(title="Again").count() == 0


def test_a_learner_may_not_create_a_course(people: People) -> None:
    response = api_as(people.learner).post("/orgs/harbour/courses", {"title": "Mine"})

    assert response.status_code == 403
    assert Course.objects.count() == 0


def test_the_course_outline_carries_my_unit_states_and_progress(
    people: People, outline: Outline
) -> None:
    enrol(outline.course, people.learner)
    reading, video, _check, antibiotics = outline.units
    complete_unit(user=people.learner, unit=reading)
    visit_unit(user=people.learner, unit=video)

    response = api_as(people.learner).get("/orgs/harbour/courses/sepsis")

    assert response.status_code == 200
    body = response.json()
    assert body["enrolled"] is True
    assert body["can_self_enrol"] is False
    assert body["has_started"] is True
    assert body["next_unit_id"] == video.pk
    assert body["progress"] == {"completed": 1, "total": 4, "percent": 25}
    assert [m["title"] for m in body["modules"]] == ["Recognising sepsis", "Treatment"]
    assert body["modules"][0]["units"][0] == {
        "id": reading.pk,
        "kind": "reading",
        "title": "What sepsis is",
        "estimated_minutes": 5,
        "is_draft": False,
        "status": "completed",
        "time_spent_seconds": 0,
        "best_score_percent": None,
    }
    assert [(u["id"], u["status"]) for u in body["modules"][0]["units"][1:]] == [
        (video.pk, "started"),
        (_check.pk, "not_started"),
    ]
    assert body["modules"][1]["units"][0]["id"] == antibiotics.pk


def test_learners_do_not_see_draft_units_in_the_outline(people: People, outline: Outline) -> None:
    set_unit_published(unit=outline.units[3], published=False)

    response = api_as(people.learner).get("/orgs/harbour/courses/sepsis")

    assert [len(m["units"]) for m in response.json()["modules"]] == [3, 0]


def test_a_learner_gets_404_for_a_draft_course(people: People, org: Organization) -> None:
    make_course(org, title="Draft", slug="draft")

    response = api_as(people.learner).get("/orgs/harbour/courses/draft")

    assert response.status_code == 404
    assert response.json() == {"detail": "No such course."}


def test_another_organizations_course_answers_404(people: People, foreign_outline: Outline) -> None:
    client = api_as(people.admin)

    responses = [
        client.get("/orgs/harbour/courses/foreign"),
        client.patch("/orgs/harbour/courses/foreign", {"title": "Mine"}),
        client.post("/orgs/harbour/courses/foreign/publish", {"published": False}),
        client.post("/orgs/harbour/courses/foreign/enrolment"),
        client.get("/orgs/harbour/courses/foreign/enrolments"),
        client.post("/orgs/harbour/courses/foreign/enrolments", {"emails": ["a@example.org"]}),
        client.get("/orgs/harbour/courses/foreign/progress"),
        client.get("/orgs/elsewhere/courses/foreign"),
    ]

    assert [r.status_code for r in responses] == [404] * 8
    foreign_outline.course.refresh_from_db()
    assert (foreign_outline.course.title, foreign_outline.course.is_published) == ("Foreign", True)
    assert not Enrolment.objects.exists()


def test_authors_edit_only_the_fields_sent(people: People, outline: Outline) -> None:
    response = api_as(people.instructor).patch(
        "/orgs/harbour/courses/sepsis", {"title": "Sepsis, revised", "open_enrolment": True}
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Sepsis, revised"
    outline.course.refresh_from_db()
    assert (outline.course.title, outline.course.slug, outline.course.open_enrolment) == (
        "Sepsis, revised",
        "sepsis",
        True,
    )
    assert outline.course.summary == "**Early** care"


def test_a_bad_slug_is_refused_with_422_and_nothing_saved(people: People, outline: Outline) -> None:
    response = api_as(people.instructor).patch(
        "/orgs/harbour/courses/sepsis", {"title": "New", "slug": "not a slug"}
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["slug"]
    outline.course.refresh_from_db()
    assert (outline.course.title, outline.course.slug) == ("Sepsis basics", "sepsis")


def test_teaching_assistants_may_not_edit_or_publish(people: People, outline: Outline) -> None:
    client = api_as(people.ta)

    edited = client.patch("/orgs/harbour/courses/sepsis", {"title": "TA"})
    published = client.post("/orgs/harbour/courses/sepsis/publish", {"published": False})

    assert (edited.status_code, published.status_code) == (403, 403)
    outline.course.refresh_from_db()
    assert (outline.course.title, outline.course.is_published) == ("Sepsis basics", True)


def test_authors_publish_a_course_with_its_contents(people: People, org: Organization) -> None:
    course = make_course(org, title="New", slug="new-course")

    response = api_as(people.instructor).post(
        "/orgs/harbour/courses/new-course/publish", {"published": True, "include_contents": True}
    )

    assert response.status_code == 200
    assert response.json()["published"] is True
    course.refresh_from_db()
    assert course.is_published


def test_authors_withdraw_a_course(people: People, outline: Outline) -> None:
    response = api_as(people.admin).post(
        "/orgs/harbour/courses/sepsis/publish", {"published": False}
    )

    assert response.json()["published"] is False
    outline.course.refresh_from_db()
    assert outline.course.published_at is None


def test_a_learner_enrols_in_an_open_course(people: People, outline: Outline) -> None:
    outline.course.open_enrolment = True
    outline.course.save()

    response = api_as(people.learner).post("/orgs/harbour/courses/sepsis/enrolment")

    assert response.status_code == 200
    enrolment = Enrolment.objects.get(course=outline.course, user=people.learner)
    assert response.json() == {
        "id": enrolment.pk,
        "person": {"id": people.learner.pk, "email": "learner@example.org", "name": "Lea"},
        "status": "active",
        "enrolled_at": iso(enrolment.enrolled_at),
    }


def test_a_closed_course_refuses_self_enrolment_with_403(people: People, outline: Outline) -> None:
    response = api_as(people.learner).post("/orgs/harbour/courses/sepsis/enrolment")

    assert response.status_code == 403
    assert response.json() == {"detail": "This course is not open for enrolment."}
    assert not Enrolment.objects.exists()


def test_instructors_enrol_people_by_email(
    people: People, outline: Outline, org: Organization
) -> None:
    response = api_as(people.instructor).post(
        "/orgs/harbour/courses/sepsis/enrolments",
        {"emails": ["learner@example.org", "Newcomer@Example.org"]},
    )

    assert response.status_code == 200
    assert response.json() == {
        "enrolled": ["learner@example.org", "newcomer@example.org"],
        "already_enrolled": [],
        "new_members": ["newcomer@example.org"],
    }
    assert sorted(
        Enrolment.objects.filter(course=outline.course).values_list("user__email", flat=True)
    ) == ["learner@example.org", "newcomer@example.org"]


def test_addresses_with_apostrophes_and_other_allowed_characters_are_enrolled(
    people: People, outline: Outline
) -> None:
    """The account's username is its e-mail address, so any address an e-mail check accepts
    makes an account (Django's username rule refused o'brien@... with a 422)."""
    emails = ["o'brien@example.ie", "fc6^@example.dev", "{ck~a!|-uw@e.example"]

    response = api_as(people.instructor).post(
        "/orgs/harbour/courses/sepsis/enrolments", {"emails": emails}
    )

    assert response.status_code == 200
    assert response.json() == {
        "enrolled": emails,
        "already_enrolled": [],
        "new_members": emails,
    }
    assert sorted(
        User.objects.filter(email__in=emails).values_list("username", flat=True)
    ) == sorted(emails)


def test_a_bad_address_enrols_nobody(people: People, outline: Outline) -> None:
    users = User.objects.count()

    response = api_as(people.instructor).post(
        "/orgs/harbour/courses/sepsis/enrolments", {"emails": ["ok@example.org", "nope"]}
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": "emails.1: 'nope' is not a valid e-mail address.",
        "errors": {"emails.1": ["'nope' is not a valid e-mail address."]},
    }
    assert not Enrolment.objects.exists()
    assert User.objects.count() == users


def test_an_empty_list_is_refused_with_422(people: People, outline: Outline) -> None:
    response = api_as(people.instructor).post(
        "/orgs/harbour/courses/sepsis/enrolments", {"emails": []}
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["emails"]


def test_learners_and_tas_may_not_enrol_others(people: People, outline: Outline) -> None:
    by_learner = api_as(people.learner).post(
        "/orgs/harbour/courses/sepsis/enrolments", {"emails": ["x@example.org"]}
    )
    by_ta = api_as(people.ta).post(
        "/orgs/harbour/courses/sepsis/enrolments", {"emails": ["x@example.org"]}
    )

    assert (by_learner.status_code, by_ta.status_code) == (403, 403)
    assert not Enrolment.objects.exists()
    assert not User.objects.filter(email="x@example.org").exists()


def test_staff_list_enrolments(people: People, outline: Outline) -> None:
    enrol(outline.course, people.learner)

    response = api_as(people.ta).get("/orgs/harbour/courses/sepsis/enrolments")

    assert [(e["person"]["email"], e["status"]) for e in response.json()] == [
        ("learner@example.org", "active")
    ]


def test_a_learner_may_not_list_enrolments(people: People, outline: Outline) -> None:
    response = api_as(people.learner).get("/orgs/harbour/courses/sepsis/enrolments")

    assert response.status_code == 403


def test_instructors_withdraw_a_learner(people: People, outline: Outline) -> None:
    enrol(outline.course, people.learner)
    enrolment = Enrolment.objects.get()

    response = api_as(people.instructor).delete(
        f"/orgs/harbour/courses/sepsis/enrolments/{enrolment.pk}"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.WITHDRAWN


def test_withdrawing_another_organizations_enrolment_answers_404(
    people: People, outline: Outline, foreign_outline: Outline, other_org: Organization
) -> None:
    stranger = Membership.objects.create(org=other_org, user=people.learner, role="learner").user
    enrol(foreign_outline.course, stranger)
    foreign = Enrolment.objects.get()

    response = api_as(people.instructor).delete(
        f"/orgs/harbour/courses/sepsis/enrolments/{foreign.pk}"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "No such enrolment."}
    foreign.refresh_from_db()
    assert foreign.status == EnrolmentStatus.ACTIVE


def test_a_learner_may_not_withdraw_anyone(people: People, outline: Outline) -> None:
    enrol(outline.course, people.learner)
    enrolment = Enrolment.objects.get()

    response = api_as(people.learner).delete(
        f"/orgs/harbour/courses/sepsis/enrolments/{enrolment.pk}"
    )

    assert response.status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ACTIVE
