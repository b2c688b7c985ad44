"""Enrolling someone by e-mail who has no account sends them an invitation to choose their
password, from the enrolments page itself (queued in the outbox, sent after commit), with
links on the site's configured address; following the link lets them in."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from pytest_django.fixtures import Settings

from cadenza.accounts.models import User
from cadenza.notifications.models import OutboxEmail
from tests.courses.conftest import Outline, People, client_for

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

pytestmark = pytest.mark.django_db


def test_enrolling_an_address_without_an_account_from_the_page_sends_an_invitation(
    outline: Outline,
    people: People,
    settings: Settings,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    settings.CADENZA_SITE_URL = "https://learn.example.org"
    page = f"/o/harbour/teach/courses/{outline.course.slug}/enrol/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.instructor).post(page, {"emails": "new.nurse@example.org"})
    assert response.status_code == 200
    said = "Everyone newly enrolled was sent an e-mail about the course."
    assert said in response.content.decode()
    assert OutboxEmail.objects.filter(to="new.nurse@example.org").count() == 1
    [message] = mailoutbox
    assert isinstance(message, EmailMultiAlternatives)
    assert message.to == ["new.nurse@example.org"]
    assert message.subject == "You are enrolled in Sepsis basics on Cadenza"
    assert len(message.alternatives) == 1  # and an HTML part
    match = re.search(r"https://learn\.example\.org(/accounts/reset/\S+/)", str(message.body))
    assert match is not None, message.body
    visitor = Client()
    response = visitor.get(match.group(1), follow=True)
    assert response.context["validlink"] is True
    visitor.post(
        response.request["PATH_INFO"],
        {"new_password1": "harbour-lights-77", "new_password2": "harbour-lights-77"},
    )
    assert User.objects.get(email="new.nurse@example.org").check_password("harbour-lights-77")
