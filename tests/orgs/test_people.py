"""The people page: admins list, add, re-role and remove members; nobody else may."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.notifications.models import OutboxEmail
from cadenza.orgs.actions import invite_people
from cadenza.orgs.models import Membership, Role
from tests.factories import make_user
from tests.orgs.conftest import Staff, snapshot

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

pytestmark = pytest.mark.django_db


def _people_url(staff: Staff) -> str:
    return reverse("org_people", args=[staff.org.slug])


def _membership(staff: Staff, user: User) -> Membership:
    return Membership.objects.get(org=staff.org, user=user)


def test_admin_sees_every_member_with_role_and_time_zone(client: Client, staff: Staff) -> None:
    client.force_login(staff.admin)
    response = client.get(_people_url(staff))
    assert response.status_code == 200
    rows = [(m.user.email, m.role, m.user.time_zone) for m in response.context["people"]]
    assert rows == [
        ("admin@example.org", "admin", "UTC"),
        ("ines@example.org", "instructor", "UTC"),
        ("lea@example.org", "learner", "Pacific/Auckland"),
        ("tariq@example.org", "ta", "UTC"),
    ]
    html = response.content.decode()
    assert "<td>Pacific/Auckland</td>" in html
    assert '<label for="id_emails">E-mail addresses:</label>' in html


@pytest.mark.parametrize("who", ["learner", "instructor", "ta"])
def test_people_page_is_forbidden_to_non_admins_and_changes_nothing(
    client: Client, staff: Staff, who: str
) -> None:
    client.force_login(getattr(staff, who))
    before = snapshot()
    learner_membership = _membership(staff, staff.learner)
    admin_membership = _membership(staff, staff.admin)
    responses = [
        client.get(_people_url(staff)),
        client.post(_people_url(staff), {"emails": "new@example.org", "role": "admin"}),
        client.post(
            reverse("org_member_role", args=[staff.org.slug, learner_membership.pk]),
            {"role": "admin"},
        ),
        client.post(reverse("org_member_remove", args=[staff.org.slug, admin_membership.pk])),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert snapshot() == before


def test_admin_adds_existing_accounts_and_invites_unknown_addresses(
    client: Client,
    staff: Staff,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    outsider = make_user(email="olu@example.org")
    client.force_login(staff.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _people_url(staff),
            {"emails": "Olu@Example.org\n\nnew.nurse@example.org, lea@example.org", "role": "ta"},
        )
    assert response.status_code == 302
    assert response["Location"] == _people_url(staff)
    assert _membership(staff, outsider).role == "ta"
    newcomer = User.objects.get(email="new.nurse@example.org")
    assert _membership(staff, newcomer).role == "ta"
    assert not newcomer.has_usable_password()
    assert _membership(staff, staff.learner).role == "learner"
    assert list(OutboxEmail.objects.values_list("to", "org_id")) == [
        ("olu@example.org", staff.org.pk),
        ("new.nurse@example.org", staff.org.pk),
    ]
    assert [m.subject for m in mailoutbox] == [
        "You are invited to Riverside Clinic on Cadenza",
        "You are invited to Riverside Clinic on Cadenza",
    ]
    assert "http://testserver/accounts/login/" in mailoutbox[0].body
    assert "/accounts/reset/" not in mailoutbox[0].body
    assert "choose your password" in mailoutbox[1].body
    follow = client.get(reverse("org_people", args=[staff.org.slug]))
    assert [str(m) for m in follow.context["messages"]] == [
        "Added 2 (each was sent an e-mail); already members: lea@example.org."
    ]


def test_invitation_link_lets_the_new_person_choose_a_password(
    client: Client,
    staff: Staff,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        invite_people(
            org=staff.org,
            emails=["new.nurse@example.org"],
            role=Role.LEARNER,
            invited_by=staff.admin,
        )
    match = re.search(r"http://testserver(/accounts/reset/\S+/)", str(mailoutbox[0].body))
    assert match is not None
    visitor = Client()
    response = visitor.get(match.group(1), follow=True)
    assert response.context["validlink"] is True
    visitor.post(
        response.request["PATH_INFO"],
        {"new_password1": "harbour-lights-77", "new_password2": "harbour-lights-77"},
    )
    assert User.objects.get(email="new.nurse@example.org").check_password("harbour-lights-77")


def test_new_accounts_start_in_the_organizations_time_zone(staff: Staff) -> None:
    staff.org.time_zone = "Europe/Lisbon"
    staff.org.save()
    invite_people(
        org=staff.org, emails=["new@example.org"], role=Role.LEARNER, invited_by=staff.admin
    )
    assert User.objects.get(email="new@example.org").time_zone == "Europe/Lisbon"


def test_a_bad_line_in_the_list_is_a_form_error_and_nobody_is_added(
    client: Client, staff: Staff
) -> None:
    client.force_login(staff.admin)
    before = snapshot()
    response = client.post(
        _people_url(staff),
        {"emails": "good@example.org\nnot an address@\nother@example.org", "role": "learner"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["emails"] == [
        "These are not e-mail addresses: “not an address@”. Correct them and try again; "
        "nobody was added."
    ]
    assert snapshot() == before


def test_invite_action_with_a_bad_line_writes_nothing(staff: Staff) -> None:
    before = snapshot()
    result = invite_people(
        org=staff.org,
        emails=["good@example.org", "bad@@example"],
        role=Role.LEARNER,
        invited_by=staff.admin,
    )
    assert (result.added, result.already_members, result.invalid) == ([], [], ["bad@@example"])
    assert snapshot() == before


def test_empty_list_is_a_form_error(client: Client, staff: Staff) -> None:
    client.force_login(staff.admin)
    response = client.post(_people_url(staff), {"emails": " \n , ", "role": "learner"})
    assert response.status_code == 400
    assert response.context["form"].errors["emails"] == ["Enter at least one e-mail address."]


def test_admin_changes_a_members_role(client: Client, staff: Staff) -> None:
    client.force_login(staff.admin)
    membership = _membership(staff, staff.learner)
    response = client.post(
        reverse("org_member_role", args=[staff.org.slug, membership.pk]), {"role": "instructor"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "instructor"


def test_unknown_role_is_refused(client: Client, staff: Staff) -> None:
    client.force_login(staff.admin)
    membership = _membership(staff, staff.learner)
    response = client.post(
        reverse("org_member_role", args=[staff.org.slug, membership.pk]), {"role": "owner"}
    )
    assert response.status_code == 400
    assert response.context["error"] == "Choose one of the listed roles."
    membership.refresh_from_db()
    assert membership.role == "learner"


def test_admin_removes_a_member_and_keeps_their_account(client: Client, staff: Staff) -> None:
    client.force_login(staff.admin)
    membership = _membership(staff, staff.ta)
    response = client.post(reverse("org_member_remove", args=[staff.org.slug, membership.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=staff.ta.pk).exists()


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        (
            "org_member_role",
            {"role": "learner"},
            "You cannot demote yourself: you are the last admin of Riverside Clinic. "
            "Make someone else an admin first.",
        ),
        (
            "org_member_remove",
            {},
            "You cannot remove yourself: you are the last admin of Riverside Clinic. "
            "Make someone else an admin first.",
        ),
    ],
)
def test_last_admin_cannot_demote_or_remove_themselves(
    client: Client, staff: Staff, action: str, data: dict[str, str], message: str
) -> None:
    client.force_login(staff.admin)
    membership = _membership(staff, staff.admin)
    before = snapshot()
    response = client.post(reverse(action, args=[staff.org.slug, membership.pk]), data)
    assert response.status_code == 400
    assert response.context["error"] == message
    assert message in response.content.decode()
    assert snapshot() == before


def test_an_admin_may_step_down_when_another_admin_remains(client: Client, staff: Staff) -> None:
    second = make_user(staff.org, Role.ADMIN)
    client.force_login(staff.admin)
    membership = _membership(staff, staff.admin)
    response = client.post(
        reverse("org_member_role", args=[staff.org.slug, membership.pk]), {"role": "instructor"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "instructor"
    assert list(
        Membership.objects.filter(org=staff.org, role=Role.ADMIN).values_list("user", flat=True)
    ) == [second.pk]


def test_adding_people_says_the_same_whether_or_not_they_have_an_account(
    client: Client,
    staff: Staff,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    make_user(email="has.account@example.org")
    client.force_login(staff.admin)
    answers = []
    for address in ("has.account@example.org", "no.account@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(_people_url(staff), {"emails": address, "role": "learner"})
        follow = client.get(response["Location"])
        answers.append(
            (
                response.status_code,
                response["Location"],
                [str(m) for m in follow.context["messages"]],
            )
        )
    assert answers[0] == answers[1]
    assert answers[0][2] == ["Added 1 (each was sent an e-mail)."]
    assert [m.to for m in mailoutbox] == [["has.account@example.org"], ["no.account@example.org"]]
