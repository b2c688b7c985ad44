"""Creating an account: e-mail, name, time zone and a password checked by Django's rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from cadenza.accounts.models import User
from tests.factories import make_user

if TYPE_CHECKING:  # the test client's response type exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "lantern-orchard-42"


def _text(page: bytes) -> str:
    """A page without what differs per visitor anyway (the CSRF token, a CSP nonce)."""
    return re.sub(r'("X-CSRFToken": "|nonce=")[^"]*"', r"\1…", page.decode())


def _signup(client: Client, **overrides: str) -> Response:
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


def test_signup_creates_the_account_and_asks_to_check_the_e_mail(
    client: Client,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("signup_sent")
    user = User.objects.get()
    assert (user.email, user.username, user.display_name, user.time_zone) == (
        "ana.lima@example.org",
        "ana.lima@example.org",
        "Ana Lima",
        "America/Sao_Paulo",
    )
    assert user.check_password(GOOD_PASSWORD)
    assert SESSION_KEY not in client.session
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["ana.lima@example.org"], "Welcome to Cadenza")
    ]
    assert "http://testserver/accounts/login/" in mailoutbox[0].body
    page = client.get(response["Location"])
    assert "<h1>Check your e-mail</h1>" in page.content.decode()


def test_signup_takes_an_address_with_an_apostrophe(client: Client) -> None:
    """The username is the e-mail address, so it follows the address's rule, not Django's
    username rule (letters, digits and @.+-_ only), which refused o'brien@example.ie."""
    response = _signup(client, email="O'Brien@Example.ie")

    assert response.status_code == 302
    user = User.objects.get()
    assert (user.email, user.username) == ("o'brien@example.ie", "o'brien@example.ie")
    login = client.post(
        reverse("login"), {"username": "O'Brien@example.ie", "password": GOOD_PASSWORD}
    )
    assert login.status_code == 302
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


def test_signup_answers_the_same_for_a_taken_address_and_mails_its_owner(
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    existing = make_user(email="ana.lima@example.org")
    password_before = existing.password
    answers = []
    for address in ("ANA.LIMA@example.org", "new.person@example.org"):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = _signup(client, email=address)
        page = client.get(response["Location"])
        answers.append(
            (response.status_code, response["Location"], page.status_code, _text(page.content))
        )
        assert SESSION_KEY not in client.session
    assert answers[0] == answers[1]

    existing.refresh_from_db()
    assert (existing.password, existing.display_name) == (password_before, "")
    assert User.objects.filter(email="ana.lima@example.org").count() == 1
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["ana.lima@example.org"], "Someone tried to sign up to Cadenza with your address"),
        (["new.person@example.org"], "Welcome to Cadenza"),
    ]
    assert "http://testserver/accounts/password-reset/" in mailoutbox[0].body
    assert "http://testserver/accounts/login/" in mailoutbox[0].body
