"""Suite-wide fixtures. Data is built through actions or the factories in tests/factories.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client
from pytest_django.fixtures import Settings

# The Makefile sets these too; repeated here so a bare `pytest` behaves the same.
os.environ.setdefault("HUEY_IMMEDIATE", "1")
os.environ.setdefault("CADENZA_TESTING", "1")
os.environ.setdefault("CADENZA_HTTPS", "0")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Settings, tmp_path: Path) -> None:
    """Uploaded files of a test land in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    """Real hashers are slow on purpose; tests create hundreds of accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture(autouse=True)
def _keep_the_test_connection_when_a_response_closes() -> Iterator[None]:
    """Closing a streamed response (a download) fires ``request_finished`` in the test's thread.

    Django's test client keeps ``close_old_connections`` off while it handles a request, but
    not when the test itself closes the response afterwards; with PostgreSQL's connection pool
    that would hand the connection of the test's open transaction back to the pool.
    """
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_finished.connect(close_old_connections)
