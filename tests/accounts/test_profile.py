"""A person edits their own name, time zone and language."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cadenza.accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _state(user: User) -> tuple[str, str, str]:
    user.refresh_from_db()
    return (user.display_name, user.time_zone, user.locale)


def test_profile_needs_a_signed_in_person(client: Client) -> None:
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('profile')}"


def test_profile_shows_the_current_values(client: Client) -> None:
    user = make_user(display_name="Chen Wei", time_zone="Asia/Shanghai")
    client.force_login(user)
    response = client.get(reverse("profile"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Chen Wei"' in html
    assert '<option value="Asia/Shanghai" selected>Asia/Shanghai</option>' in html


def test_person_changes_name_zone_and_language(client: Client) -> None:
    user = make_user(display_name="Chen", time_zone="UTC")
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {"display_name": " Chen Wei ", "time_zone": "Europe/Berlin", "locale": "de"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("profile")
    assert _state(user) == ("Chen Wei", "Europe/Berlin", "de")


def test_a_person_whose_address_has_an_apostrophe_changes_their_profile(client: Client) -> None:
    """Django's username rule (no apostrophe) is not the account's: saving the profile of
    o'brien@example.ie used to fail on the username, which is the address."""
    user = make_user(email="o'brien@example.ie", display_name="Aoife", time_zone="UTC")
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {"display_name": "Aoife O'Brien", "time_zone": "Europe/Dublin", "locale": "en"},
    )
    assert response.status_code == 302
    assert _state(user) == ("Aoife O'Brien", "Europe/Dublin", "en")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"display_name": "X", "time_zone": "Europe/Atlantis", "locale": "en"}, "time_zone"),
        ({"display_name": "X", "time_zone": "UTC", "locale": "tlh"}, "locale"),
    ],
)
def test_invalid_zone_or_language_is_rejected_and_nothing_changes(
    client: Client, data: dict[str, str], field: str
) -> None:
    user = make_user(display_name="Chen", time_zone="Asia/Shanghai")
    client.force_login(user)
    response = client.post(reverse("profile"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith("Select a valid choice.")
    assert _state(user) == ("Chen", "Asia/Shanghai", "en")
