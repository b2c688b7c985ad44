"""The API against its own OpenAPI schema, fuzzed by schemathesis with every check it has.

For every operation, as a learner and as an instructor, schemathesis generates requests from
the schema (valid ones, and invalid ones that the schema refuses) and checks each answer:
never a server error, a status code and a body the schema declares, JSON where JSON is
declared, a request without the session cookie refused, invalid input refused and valid
input accepted. Path parameters are pinned to real objects of the caller's organization
(random ids would only ever reach the 404 of a missing object), so bodies reach the rules.

"Valid input accepted" allows 400 besides the defaults (2xx, 401, 403, 404, 409, 429): 400
is a refusal by the state of things (the attempt is submitted, the chat is locked, the
session lasts 60 minutes), which no schema can state; 422 is not allowed, so every rule a
field has must be in the schema.

Bounded and repeatable: a few generated examples per operation (derandomized), no example
database; each example runs in a savepoint that is rolled back, and the organization is
built once for the module inside a transaction rolled back at its end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import schemathesis
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.test.client import ClientHandler
from hypothesis import HealthCheck, settings
from pytest_django import DjangoDbBlocker
from schemathesis import Case as GenericCase
from schemathesis.checks import CheckFunction
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from cadenza.accounts.models import User
from cadenza.api.api import api
from cadenza.assignments.actions import (
    AssignmentSettings,
    CriterionSpec,
    LevelSpec,
    create_assignment,
    save_draft,
    submit,
)
from cadenza.courses.actions import publish_course
from cadenza.courses.models import UnitKind
from cadenza.learning.actions.knowledge_check_questions import add_question
from cadenza.learning.models import QuestionKind
from cadenza.orgs.models import Membership
from tests.factories import make_module, make_unit
from tests.live.conftest import Classroom, build_classroom
from tests.test_tenant_isolation import build_forum

pytestmark = pytest.mark.django_db

_handler = ClientHandler(enforce_csrf_checks=False)


def _wsgi_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Django's test handler as a WSGI application: schemathesis talks WSGI, and the test
    handler keeps the test's database connection (and its transaction) open between requests,
    as Django's test client does."""
    response = _handler(environ)
    assert isinstance(response, HttpResponse), response  # the API answers whole bodies
    headers = list(response.items())
    headers += [("Set-Cookie", morsel.OutputString()) for morsel in response.cookies.values()]
    start_response(f"{response.status_code} {response.reason_phrase}", headers)
    return [response.content]


Case = GenericCase[Any]
"""One generated request. Its operation's type is generic in four schema types (parameters,
responses, security, schema) that these tests never read."""

ACCEPTED = ["2xx", "400", "401", "403", "404", "409", "429"]
"""What valid input may be answered with (see the module's docstring)."""

schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(path_prefix="/api/v1"),
    config=SchemathesisConfig.from_dict(
        {
            "phases": {"coverage": {"enabled": False}},
            "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
        }
    ),
)
schema.app = _wsgi_app


@dataclass
class _SignedIn:
    """Whose session cookie the generated requests carry (set by the test's fixture)."""

    session_id: str = ""


_signed_in = _SignedIn()


@schema.auth(refresh_interval=None)
class _SessionCookie:
    """The signed-in person's session: schemathesis knows it as the valid credential, so it
    also checks that a request without it (or with a made-up one) is refused."""

    def get(self, case: Case, ctx: schemathesis.AuthContext) -> str:
        return _signed_in.session_id

    def set(self, case: Case, data: str, ctx: schemathesis.AuthContext) -> None:
        case.cookies = {**(case.cookies or {}), "sessionid": data}


@dataclass
class World:
    """One organization with a course: a live session under way, a reading, a knowledge
    check with a question, an assignment Ada submitted, a forum question with the instructor's
    reply and Ada's report of it; Ada is an enrolled learner, Ines the instructor hosting."""

    classroom: Classroom
    reading_id: int
    check_id: int
    question_id: int
    module_id: int
    assignment_id: int
    submission_id: int
    thread_id: int
    post_id: int
    report_id: int
    sessions: dict[int, str]
    """The session cookie of each person, by user id."""

    def path_parameters(self, user: User) -> dict[str, Any]:
        """Real objects of the organization for every path parameter the API has."""
        session = self.classroom.session
        return {
            "org": self.classroom.org.slug,
            "course": session.course.slug,
            "module": self.module_id,
            "question": self.question_id,
            "membership": Membership.objects.get(user=user, org=self.classroom.org).pk,
            "enrolment": session.course.enrolments.get(user=self.classroom.ada).pk,
            "session": session.pk,
            "person": self.classroom.ada.pk,
            "breakout": 1,
            "learner": self.classroom.ada.pk,
            "submission": self.submission_id,
            "topic": "general",
            "thread": self.thread_id,
            "post": self.post_id,
            "report": self.report_id,
        }

    def unit_for(self, path: str) -> int:
        if "/assignment" in path:
            return self.assignment_id
        return self.check_id if "/check" in path or "/questions" in path else self.reading_id


def _session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _build_world() -> World:
    classroom = build_classroom()
    module = make_module(classroom.session.course, "Week 2")
    reading = make_unit(module, UnitKind.READING, title="Reading", body="Read me")
    check = make_unit(module, UnitKind.KNOWLEDGE_CHECK, title="Check", max_attempts=3)
    question = add_question(
        unit=check,
        kind=QuestionKind.SINGLE_CHOICE,
        prompt="Which one?",
        choices=[("This", True), ("That", False)],
    )
    assignment = create_assignment(
        module=module,
        title="Essay",
        body="Write.",
        settings=AssignmentSettings(allow_resubmission=True),
        rubric=[CriterionSpec(title="Argument", levels=[LevelSpec("Clear", 4)])],
    )
    publish_course(course=classroom.session.course, include_contents=True)
    save_draft(assignment=assignment, learner=classroom.ada, text="My essay")
    submission = submit(assignment=assignment, learner=classroom.ada, zone=ZoneInfo("UTC"))
    thread, reply, report = build_forum(
        classroom.org,
        classroom.session.course,
        learner=classroom.ada,
        instructor=classroom.host,
    )
    return World(
        classroom=classroom,
        reading_id=reading.pk,
        check_id=check.pk,
        question_id=question.pk,
        module_id=module.pk,
        assignment_id=assignment.unit_id,
        submission_id=submission.pk,
        thread_id=thread.pk,
        post_id=reply.pk,
        report_id=report.pk,
        sessions={user.pk: _session_cookie(user) for user in (classroom.ada, classroom.host)},
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    """Built once for the module's ~120 tests (building it per test took most of the time),
    inside a transaction rolled back at the end; each test runs in its own savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture
def learner(world: World) -> User:
    _signed_in.session_id = world.sessions[world.classroom.ada.pk]
    return world.classroom.ada


@pytest.fixture
def instructor(world: World) -> User:
    _signed_in.session_id = world.sessions[world.classroom.host.pk]
    return world.classroom.host


def _pin_path(case: Case, world: World, user: User) -> None:
    known = world.path_parameters(user)
    for name in list(case.path_parameters or {}):
        if name == "unit":
            case.path_parameters[name] = world.unit_for(case.path)
        elif name in known:
            case.path_parameters[name] = known[name]


def _check(case: Case, world: World, user: User) -> None:
    _pin_path(case, world, user)
    excluded: list[CheckFunction] = []
    if case.path.endswith("/room/commands"):
        # The room's commands take JSON's integers strictly (1.0 is refused) while JSON Schema
        # counts 1.0 as an integer; the room's protocol (live/room/events/commands) owns that rule.
        excluded.append(positive_data_acceptance)
    with transaction.atomic():
        case.call_and_validate(excluded_checks=excluded)
        transaction.set_rollback(True)


SETTINGS = settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@SETTINGS
def test_the_api_keeps_its_schema_for_a_learner(case: Case, world: World, learner: User) -> None:
    _check(case, world, learner)


@schema.parametrize()
@SETTINGS
def test_the_api_keeps_its_schema_for_an_instructor(
    case: Case, world: World, instructor: User
) -> None:
    _check(case, world, instructor)
