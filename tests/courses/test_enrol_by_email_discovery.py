"""Enrolling by e-mail never tells an instructor whether an address has an account on the
platform (in any organization): the page and the API answer alike, and the person gets the
e-mail that fits (choose a password, or log in)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from cadenza.orgs.models import Organization
from tests.courses.conftest import Outline, People, client_for
from tests.factories import make_user

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

pytestmark = pytest.mark.django_db

PAGE = reverse("course_enrol_emails", kwargs={"org_slug": "harbour", "course_slug": "sepsis"})
API = "/api/v1/orgs/harbour/courses/sepsis/enrolments"


def _result_card(html: str) -> str:
    match = re.search(r'<div class="card enrol-result".*?</div>', html, re.S)
    assert match is not None, html
    return match.group(0)


def test_the_page_says_the_same_for_an_address_with_and_without_an_account(
    outline: Outline,
    people: People,
    other_org: Organization,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    make_user(other_org, email="has.account@example.org")
    client = client_for(people.instructor)
    answers = []
    for address in ("has.account@example.org", "no.account@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(PAGE, {"emails": address})
        answers.append((response.status_code, _result_card(response.content.decode())))
    assert answers[0] == answers[1]
    assert answers[0][0] == 200
    assert "New accounts" not in answers[0][1]

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["has.account@example.org"], "You are enrolled in Sepsis basics on Cadenza"),
        (["no.account@example.org"], "You are enrolled in Sepsis basics on Cadenza"),
    ]
    assert "http://testserver/accounts/login/" in mailoutbox[0].body
    assert "choose your password" not in mailoutbox[0].body
    assert re.search(r"http://testserver/accounts/reset/\S+/\S+/", str(mailoutbox[1].body))
    assert "choose your password" in mailoutbox[1].body


def test_the_api_says_the_same_for_an_address_with_and_without_an_account(
    outline: Outline,
    people: People,
    other_org: Organization,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    make_user(other_org, email="has.account@example.org")
    client = client_for(people.instructor)
    answers = []
    for address in ("has.account@example.org", "no.account@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                API, data=json.dumps({"emails": [address]}), content_type="application/json"
            )
        answers.append((response.status_code, response.content.decode().replace(address, "@")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 200
    assert json.loads(answers[0][1]) == {
        "enrolled": ["@"],
        "already_enrolled": [],
        "new_members": ["@"],
    }
    assert [m.to for m in mailoutbox] == [["has.account@example.org"], ["no.account@example.org"]]


def test_enrolling_someone_already_enrolled_sends_nothing_again(
    outline: Outline,
    people: People,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    client = client_for(people.instructor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PAGE, {"emails": "learner@example.org"})
        client.post(PAGE, {"emails": "learner@example.org"})
    assert [m.to for m in mailoutbox] == [["learner@example.org"]]
