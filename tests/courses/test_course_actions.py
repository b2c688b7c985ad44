"""Creating and describing courses, enrolling by e-mail, self-enrolment and withdrawing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cadenza.accounts.models import User
from cadenza.activity.models import Statement
from cadenza.courses.actions import (
    create_course,
    edit_course,
    enrol_by_emails,
    enrol_learner,
    publish_course,
    self_enrol,
    withdraw_learner,
)
from cadenza.courses.models import Course, Enrolment, EnrolmentStatus
from cadenza.orgs.models import Membership, Organization, Role
from cadenza.orgs.selectors import OrgContext
from tests.courses.conftest import Outline, People
from tests.factories import make_course, make_user

pytestmark = pytest.mark.django_db


def context(org: Organization, user: User) -> OrgContext:
    return OrgContext(org=org, user=user, role=Role(Membership.objects.get(user=user).role))


def statuses(course: Course) -> dict[str, str]:
    return dict(course.enrolments.values_list("user__email", "status"))


# Describing a course


def test_a_reserved_slug_is_refused(org: Organization) -> None:
    with pytest.raises(ValidationError) as caught:
        create_course(org=org, title="New", slug="new", created_by=None)

    assert list(caught.value.message_dict) == ["slug"]
    assert Course.objects.count() == 0


def test_a_slug_used_in_the_organization_is_refused_on_edit(outline: Outline) -> None:
    other = make_course(outline.course.org, title="Other", slug="other")

    with pytest.raises(ValidationError) as caught:
        edit_course(course=other, title="Other", slug="sepsis", summary="", open_enrolment=True)

    assert list(caught.value.message_dict) == ["slug"]
    other.refresh_from_db()
    assert (other.slug, other.open_enrolment) == ("other", False)


def test_the_same_slug_may_be_used_by_another_organization(
    outline: Outline, other_org: Organization
) -> None:
    course = create_course(org=other_org, title="Sepsis", slug="sepsis", created_by=None)

    assert course.slug == "sepsis"


def test_editing_a_course_saves_its_description(outline: Outline) -> None:
    edit_course(
        course=outline.course,
        title=" Sepsis essentials ",
        slug="sepsis-essentials",
        summary="**Early** signs",
        open_enrolment=True,
    )

    course = Course.objects.get(pk=outline.course.pk)
    assert (course.title, course.slug, course.summary, course.open_enrolment) == (
        "Sepsis essentials",
        "sepsis-essentials",
        "**Early** signs",
        True,
    )


# Enrolling by e-mail


def test_enrol_by_emails_enrols_members_creates_strangers_and_adds_outsiders(
    outline: Outline, people: People, other_org: Organization
) -> None:
    outsider = make_user(other_org, email="outsider@example.org")

    result = enrol_by_emails(
        course=outline.course,
        emails=[" Learner@Example.org ", "new.person@example.org", "outsider@example.org"],
        enrolled_by=people.instructor,
    )

    assert result.enrolled == (
        "learner@example.org",
        "new.person@example.org",
        "outsider@example.org",
    )
    assert result.already_enrolled == ()
    assert result.new_members == ("new.person@example.org", "outsider@example.org")
    newcomer = User.objects.get(email="new.person@example.org")
    assert not newcomer.has_usable_password()
    org = outline.course.org
    assert Membership.objects.get(org=org, user=newcomer).role == Role.LEARNER
    assert Membership.objects.get(org=org, user=outsider).role == Role.LEARNER
    assert statuses(outline.course) == {
        "learner@example.org": "active",
        "new.person@example.org": "active",
        "outsider@example.org": "active",
    }
    assert set(outline.course.enrolments.values_list("enrolled_by", flat=True)) == {
        people.instructor.pk
    }


def test_enrol_by_emails_keeps_a_staff_members_role(outline: Outline, people: People) -> None:
    enrol_by_emails(course=outline.course, emails=["ta@example.org"], enrolled_by=people.admin)

    assert Membership.objects.get(user=people.ta).role == Role.TA
    assert statuses(outline.course) == {"ta@example.org": "active"}


def test_enrol_by_emails_reports_people_already_enrolled_and_reactivates_withdrawn(
    outline: Outline, people: People
) -> None:
    enrol_learner(course=outline.course, user=people.learner)
    withdrawn = make_user(outline.course.org, email="back@example.org")
    withdraw_learner(enrolment=enrol_learner(course=outline.course, user=withdrawn)[0])

    result = enrol_by_emails(
        course=outline.course,
        emails=["learner@example.org", "back@example.org", "learner@example.org"],
        enrolled_by=people.instructor,
    )

    assert result.enrolled == ("back@example.org",)
    assert result.already_enrolled == ("learner@example.org",)
    assert statuses(outline.course) == {
        "learner@example.org": "active",
        "back@example.org": "active",
    }


def test_enrol_by_emails_with_a_bad_line_writes_nothing(outline: Outline, people: People) -> None:
    users_before = User.objects.count()
    statements_before = Statement.objects.count()

    with pytest.raises(ValidationError) as caught:
        enrol_by_emails(
            course=outline.course,
            emails=["learner@example.org", "someone@example.org", "not an address"],
            enrolled_by=people.instructor,
        )

    assert caught.value.messages == ["'not an address' is not a valid e-mail address."]
    assert Enrolment.objects.count() == 0
    assert User.objects.count() == users_before
    assert Statement.objects.count() == statements_before


def test_enrolling_records_one_registered_statement_per_new_enrolment(
    outline: Outline, people: People
) -> None:
    enrol_by_emails(
        course=outline.course, emails=["learner@example.org"], enrolled_by=people.instructor
    )
    enrol_by_emails(
        course=outline.course, emails=["learner@example.org"], enrolled_by=people.instructor
    )

    verbs = list(Statement.objects.filter(actor=people.learner).values_list("verb", flat=True))
    assert verbs == ["http://adlnet.gov/expapi/verbs/registered"]


def test_withdrawing_a_learner_keeps_the_row_as_withdrawn(outline: Outline, people: People) -> None:
    enrolment, _ = enrol_learner(course=outline.course, user=people.learner)

    withdraw_learner(enrolment=enrolment)

    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.WITHDRAWN


# Self-enrolment


@pytest.fixture
def open_course(outline: Outline) -> Course:
    edit_course(
        course=outline.course, title="Sepsis basics", slug="sepsis", summary="", open_enrolment=True
    )
    return publish_course(course=outline.course)


def test_a_learner_may_enrol_in_a_published_open_course(
    open_course: Course, people: People
) -> None:
    enrolment = self_enrol(context(open_course.org, people.learner), open_course)

    assert (enrolment.user_id, enrolment.status, enrolment.enrolled_by_id) == (
        people.learner.pk,
        EnrolmentStatus.ACTIVE,
        people.learner.pk,
    )


def test_self_enrolling_twice_returns_the_same_enrolment(
    open_course: Course, people: People
) -> None:
    ctx = context(open_course.org, people.learner)

    first = self_enrol(ctx, open_course)
    second = self_enrol(ctx, open_course)

    assert first.pk == second.pk
    assert Enrolment.objects.count() == 1


def test_a_learner_may_not_enrol_in_a_closed_course(outline: Outline, people: People) -> None:
    publish_course(course=outline.course)

    with pytest.raises(PermissionDenied):
        self_enrol(context(outline.course.org, people.learner), outline.course)

    assert Enrolment.objects.count() == 0


def test_a_learner_may_not_enrol_in_a_draft_course(outline: Outline, people: People) -> None:
    edit_course(
        course=outline.course, title="Sepsis basics", slug="sepsis", summary="", open_enrolment=True
    )

    with pytest.raises(PermissionDenied):
        self_enrol(context(outline.course.org, people.learner), outline.course)

    assert Enrolment.objects.count() == 0


def test_a_teaching_assistant_may_not_self_enrol(open_course: Course, people: People) -> None:
    with pytest.raises(PermissionDenied):
        self_enrol(context(open_course.org, people.ta), open_course)

    assert Enrolment.objects.count() == 0


def test_nobody_may_self_enrol_in_another_organizations_course(
    open_course: Course, other_org: Organization
) -> None:
    stranger = make_user(other_org)

    with pytest.raises(PermissionDenied):
        self_enrol(context(other_org, stranger), open_course)

    assert Enrolment.objects.count() == 0
