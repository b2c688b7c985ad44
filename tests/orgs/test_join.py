"""Joining an organization that lets anyone with an account in, as a learner."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cadenza.orgs.models import Membership, Role
from tests.factories import make_org, make_user

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
