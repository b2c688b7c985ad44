"""Fixtures for the demo's tests: a fast password hasher, and the demo built at a fixed time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytest_django.fixtures import Settings

from cadenza.demo.builder import DemoSummary, build_demo

# The moment the demo's two weeks of history lead up to in these tests.
BUILT_AT = datetime(2025, 3, 20, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Settings) -> None:
    """The demo hashes 33 passwords; the production hasher would make each build take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db: None) -> DemoSummary:
    return build_demo(now=BUILT_AT)
