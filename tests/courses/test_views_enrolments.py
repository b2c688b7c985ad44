"""The enrolments page: enrol a pasted list of e-mails, see the result, withdraw people."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.courses.actions import enrol_learner
from cadenza.courses.models import Enrolment, EnrolmentStatus
from cadenza.orgs.models import Membership
from tests.courses.conftest import Outline, People, client_for
from tests.factories import make_course

pytestmark = pytest.mark.django_db

PAGE = reverse("course_enrol_emails", kwargs={"org_slug": "harbour", "course_slug": "sepsis"})


def withdraw_url(enrolment: Enrolment) -> str:
    return reverse(
        "withdraw_learner",
        kwargs={"org_slug": "harbour", "course_slug": "sepsis", "enrolment_id": enrolment.pk},
    )


def test_enrolling_a_list_shows_what_happened(outline: Outline, people: People) -> None:
    enrol_learner(course=outline.course, user=people.learner)

    response = client_for(people.instructor).post(
        PAGE, {"emails": "learner@example.org, fresh@example.org\n\nta@example.org\n"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enrolled: 2" in html
    assert "Already enrolled: 1" in html
    assert "fresh@example.org" in html
    assert sorted(outline.course.enrolments.values_list("user__email", flat=True)) == [
        "fresh@example.org",
        "learner@example.org",
        "ta@example.org",
    ]
    assert Membership.objects.get(user__email="fresh@example.org").role == "learner"


def test_a_bad_line_is_a_form_error_and_nothing_is_written(
    outline: Outline, people: People
) -> None:
    users_before = User.objects.count()

    response = client_for(people.instructor).post(
        PAGE, {"emails": "fresh@example.org\nnot-an-email\nlearner@example.org"}
    )

    assert response.status_code == 400
    assert "“not-an-email” is not a valid e-mail address." in response.content.decode()
    assert Enrolment.objects.count() == 0
    assert User.objects.count() == users_before


def test_the_page_lists_enrolments_with_withdraw_buttons(outline: Outline, people: People) -> None:
    enrolment, _ = enrol_learner(course=outline.course, user=people.learner)

    html = client_for(people.admin).get(PAGE).content.decode()

    assert "learner@example.org" in html
    assert withdraw_url(enrolment) in html


def test_withdrawing_a_learner(outline: Outline, people: People) -> None:
    enrolment, _ = enrol_learner(course=outline.course, user=people.learner)

    response = client_for(people.instructor).post(withdraw_url(enrolment))

    assert response.status_code == 302
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.WITHDRAWN


def test_a_teaching_assistant_sees_the_list_but_may_not_enrol_or_withdraw(
    outline: Outline, people: People
) -> None:
    enrolment, _ = enrol_learner(course=outline.course, user=people.learner)
    client = client_for(people.ta)

    page = client.get(PAGE)
    enrolled = client.post(PAGE, {"emails": "fresh@example.org"})
    withdrawn = client.post(withdraw_url(enrolment))

    assert page.status_code == 200
    assert withdraw_url(enrolment) not in page.content.decode()
    assert (enrolled.status_code, withdrawn.status_code) == (403, 403)
    assert list(Enrolment.objects.values_list("user__email", "status")) == [
        ("learner@example.org", "active")
    ]
    assert not User.objects.filter(email="fresh@example.org").exists()


def test_a_learner_may_not_enrol_others(outline: Outline, people: People) -> None:
    response = client_for(people.learner).post(PAGE, {"emails": "fresh@example.org"})

    assert response.status_code == 403
    assert Enrolment.objects.count() == 0
    assert not User.objects.filter(email="fresh@example.org").exists()


def test_an_enrolment_of_another_course_cannot_be_withdrawn_here(
    outline: Outline, people: People
) -> None:
    other = make_course(outline.course.org, slug="other")
    enrolment, _ = enrol_learner(course=other, user=people.learner)

    response = client_for(people.instructor).post(withdraw_url(enrolment))

    assert response.status_code == 404
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.ACTIVE
