"""Joining an organization that lets anyone with an account in, as a learner."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.courses.actions import enrol_learner
from cadenza.courses.models import Enrolment
from cadenza.orgs.actions import add_member, invite_people, remove_member
from cadenza.orgs.models import Membership, Organization, Removal, Role
from tests.factories import make_course, make_org, make_user

pytestmark = pytest.mark.django_db


def test_signed_in_person_joins_an_open_organization_as_learner(client: Client) -> None:
    org = make_org("open-campus", allow_self_join=True)
    person = make_user()
    client.force_login(person)
    page = client.get(reverse("org_join", args=[org.slug]))
    assert page.status_code == 200
    assert f'action="{reverse("org_join", args=[org.slug])}"' in page.content.decode()
    response = client.post(reverse("org_join", args=[org.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard", args=[org.slug])
    assert list(Membership.objects.filter(org=org).values_list("user", "role")) == [
        (person.pk, "learner")
    ]


def test_organization_closed_to_self_join_answers_404_and_adds_nobody(client: Client) -> None:
    org = make_org("closed", allow_self_join=False)
    client.force_login(make_user())
    assert client.get(reverse("org_join", args=[org.slug])).status_code == 404
    assert client.post(reverse("org_join", args=[org.slug])).status_code == 404
    assert Membership.objects.filter(org=org).count() == 0


def test_unknown_organization_answers_404(client: Client) -> None:
    client.force_login(make_user())
    assert client.post(reverse("org_join", args=["no-such-org"])).status_code == 404


def test_joining_again_keeps_a_members_role(client: Client) -> None:
    org = make_org(allow_self_join=True)
    admin = make_user(org, Role.ADMIN)
    client.force_login(admin)
    response = client.post(reverse("org_join", args=[org.slug]))
    assert response.status_code == 302
    assert Membership.objects.get(org=org, user=admin).role == "admin"


def test_visitor_must_log_in_before_joining(client: Client) -> None:
    org = make_org(allow_self_join=True)
    url = reverse("org_join", args=[org.slug])
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    assert Membership.objects.filter(org=org).count() == 0


REMOVED = (
    "An admin of Open campus removed you from it, so you cannot join again by yourself. "
    "Ask an admin to invite you again."
)


def _removed_learner_with_an_enrolment() -> tuple[Organization, User, User, Enrolment]:
    org = make_org("open-campus", name="Open campus", allow_self_join=True)
    admin = make_user(org, Role.ADMIN, email="admin@example.org")
    learner = make_user(org, Role.LEARNER, email="mallory@example.org")
    course = make_course(org, title="Sepsis basics", slug="sepsis")
    enrolment, _ = enrol_learner(course=course, user=learner)
    membership = Membership.objects.get(org=org, user=learner)
    remove_member(org=org, membership_id=membership.pk, removed_by=admin)
    return org, admin, learner, enrolment


def test_a_removed_member_cannot_join_again_by_herself_and_nothing_changes(
    client: Client,
) -> None:
    org, admin, learner, enrolment = _removed_learner_with_an_enrolment()
    status_before = enrolment.status
    client.force_login(learner)

    page = client.get(reverse("org_join", args=[org.slug]))
    assert page.status_code == 200
    assert REMOVED in page.content.decode()
    assert f'action="{reverse("org_join", args=[org.slug])}"' not in page.content.decode()

    response = client.post(reverse("org_join", args=[org.slug]))
    assert response.status_code == 403
    assert REMOVED in response.content.decode()
    assert not Membership.objects.filter(org=org, user=learner).exists()
    assert list(Removal.objects.values_list("org", "user", "removed_by")) == [
        (org.pk, learner.pk, admin.pk)
    ]
    enrolment.refresh_from_db()
    assert enrolment.status == status_before
    assert client.get(reverse("dashboard", args=[org.slug])).status_code == 404


def test_an_admins_invitation_lifts_the_removal(client: Client) -> None:
    org, admin, learner, _enrolment = _removed_learner_with_an_enrolment()
    invite_people(org=org, emails=["mallory@example.org"], role=Role.LEARNER, invited_by=admin)
    assert not Removal.objects.exists()
    assert Membership.objects.get(org=org, user=learner).role == Role.LEARNER

    remove_member(
        org=org,
        membership_id=Membership.objects.get(org=org, user=learner).pk,
        removed_by=admin,
    )
    add_member(org=org, user=learner, role=Role.LEARNER)
    assert not Removal.objects.exists()


def test_someone_never_removed_still_joins(client: Client) -> None:
    org, _admin, _learner, _enrolment = _removed_learner_with_an_enrolment()
    newcomer = make_user(email="new@example.org")
    client.force_login(newcomer)
    assert client.post(reverse("org_join", args=[org.slug])).status_code == 302
    assert Membership.objects.get(org=org, user=newcomer).role == Role.LEARNER
