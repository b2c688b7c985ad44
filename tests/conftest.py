"""Suite-wide fixtures. Data is built through actions or the factories in tests/factories.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings

# A private Redis on a free port for the tests that need one (never the machine's own).
pytest_plugins = ["tests.private_redis"]

# The Makefile sets these too; repeated here so a bare `pytest` behaves the same.
os.environ.setdefault("HUEY_IMMEDIATE", "1")
os.environ.setdefault("CADENZA_TESTING", "1")
os.environ.setdefault("CADENZA_HTTPS", "0")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Settings, tmp_path: Path) -> None:
    """Uploaded files of a test land in its own temporary folder (learners' assignment files
    too, which live outside the media folder)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CADENZA_SUBMISSIONS_DIR = tmp_path / "submissions"


@pytest.fixture(autouse=True)
def _site_address_is_the_test_clients(settings: Settings) -> None:
    """Links in e-mails start with the site's configured address (``cadenza.lib.site_address``);
    in the suite that is the test client's host, so a test can follow a link it was sent."""
    settings.CADENZA_SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    """Real hashers are slow on purpose; tests create hundreds of accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture(autouse=True)
def _fresh_room_write_limits() -> Iterator[None]:
    """The room's write limits are per process (``cadenza.live.room.limits``): each test
    starts with full buckets, and a test that moves their clock does not leak it."""
    from cadenza.live.room.limits import write_buckets

    clock = write_buckets.clock
    write_buckets.clear()
    yield
    write_buckets.clear()
    write_buckets.clock = clock


@pytest.fixture(autouse=True)
def _keep_the_test_connection_when_a_response_closes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Closing a response in a test fires ``request_finished`` in the test's own thread.

    Django's test client turns ``close_old_connections`` off only while it handles a request,
    not when the test closes the response afterwards. Inside the test's transaction that would
    close the connection, and with PostgreSQL's pool hand it back mid-transaction. A
    connection in an atomic block is never a request's leftover, so it is kept.
    """
    original = BaseDatabaseWrapper.close_if_unusable_or_obsolete

    def keep_inside_a_transaction(self: BaseDatabaseWrapper) -> None:
        if not self.in_atomic_block:
            original(self)

    monkeypatch.setattr(
        BaseDatabaseWrapper, "close_if_unusable_or_obsolete", keep_inside_a_transaction
    )


@pytest.fixture(scope="session", autouse=True)
def _close_connection_pools_before_the_test_database_is_dropped(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[None]:
    """PostgreSQL's pool keeps idle connections open; the test database cannot be dropped
    while they are, so the pool is closed first (torn down before ``django_db_setup``)."""
    yield
    with django_db_blocker.unblock():
        for connection in connections.all(initialized_only=True):
            close_pool = getattr(connection, "close_pool", None)
            if close_pool is not None:
                connection.close()  # hand back the connection this thread still holds
                close_pool()
