"""Only a ``DomainError`` reaches the client as a refusal with its message; any other exception
is a bug of ours: a 500 with a generic JSON body, the traceback in the log."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from cadenza.accounts.models import User
from cadenza.api.errors import SERVER_ERROR
from cadenza.learning.models import UnitProgress
from cadenza.lib.errors import DomainError
from tests.api.conftest import API, Outline, People, api_as
from tests.factories import enrol

pytestmark = pytest.mark.django_db

COURSE = "/orgs/harbour/courses/sepsis"


def test_a_domain_refusal_is_a_400_with_its_message_and_writes_nothing(
    people: People, outline: Outline
) -> None:
    enrol(outline.course, people.learner)

    response = api_as(people.learner).post(f"{COURSE}/units/{outline.units[2].pk}/complete")

    assert response.status_code == 400
    assert response.json() == {"detail": "A knowledge check is completed by passing it."}
    assert not UnitProgress.objects.filter(unit=outline.units[2]).exists()


def test_a_refusal_raised_as_a_domain_error_reaches_the_client(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**_: object) -> User:
        raise DomainError("Your profile is locked by your organization.")

    monkeypatch.setattr("cadenza.api.accounts.update_profile", refuse)

    response = api_as(people.learner).patch("/me", {"display_name": "Changed"})

    assert response.status_code == 400
    assert response.json() == {"detail": "Your profile is locked by your organization."}


def test_an_unexpected_value_error_is_a_500_without_its_message_and_is_logged(
    people: People, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def bug(**_: object) -> User:
        raise ValueError("invalid literal for int() with base 10: 'secret-internal'")

    monkeypatch.setattr("cadenza.api.accounts.update_profile", bug)
    client = Client(raise_request_exception=False)
    client.force_login(people.learner)

    with caplog.at_level(logging.ERROR, logger="cadenza.api"):
        response = client.patch(
            f"{API}/me", data='{"display_name": "Changed"}', content_type="application/json"
        )

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"detail": SERVER_ERROR}
    assert b"secret-internal" not in response.content
    logged = [r for r in caplog.records if r.name == "cadenza.api"]
    assert [r.getMessage() for r in logged] == ["API PATCH /api/v1/me: unhandled ValueError"]
    assert logged[0].exc_info is not None
    people.learner.refresh_from_db()
    assert people.learner.display_name == "Lea"


def test_a_domain_error_is_not_a_value_error() -> None:
    """So that ``except ValueError`` (Python's, a library's) never catches a person's refusal,
    and a handler of refusals never catches a bug."""
    assert not issubclass(DomainError, ValueError)
    assert str(DomainError("The chat is locked.")) == "The chat is locked."
