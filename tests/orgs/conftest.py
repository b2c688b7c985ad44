"""Fixtures for the organization admin pages: one organization with one person per role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from cadenza.accounts.models import User
from cadenza.notifications.models import OutboxEmail
from cadenza.orgs.models import Membership, Organization, Role
from tests.factories import make_org, make_user


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Hashing is not under test here; the default hasher costs ~0.5 s per account."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Staff:
    org: Organization
    admin: User
    instructor: User
    ta: User
    learner: User


@pytest.fixture
def staff() -> Staff:
    org = make_org("clinic", name="Riverside Clinic")
    return Staff(
        org=org,
        admin=make_user(org, Role.ADMIN, email="admin@example.org", display_name="Ada Admin"),
        instructor=make_user(org, Role.INSTRUCTOR, email="ines@example.org"),
        ta=make_user(org, Role.TA, email="tariq@example.org"),
        learner=make_user(org, Role.LEARNER, email="lea@example.org", time_zone="Pacific/Auckland"),
    )


def snapshot() -> tuple[list[tuple[int, int, str]], list[str], int]:
    """Memberships, accounts and queued e-mails: what a refused action must leave alone."""
    memberships = list(Membership.objects.order_by("pk").values_list("org_id", "user_id", "role"))
    emails = list(User.objects.order_by("email").values_list("email", flat=True))
    return memberships, emails, OutboxEmail.objects.count()
