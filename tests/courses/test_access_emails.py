"""The two e-mails that give someone access by their address, an invitation to an
organization and an enrolment in a course, say what fits in the same words
(``cadenza.accounts.access_email``): a link to choose a password for an account made just
now, the log-in link for an existing account."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail

from cadenza.courses.actions import enrol_by_emails
from cadenza.orgs.actions import invite_people
from cadenza.orgs.models import Organization, Role
from tests.courses.conftest import Outline, People
from tests.factories import make_user

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

pytestmark = pytest.mark.django_db

CHOOSE_A_PASSWORD = """Open this link to choose your password and sign in:

http://testserver/accounts/reset/LINK/

The link works for a few days. If it has expired, use "Forgotten your password?" on the
log-in page with this address to get a new one.
"""


SendBoth = Callable[[str, str], list[str]]


@pytest.fixture
def send_both(
    outline: Outline,
    people: People,
    org: Organization,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> SendBoth:
    """Invite one address to the organization (by its admin), enrol another in the course (by
    its instructor); answers the two e-mails' bodies, the password links' secrets elided."""

    def send(invited: str, enrolled: str) -> list[str]:
        with django_capture_on_commit_callbacks(execute=True):
            invite_people(
                org=org,
                emails=[invited],
                role=Role.LEARNER,
                invited_by=people.admin,
            )
            enrol_by_emails(
                course=outline.course,
                emails=[enrolled],
                enrolled_by=people.instructor,
            )
        assert [m.to for m in mailoutbox] == [[invited], [enrolled]]
        return [
            re.sub(r"/accounts/reset/\S+/\S+/", "/accounts/reset/LINK/", str(m.body))
            for m in mailoutbox
        ]

    return send


def test_a_new_account_is_offered_a_password_in_the_same_words_by_both_emails(
    send_both: SendBoth, people: People, org: Organization
) -> None:
    people.admin.display_name = "Ada Admin"
    people.admin.save()
    people.instructor.display_name = "Ivo Instructor"
    people.instructor.save()
    assert send_both("new.nurse@example.org", "new.doctor@example.org") == [
        f"Hello,\n\nAda Admin added you to {org.name} on Cadenza, with the address "
        f"new.nurse@example.org.\n\n{CHOOSE_A_PASSWORD}\n",
        'Hello,\n\nIvo Instructor enrolled you in "Sepsis basics" at '
        f"{org.name} on Cadenza, with\nthe address new.doctor@example.org.\n\n"
        f"{CHOOSE_A_PASSWORD}\n",
    ]


def test_an_existing_account_is_sent_the_log_in_link_by_both_emails(
    send_both: SendBoth, other_org: Organization
) -> None:
    make_user(other_org, email="has.account@example.org")
    make_user(other_org, email="also.has.one@example.org")
    bodies = send_both("has.account@example.org", "also.has.one@example.org")
    assert [body.split("\n\n", 2)[2] for body in bodies] == [
        "Log in to find it among your organizations:\n\nhttp://testserver/accounts/login/\n\n",
        "Log in to start:\n\nhttp://testserver/accounts/login/\n\n",
    ]
