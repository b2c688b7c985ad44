"""People and a small course for the course tests, built through the product's actions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from cadenza.accounts.models import User
from cadenza.courses.models import Course, Module, Unit, UnitKind
from cadenza.orgs.models import Organization, Role
from tests.factories import make_course, make_module, make_org, make_unit, make_user


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class People:
    admin: User
    instructor: User
    ta: User
    learner: User


@dataclass
class Outline:
    course: Course
    first: Module
    second: Module
    units: list[Unit]
    """The three units of ``first``, then the one of ``second``."""


@pytest.fixture
def org(db: None) -> Organization:
    return make_org(slug="harbour")


@pytest.fixture
def other_org(db: None) -> Organization:
    return make_org(slug="elsewhere")


@pytest.fixture
def people(org: Organization) -> People:
    return People(
        admin=make_user(org, Role.ADMIN, email="admin@example.org"),
        instructor=make_user(org, Role.INSTRUCTOR, email="instructor@example.org"),
        ta=make_user(org, Role.TA, email="ta@example.org"),
        learner=make_user(org, Role.LEARNER, email="learner@example.org"),
    )


@pytest.fixture
def outline(org: Organization) -> Outline:
    course = make_course(org, title="Sepsis basics", slug="sepsis")
    first = make_module(course, "Recognising sepsis")
    second = make_module(course, "Treatment")
    units = [
        make_unit(first, UnitKind.READING, title="What sepsis is", body="Read me"),
        make_unit(first, UnitKind.VIDEO, title="Lecture", video_url="https://example.org/v.mp4"),
        make_unit(first, UnitKind.KNOWLEDGE_CHECK, title="Check"),
        make_unit(second, UnitKind.READING, title="Antibiotics", body="Early"),
    ]
    return Outline(course=course, first=first, second=second, units=units)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
