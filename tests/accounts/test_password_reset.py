"""Password reset by e-mail, delivered through the transactional outbox."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from cadenza.accounts.actions import create_user
from cadenza.notifications.models import OutboxEmail
from tests.factories import PASSWORD, make_user

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "violin-meadow-1912"


def _reset_link(message: mail.EmailMessage) -> str:
    match = re.search(r"http://testserver(/accounts/reset/\S+/)", str(message.body))
    assert match is not None, message.body
    return match.group(1)


def test_password_reset_queues_one_outbox_email_with_a_working_link(
    client: Client,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    user = make_user(email="dana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "Dana@Example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == ["dana@example.org"]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Choose a new password for Cadenza"

    response = client.get(_reset_link(mailoutbox[0]))
    assert response.status_code == 302
    set_password_url = response["Location"]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(PASSWORD)


def test_reset_for_an_unknown_address_sends_nothing_but_looks_the_same(
    client: Client,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert OutboxEmail.objects.count() == 0
    assert mailoutbox == []


def test_account_without_a_password_can_ask_for_a_link(
    client: Client,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    user = create_user(email="invited@example.org", password=None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "invited@example.org"})
    assert len(mailoutbox) == 1
    response = client.get(_reset_link(mailoutbox[0]), follow=True)
    client.post(
        response.request["PATH_INFO"],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_used_reset_link_no_longer_works(
    client: Client,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    user = make_user(email="dana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "dana@example.org"})
    link = _reset_link(mailoutbox[0])
    response = client.get(link, follow=True)
    client.post(
        response.request["PATH_INFO"],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    other = Client()
    response = other.get(link, follow=True)
    assert response.context["validlink"] is False
    assert SESSION_KEY not in other.session
    user.refresh_from_db()
    assert urlsplit(link).path.startswith("/accounts/reset/")
    assert user.check_password(NEW_PASSWORD)


USED_LINK = "This link was used or has expired"


def test_a_used_link_says_it_was_used_and_offers_no_form_again(
    client: Client,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    user = make_user(email="dana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "dana@example.org"})
    link = _reset_link(mailoutbox[0])
    set_password_url = client.get(link)["Location"]
    # A second tab (or the back button) still holds the form of the same link.
    assert client.get(set_password_url).context["validlink"] is True
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    for response in (
        client.get(link, follow=True),
        Client().get(link, follow=True),
        client.post(set_password_url, {"new_password1": "x-other-9", "new_password2": "x-other-9"}),
    ):
        page = response.content.decode()
        assert response.status_code == 200
        assert f"<h1>{USED_LINK}</h1>" in page
        assert "A link to choose a password works only once" in page
        assert 'name="new_password1"' not in page
        assert "Choose a new password" not in page
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_link_with_a_forged_token_says_it_was_used_or_has_expired(client: Client) -> None:
    user = make_user(email="dana@example.org")
    response = client.get(
        reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "abc-def"}),
        follow=True,
    )
    assert f"<h1>{USED_LINK}</h1>" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
