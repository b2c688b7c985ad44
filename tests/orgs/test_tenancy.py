"""Another organization's pages answer 404, exactly like pages that do not exist."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cadenza.orgs.models import Membership, Role
from tests.factories import make_org, make_user
from tests.orgs.conftest import snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.ADMIN, Role.LEARNER])
def test_member_of_one_org_gets_404_on_every_page_of_another(client: Client, role: Role) -> None:
    org_a = make_org("org-a")
    org_b = make_org("org-b")
    make_user(org_b, Role.ADMIN)
    target = Membership.objects.get(org=org_b)
    client.force_login(make_user(org_a, role))
    before = snapshot()
    b = org_b.slug
    responses = {
        "people GET": client.get(reverse("org_people", args=[b])),
        "people POST": client.post(
            reverse("org_people", args=[b]), {"emails": "x@example.org", "role": "admin"}
        ),
        "role": client.post(reverse("org_member_role", args=[b, target.pk]), {"role": "ta"}),
        "remove": client.post(reverse("org_member_remove", args=[b, target.pk])),
        "settings GET": client.get(reverse("org_settings", args=[b])),
        "settings POST": client.post(
            reverse("org_settings", args=[b]),
            {"name": "Taken", "time_zone": "UTC", "accent_colour": "#000000"},
        ),
        "join": client.post(reverse("org_join", args=[b])),
    }
    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 404)
    assert snapshot() == before
    org_b.refresh_from_db()
    assert org_b.name != "Taken"


def test_admin_cannot_reach_another_orgs_member_through_their_own_org(client: Client) -> None:
    org_a = make_org("org-a")
    org_b = make_org("org-b")
    admin_a = make_user(org_a, Role.ADMIN)
    make_user(org_b, Role.ADMIN)
    foreign = make_user(org_b, Role.LEARNER)
    foreign_membership = Membership.objects.get(org=org_b, user=foreign)
    client.force_login(admin_a)
    before = snapshot()
    role = client.post(
        reverse("org_member_role", args=[org_a.slug, foreign_membership.pk]), {"role": "admin"}
    )
    remove = client.post(reverse("org_member_remove", args=[org_a.slug, foreign_membership.pk]))
    assert (role.status_code, remove.status_code) == (404, 404)
    assert snapshot() == before


def test_visitor_is_sent_to_log_in(client: Client) -> None:
    org = make_org()
    url = reverse("org_people", args=[org.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
