"""/me, /orgs and an organization's people through the API."""

from __future__ import annotations

import pytest

from cadenza.accounts.models import User
from cadenza.orgs.models import Membership, Organization, Role
from tests.api.conftest import People, api_as
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_me_describes_the_signed_in_person(people: People) -> None:
    response = api_as(people.learner).get("/me")

    assert response.status_code == 200
    assert response.json() == {
        "id": people.learner.pk,
        "email": "learner@example.org",
        "display_name": "Lea",
        "name": "Lea",
        "time_zone": "UTC",
        "locale": "en",
    }


def test_anonymous_callers_get_401_as_json(db: None) -> None:
    response = api_as(None).get("/me")

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_patching_me_changes_only_the_fields_sent(people: People) -> None:
    response = api_as(people.learner).patch("/me", {"time_zone": "Europe/Paris"})

    assert response.status_code == 200
    assert response.json()["time_zone"] == "Europe/Paris"
    people.learner.refresh_from_db()
    assert (people.learner.display_name, people.learner.time_zone, people.learner.locale) == (
        "Lea",
        "Europe/Paris",
        "en",
    )


def test_an_unknown_time_zone_is_refused_with_422_and_nothing_saved(people: People) -> None:
    response = api_as(people.learner).patch(
        "/me", {"display_name": "Changed", "time_zone": "Mars/Olympus"}
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "time_zone": ["'Mars/Olympus' is not a known time zone (for example Europe/Paris)."]
    }
    people.learner.refresh_from_db()
    assert (people.learner.display_name, people.learner.time_zone) == ("Lea", "UTC")


def test_an_unknown_locale_is_refused_with_422(people: People) -> None:
    response = api_as(people.learner).patch("/me", {"locale": "xx"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "locale: 'xx' is not a language this site offers.",
        "errors": {"locale": ["'xx' is not a language this site offers."]},
    }
    people.learner.refresh_from_db()
    assert people.learner.locale == "en"


def test_orgs_lists_my_memberships_with_my_role(
    people: People, org: Organization, other_org: Organization
) -> None:
    Membership.objects.create(org=other_org, user=people.learner, role=Role.TA)

    response = api_as(people.learner).get("/orgs")

    assert response.json() == [
        {"org": {"slug": "elsewhere", "name": "Elsewhere", "time_zone": "UTC"}, "role": "ta"},
        {
            "org": {"slug": "harbour", "name": "Harbour Hospital", "time_zone": "UTC"},
            "role": "learner",
        },
    ]


def test_admins_list_the_people_of_their_organization(people: People) -> None:
    response = api_as(people.admin).get("/orgs/harbour/people")

    assert response.status_code == 200
    assert [(p["person"]["email"], p["role"]) for p in response.json()] == [
        ("admin@example.org", "admin"),
        ("instructor@example.org", "instructor"),
        ("learner@example.org", "learner"),
        ("ta@example.org", "ta"),
    ]
    first = response.json()[0]
    membership = Membership.objects.get(user=people.admin)
    assert first["id"] == membership.pk
    assert first["person"] == {
        "id": people.admin.pk,
        "email": "admin@example.org",
        "name": "Ada Admin",
    }


def test_a_learner_may_not_list_people(people: People) -> None:
    response = api_as(people.learner).get("/orgs/harbour/people")

    assert response.status_code == 403
    assert response.json() == {"detail": "Your role does not allow this (manage_people)."}


def test_a_non_member_gets_404_for_the_organization(
    people: People, other_org: Organization
) -> None:
    response = api_as(people.admin).get("/orgs/elsewhere/people")

    assert response.status_code == 404
    assert response.json() == {"detail": "No such organization."}


def test_admins_invite_people_by_email(people: People, org: Organization) -> None:
    existing = make_user(email="known@example.org")

    response = api_as(people.admin).post(
        "/orgs/harbour/people",
        {"emails": ["Known@example.org", "new@example.org", "learner@example.org"], "role": "ta"},
    )

    assert response.status_code == 200
    assert response.json() == {
        "added": ["known@example.org", "new@example.org"],
        "already_members": ["learner@example.org"],
    }
    roles = dict(Membership.objects.filter(org=org).values_list("user__email", "role"))
    assert roles["known@example.org"] == "ta"
    assert roles["new@example.org"] == "ta"
    assert Membership.objects.get(org=org, user=existing).role == "ta"


def test_one_bad_address_invites_nobody(people: People, org: Organization) -> None:
    before = (User.objects.count(), Membership.objects.count())

    response = api_as(people.admin).post(
        "/orgs/harbour/people", {"emails": ["new@example.org", "not-an-address"]}
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": "emails.1: 'not-an-address' is not a valid e-mail address.",
        "errors": {"emails.1": ["'not-an-address' is not a valid e-mail address."]},
    }
    assert (User.objects.count(), Membership.objects.count()) == before


def test_an_unknown_role_is_refused_with_422(people: People) -> None:
    before = Membership.objects.count()

    response = api_as(people.admin).post(
        "/orgs/harbour/people", {"emails": ["new@example.org"], "role": "owner"}
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["role"]
    assert Membership.objects.count() == before


def test_a_learner_may_not_invite(people: People) -> None:
    before = Membership.objects.count()

    response = api_as(people.learner).post("/orgs/harbour/people", {"emails": ["x@example.org"]})

    assert response.status_code == 403
    assert Membership.objects.count() == before
    assert not User.objects.filter(email="x@example.org").exists()


def test_admins_change_a_members_role(people: People) -> None:
    membership = Membership.objects.get(user=people.learner)

    response = api_as(people.admin).patch(
        f"/orgs/harbour/people/{membership.pk}", {"role": "instructor"}
    )

    assert response.status_code == 200
    assert response.json()["role"] == "instructor"
    membership.refresh_from_db()
    assert membership.role == "instructor"


def test_the_last_admin_cannot_demote_themselves(people: People) -> None:
    membership = Membership.objects.get(user=people.admin)

    response = api_as(people.admin).patch(
        f"/orgs/harbour/people/{membership.pk}", {"role": "learner"}
    )

    assert response.status_code == 422
    assert response.json()["detail"] == (
        "You cannot demote yourself: you are the last admin of Harbour Hospital. "
        "Make someone else an admin first."
    )
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_a_learner_may_not_change_roles(people: People) -> None:
    membership = Membership.objects.get(user=people.learner)

    response = api_as(people.learner).patch(
        f"/orgs/harbour/people/{membership.pk}", {"role": "admin"}
    )

    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == "learner"


def test_another_organizations_membership_answers_404(
    people: People, other_org: Organization
) -> None:
    foreign = Membership.objects.create(org=other_org, user=make_user(), role=Role.LEARNER)

    changed = api_as(people.admin).patch(f"/orgs/harbour/people/{foreign.pk}", {"role": "admin"})
    removed = api_as(people.admin).delete(f"/orgs/harbour/people/{foreign.pk}")

    assert (changed.status_code, removed.status_code) == (404, 404)
    assert changed.json() == {"detail": "No such member."}
    foreign.refresh_from_db()
    assert foreign.role == "learner"


def test_admins_remove_a_member(people: People, org: Organization) -> None:
    membership = Membership.objects.get(user=people.ta)

    response = api_as(people.admin).delete(f"/orgs/harbour/people/{membership.pk}")

    assert response.status_code == 204
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=people.ta.pk).exists()


def test_a_learner_may_not_remove_anyone(people: People) -> None:
    membership = Membership.objects.get(user=people.ta)

    response = api_as(people.learner).delete(f"/orgs/harbour/people/{membership.pk}")

    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()
