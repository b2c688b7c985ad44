"""The log-in throttle: too many wrong passwords lock the account and the address for a while,
on the site's log-in page and the admin's, with a clear message; an admin lifts it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from asgiref.sync import sync_to_async
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.db import connections
from django.test import AsyncClient, Client
from django.urls import reverse
from pytest_django.fixtures import Settings

if TYPE_CHECKING:  # the test client's response type exists only in django-stubs
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

from cadenza.accounts.models import User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOCKED = (
    "Too many failed log-ins for this account or from this address. Wait a few minutes "
    "and try again, or reset your password."
)
WRONG = (
    "Please enter a correct email address and password. Note that both fields may be "
    "case-sensitive."
)


@pytest.fixture(autouse=True)
def _limit_of_three(settings: Settings) -> None:
    settings.AXES_FAILURE_LIMIT = 3


def _operator(email: str = "root@example.org") -> User:
    user = make_user(email=email)
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    user.refresh_from_db()
    return user


def _log_in(client: Client, email: str, password: str, url: str = "") -> Response:
    return client.post(url or reverse("login"), {"username": email, "password": password})


def _fail(client: Client, email: str, times: int, url: str = "") -> None:
    for _ in range(times):
        _log_in(client, email, "wrong-guess", url)


def test_wrong_passwords_below_the_limit_say_wrong_password() -> None:
    make_user(email="ana@example.org")
    client = Client(REMOTE_ADDR="10.0.0.1")
    _fail(client, "ana@example.org", 1)
    response = _log_in(client, "ana@example.org", "wrong-guess")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [WRONG]


def test_after_the_limit_the_right_password_is_refused_with_the_reason() -> None:
    make_user(email="ana@example.org")
    client = Client(REMOTE_ADDR="10.0.0.1")
    _fail(client, "ana@example.org", 3)
    response = _log_in(client, "ana@example.org", PASSWORD)
    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [LOCKED]
    assert "Log in</button>" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_account_is_locked_from_another_address_too() -> None:
    make_user(email="ana@example.org")
    _fail(Client(REMOTE_ADDR="10.0.0.1"), "ANA@example.org ", 3)
    elsewhere = Client(REMOTE_ADDR="10.0.0.99")
    response = _log_in(elsewhere, "ana@example.org", PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in elsewhere.session


def test_the_address_is_locked_for_other_accounts_too() -> None:
    make_user(email="ana@example.org")
    make_user(email="bo@example.org")
    client = Client(REMOTE_ADDR="10.0.0.1")
    _fail(client, "ana@example.org", 3)
    response = _log_in(client, "bo@example.org", PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_another_account_from_another_address_is_not_affected() -> None:
    make_user(email="ana@example.org")
    bo = make_user(email="bo@example.org")
    _fail(Client(REMOTE_ADDR="10.0.0.1"), "ana@example.org", 3)
    other = Client(REMOTE_ADDR="10.0.0.2")
    response = _log_in(other, "bo@example.org", PASSWORD)
    assert response.status_code == 302
    assert other.session[SESSION_KEY] == str(bo.pk)


def test_the_admin_log_in_is_throttled_with_the_reason_on_its_page() -> None:
    _operator()
    client = Client(REMOTE_ADDR="10.0.0.1")
    url = reverse("admin:login")
    _fail(client, "root@example.org", 3, url)
    response = _log_in(client, "root@example.org", PASSWORD, url)
    assert response.status_code == 429
    assert response.context["form"].non_field_errors() == [LOCKED]
    assert SESSION_KEY not in client.session


def test_axes_reset_command_lifts_the_lock() -> None:
    ana = make_user(email="ana@example.org")
    client = Client(REMOTE_ADDR="10.0.0.1")
    _fail(client, "ana@example.org", 3)
    call_command("axes_reset", verbosity=0)
    response = _log_in(client, "ana@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(ana.pk)


def test_an_admin_lifts_the_lock_in_the_admin() -> None:
    ana = make_user(email="ana@example.org")
    client = Client(REMOTE_ADDR="10.0.0.1")
    _fail(client, "ana@example.org", 3)
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    assert len(attempts) == 1

    admin = Client(REMOTE_ADDR="10.0.0.50")
    admin.force_login(_operator())
    changelist = reverse("admin:axes_accessattempt_changelist")
    response = admin.post(
        changelist,
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302
    assert AccessAttempt.objects.count() == 0

    response = _log_in(client, "ana@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(ana.pk)


def test_test_client_login_still_works_without_a_request() -> None:
    ana = make_user(email="ana@example.org")
    client = Client()
    assert client.login(email=ana.email, password=PASSWORD)
    assert client.session[SESSION_KEY] == str(ana.pk)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_under_asgi_the_page_still_carries_the_reason() -> None:
    """Served asynchronously (uvicorn), axes' own middleware would lose the page's form."""
    await sync_to_async(make_user)(email="ana@example.org")
    client = AsyncClient(REMOTE_ADDR="10.0.0.1")
    try:
        for _ in range(3):
            await client.post(reverse("login"), {"username": "ana@example.org", "password": "x"})
        response = await client.post(
            reverse("login"), {"username": "ana@example.org", "password": PASSWORD}
        )
    finally:
        # The views ran in asgiref's one sync thread, which keeps its connection open; on
        # PostgreSQL that connection would stop the test database from being dropped.
        await sync_to_async(connections.close_all)()
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "Log in</button>" in page
