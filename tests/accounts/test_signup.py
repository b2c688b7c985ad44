"""Creating an account: e-mail, name, time zone and a password checked by Django's rules."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from cadenza.accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "lantern-orchard-42"


def _signup(client: Client, **overrides: str) -> object:
    data = {
        "email": "Ana.Lima@Example.org ",
        "display_name": "Ana Lima",
        "time_zone": "America/Sao_Paulo",
        "detected_time_zone": "",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
        **overrides,
    }
    return client.post(reverse("signup"), data)


def test_signup_page_offers_every_field_with_a_label(client: Client) -> None:
    response = client.get(reverse("signup"))
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("email", "display_name", "time_zone", "password1", "password2"):
        assert f'for="id_{field}"' in html
    assert '<option value="Europe/Paris">Europe/Paris</option>' in html
    assert 'type="hidden" name="detected_time_zone"' in html


def test_signup_creates_the_account_and_signs_the_person_in(client: Client) -> None:
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get()
    assert (user.email, user.username, user.display_name, user.time_zone) == (
        "ana.lima@example.org",
        "ana.lima@example.org",
        "Ana Lima",
        "America/Sao_Paulo",
    )
    assert user.check_password(GOOD_PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)


def test_signup_without_a_chosen_zone_uses_the_zone_the_device_reports(client: Client) -> None:
    _signup(client, time_zone="", detected_time_zone="Europe/Paris")
    assert User.objects.get().time_zone == "Europe/Paris"


def test_signup_with_an_unknown_device_zone_falls_back_to_utc(client: Client) -> None:
    _signup(client, time_zone="", detected_time_zone="Mars/Olympus_Mons")
    assert User.objects.get().time_zone == "UTC"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
        ({"password2": "something-else-42"}, "password2", "The two passwords differ."),
        (
            {"password1": "short", "password2": "short"},
            "password1",
            "This password is too short. It must contain at least 8 characters.",
        ),
        (
            {"password1": "password", "password2": "password"},
            "password1",
            "This password is too common.",
        ),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Select a valid choice."),
    ],
)
def test_signup_with_bad_input_shows_the_error_and_creates_nothing(
    client: Client, overrides: dict[str, str], field: str, message: str
) -> None:
    response = _signup(client, **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(error.startswith(message) for error in errors), errors
    assert User.objects.count() == 0
    assert SESSION_KEY not in client.session


def test_signup_with_an_e_mail_already_in_use_is_a_form_error(client: Client) -> None:
    existing = make_user(email="ana.lima@example.org")
    response = _signup(client, email="ANA.LIMA@example.org")
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "An account with this e-mail address already exists. Log in, or reset your password "
        "if you have forgotten it."
    ]
    assert list(User.objects.values_list("pk", flat=True)) == [existing.pk]
