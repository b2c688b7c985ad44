"""Suite-wide fixtures. Data is built through actions or the factories in tests/factories.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

# The Makefile sets these too; repeated here so a bare `pytest` behaves the same.
os.environ.setdefault("HUEY_IMMEDIATE", "1")
os.environ.setdefault("CADENZA_TESTING", "1")
os.environ.setdefault("CADENZA_HTTPS", "0")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Uploaded files of a test land in its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    """Real hashers are slow on purpose; tests create hundreds of accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def client() -> Client:
    return Client()
