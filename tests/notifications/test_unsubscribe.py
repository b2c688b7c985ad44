"""The one-click unsubscribe: no log-in, a signed token, a POST turns one kind's e-mail off;
a GET only asks; a tampered token is a clear 400 and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from cadenza.notifications.models import NotificationPreference
from cadenza.notifications.selectors import email_preferences
from cadenza.notifications.unsubscribe_tokens import make_token, unsubscribe_path
from tests.notifications.conftest import Team

pytestmark = pytest.mark.django_db


def choice(team: Team, kind: str) -> str:
    return next(p.email.value for p in email_preferences(team.ana.pk) if p.kind.key == kind)


def test_one_click_post_turns_off_that_kind_only_without_logging_in(team: Team) -> None:
    client = Client(enforce_csrf_checks=True)  # a mail program sends no CSRF token
    path = unsubscribe_path(user_id=team.ana.pk, kind="tests.reply")
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200  # RFC 8058 3.2: no redirect
    assert "no more e-mails about “Replies in threads you follow”" in response.content.decode()
    assert choice(team, "tests.reply") == "off"
    assert choice(team, "live.reminder") == "immediate"
    assert list(NotificationPreference.objects.values_list("user_id", "kind", "email")) == [
        (team.ana.pk, "tests.reply", "off")
    ]
    # Again: still off, still one row.
    assert client.post(path).status_code == 200
    assert NotificationPreference.objects.count() == 1


def test_opening_the_link_only_asks(team: Team) -> None:
    response = Client().get(unsubscribe_path(user_id=team.ana.pk, kind="tests.reply"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Stop e-mails about “Replies in threads you follow”?" in page
    assert '<form method="post">' in page
    assert NotificationPreference.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_is_refused_and_nothing_changes(team: Team, method: str) -> None:
    token = make_token(user_id=team.ana.pk, kind="tests.reply")
    forged = make_token(user_id=team.ben.pk, kind="tests.reply").split(":")[0]
    signature = token.rsplit(":", 1)[1]
    for bad in (
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature altered
        f"{forged}:{signature}",  # someone else's id under Ana's signature
        token.split(":")[0],  # no signature
        "nonsense",
    ):
        response = getattr(Client(), method)(f"/notifications/unsubscribe/{bad}/")
        assert response.status_code == 400, bad
        assert "This unsubscribe link is not valid" in response.content.decode()
        assert "Nothing was changed." in response.content.decode()
    assert NotificationPreference.objects.count() == 0


def test_a_token_signed_for_something_else_is_refused(team: Team) -> None:
    from django.core import signing

    other = signing.Signer(salt="something.else").sign_object(
        {"u": team.ana.pk, "k": "tests.reply"}
    )
    assert Client().post(f"/notifications/unsubscribe/{other}/").status_code == 400
    assert NotificationPreference.objects.count() == 0


def test_a_kind_no_longer_registered_is_refused(team: Team) -> None:
    path = unsubscribe_path(user_id=team.ana.pk, kind="gone.kind")
    response = Client().post(path)
    assert response.status_code == 400
    assert "no longer applies" in response.content.decode()
    assert NotificationPreference.objects.count() == 0
