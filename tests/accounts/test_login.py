"""Logging in by e-mail and password, and logging out."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_login_page_asks_for_an_e_mail_address(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<label for="id_username">E-mail address:</label>' in response.content.decode()


def test_person_logs_in_with_e_mail_in_any_case(client: Client) -> None:
    user = make_user(email="bo@example.org")
    response = client.post(reverse("login"), {"username": "  BO@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session[SESSION_KEY] == str(user.pk)


def test_wrong_password_is_refused_with_a_message(client: Client) -> None:
    make_user(email="bo@example.org")
    response = client.post(reverse("login"), {"username": "bo@example.org", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Please enter a correct email address and password. Note that both fields may be "
        "case-sensitive."
    ]
    assert SESSION_KEY not in client.session


def test_logout_by_post_ends_the_session(client: Client) -> None:
    client.force_login(make_user())
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session


def test_logout_by_get_is_refused_and_keeps_the_session(client: Client) -> None:
    user = make_user()
    client.force_login(user)
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert client.session[SESSION_KEY] == str(user.pk)
