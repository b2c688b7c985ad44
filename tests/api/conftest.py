"""People, courses and a JSON client for the API tests, built through the product's actions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from pytest_django.fixtures import Settings

from cadenza.accounts.models import User
from cadenza.courses.actions import publish_course
from cadenza.courses.models import Course, Module, Unit, UnitKind
from cadenza.orgs.models import Organization, Role
from tests.factories import make_course, make_module, make_org, make_unit, make_user

API = "/api/v1"


@pytest.fixture(autouse=True)
def _static_root_exists(settings: Settings) -> None:
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


class JsonClient:
    """A signed-in client that sends and reads JSON."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        if user is not None:
            self.client.force_login(user)

    def _send(self, method: str, path: str, body: Any | None) -> Any:
        call = getattr(self.client, method)
        if body is None:
            return call(API + path)
        return call(API + path, data=json.dumps(body), content_type="application/json")

    def get(self, path: str) -> Any:
        return self._send("get", path, None)

    def post(self, path: str, body: Any | None = None) -> Any:
        return self._send("post", path, body if body is not None else {})

    def patch(self, path: str, body: Any) -> Any:
        return self._send("patch", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self._send("put", path, body)

    def delete(self, path: str) -> Any:
        return self._send("delete", path, None)


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
    """reading, video (100 s), knowledge check in ``first``; a reading in ``second``."""


@pytest.fixture
def org(db: None) -> Organization:
    return make_org(slug="harbour", name="Harbour Hospital")


@pytest.fixture
def other_org(db: None) -> Organization:
    return make_org(slug="elsewhere", name="Elsewhere")


@pytest.fixture
def people(org: Organization) -> People:
    return People(
        admin=make_user(org, Role.ADMIN, email="admin@example.org", display_name="Ada Admin"),
        instructor=make_user(
            org, Role.INSTRUCTOR, email="instructor@example.org", display_name="Ines"
        ),
        ta=make_user(org, Role.TA, email="ta@example.org", display_name="Tom"),
        learner=make_user(org, Role.LEARNER, email="learner@example.org", display_name="Lea"),
    )


@pytest.fixture
def outline(org: Organization) -> Outline:
    """A published course, slug ``sepsis``, everything in it published."""
    course = make_course(org, title="Sepsis basics", slug="sepsis", summary="**Early** care")
    first = make_module(course, "Recognising sepsis")
    second = make_module(course, "Treatment")
    units = [
        make_unit(first, UnitKind.READING, title="What sepsis is", body="Read *me*"),
        make_unit(
            first,
            UnitKind.VIDEO,
            title="Lecture",
            video_url="https://example.org/v.mp4",
            video_duration_seconds=100.0,
        ),
        make_unit(first, UnitKind.KNOWLEDGE_CHECK, title="Check", max_attempts=2),
        make_unit(second, UnitKind.READING, title="Antibiotics", body="Early"),
    ]
    publish_course(course=course, include_contents=True)
    course.refresh_from_db()
    for unit in units:
        unit.refresh_from_db()
    return Outline(course=course, first=first, second=second, units=units)


@pytest.fixture
def foreign_outline(other_org: Organization) -> Outline:
    """A published course of another organization, same shape."""
    course = make_course(other_org, title="Foreign", slug="foreign")
    first = make_module(course, "Foreign module")
    second = make_module(course, "Second")
    units = [
        make_unit(first, UnitKind.READING, title="Foreign reading", body="x"),
        make_unit(first, UnitKind.VIDEO, title="Foreign video", video_url="https://e.org/v.mp4"),
        make_unit(first, UnitKind.KNOWLEDGE_CHECK, title="Foreign check"),
        make_unit(second, UnitKind.READING, title="Other", body="y"),
    ]
    publish_course(course=course, include_contents=True)
    return Outline(course=course, first=first, second=second, units=units)


def api_as(user: User | None) -> JsonClient:
    return JsonClient(user)


def iso(value: datetime | None) -> str:
    """A time as the API writes it (UTC, ISO 8601, milliseconds)."""
    assert value is not None
    text: str = DjangoJSONEncoder().default(value)
    return text
