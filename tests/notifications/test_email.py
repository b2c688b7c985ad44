"""A notification's e-mail: plain text and HTML parts, links on the site's configured address
(never the request's host), and the one-click unsubscribe headers of RFC 8058."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from pytest_django.fixtures import Settings

from cadenza.config import settings as settings_module
from cadenza.lib.site_address import absolute_url
from cadenza.notifications.actions import queue_email
from cadenza.notifications.actions.dispatch import dispatch
from cadenza.notifications.unsubscribe_tokens import unsubscribe_path
from tests.notifications.conftest import Team, reply

CaptureCallbacks = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

pytestmark = pytest.mark.django_db


def sent_to_ana(
    team: Team, mailoutbox: list[mail.EmailMessage], capture: CaptureCallbacks
) -> EmailMultiAlternatives:
    with capture(execute=True):
        dispatch(reply(team, 1, team.ana))
    [message] = mailoutbox
    assert isinstance(message, EmailMultiAlternatives)
    return message


def test_a_notification_email_has_text_and_html_and_links_on_the_configured_address(
    team: Team,
    settings: Settings,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    settings.CADENZA_SITE_URL = "https://learn.example.org/"
    message = sent_to_ana(team, mailoutbox, django_capture_on_commit_callbacks)
    unsubscribe = "https://learn.example.org" + unsubscribe_path(
        user_id=team.ana.pk, kind="tests.reply"
    )
    assert message.subject == "New reply in thread 1"
    assert message.body == (
        "Hello Ana,\n\nReply 1.\n\nOpen: https://learn.example.org/o/harbour/threads/1/\n\n-- \n"
        'You get these e-mails for "Replies in threads you follow".\n'
        f"Stop them: {unsubscribe}\n"
        "Choose what you get: https://learn.example.org/notifications/preferences/\n"
    )
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert '<a href="https://learn.example.org/o/harbour/threads/1/">Open</a>' in str(html)
    assert f'<a href="{unsubscribe}">Stop them</a>' in str(html)
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_click_is_offered_only_on_an_https_address(
    team: Team,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    """RFC 8058 section 3.1: the one-click signal goes with an HTTPS address only; on the
    embedded default's plain http the ``List-Unsubscribe`` link is still there."""
    message = sent_to_ana(team, mailoutbox, django_capture_on_commit_callbacks)
    path = unsubscribe_path(user_id=team.ana.pk, kind="tests.reply")
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{path}>"
    assert "List-Unsubscribe-Post" not in message.extra_headers


def test_every_outbox_email_has_an_html_part_too(
    mailoutbox: list[mail.EmailMessage], django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(
            to="ana@example.org",
            subject="Welcome",
            body="Hello <Ana>,\n\nLog in: https://learn.example.org/accounts/login/\nThanks",
            dedupe_key="welcome:ana",
        )
    [message] = mailoutbox
    assert isinstance(message, EmailMultiAlternatives)
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<p>Hello &lt;Ana&gt;,</p>" in str(html)
    assert (
        '<p>Log in: <a href="https://learn.example.org/accounts/login/" rel="nofollow">'
        "https://learn.example.org/accounts/login/</a><br>\nThanks</p>"
    ) in str(html)


def test_absolute_links_are_made_in_one_place_from_the_configured_address(
    settings: Settings,
) -> None:
    settings.CADENZA_SITE_URL = "https://learn.example.org/"
    assert absolute_url("/o/harbour/") == "https://learn.example.org/o/harbour/"
    assert absolute_url("o/harbour/") == "https://learn.example.org/o/harbour/"


def test_the_site_address_is_derived_when_the_environment_names_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CADENZA_SITE_URL", raising=False)
    monkeypatch.setattr(settings_module, "ALLOWED_HOSTS", ["localhost", "learn.example.org"])
    monkeypatch.setattr(settings_module, "SECURE_HTTPS", True)
    assert settings_module._site_url() == "https://learn.example.org"
    monkeypatch.setattr(settings_module, "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
    assert settings_module._site_url() == "http://localhost:8000"
    monkeypatch.setenv("CADENZA_SITE_URL", "https://cadenza.example.net/")
    assert settings_module._site_url() == "https://cadenza.example.net"


def test_live_reminders_and_invitations_link_to_the_same_configured_site(
    settings: Settings,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    """The bug this fixes: reminders (a task) linked to http://localhost:8000 while an
    invitation (a page) used the request's host."""
    from cadenza.orgs.actions import invite_people
    from cadenza.orgs.models import Role
    from tests.factories import make_org, make_user

    settings.CADENZA_SITE_URL = "https://learn.example.org"
    org = make_org(slug="riverside")
    admin = make_user(org, Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        invite_people(org=org, emails=["new@example.org"], role=Role.LEARNER, invited_by=admin)
    [invitation] = mailoutbox
    assert "https://learn.example.org/accounts/reset/" in invitation.body
    assert "localhost" not in invitation.body
    assert "testserver" not in invitation.body
