"""Data for the scheduling, calendar and reminder tests, built through the product's actions:
an organization with staff and learners in several zones, a published course with a module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.test import Client

from cadenza.accounts.models import User
from cadenza.courses.actions import publish_course
from cadenza.courses.models import Course, Module
from cadenza.live.models import LiveSession, SessionFormat
from cadenza.live.schedule.actions.scheduling import ScheduledSessions, schedule_live_session
from cadenza.orgs.models import Organization, Role
from tests.factories import enrol, make_course, make_module, make_org, make_user

START = datetime(2026, 3, 30, 16, 0, tzinfo=UTC)
"""A Monday: 18:00 in Berlin (CEST), 11:00 in Chicago (CDT)."""


@dataclass
class School:
    org: Organization
    course: Course
    module: Module
    admin: User
    instructor: User
    ta: User
    ada: User
    """An enrolled learner in Chicago."""
    bob: User
    """An enrolled learner in Tokyo."""
    carl: User
    """A learner of the organization, not enrolled in the course."""
    other_org: Organization
    stranger: User
    """An instructor of the other organization."""


def build_school() -> School:
    org = make_org(slug="harbour", name="Harbour Hospital")
    admin = make_user(org, Role.ADMIN, email="admin@example.org", display_name="Alma Admin")
    instructor = make_user(
        org,
        Role.INSTRUCTOR,
        email="ines@example.org",
        display_name="Ines Instructor",
        time_zone="Europe/Berlin",
    )
    ta = make_user(
        org, Role.TA, email="tom@example.org", display_name="Tom TA", time_zone="Europe/London"
    )
    ada = make_user(org, email="ada@example.org", display_name="Ada", time_zone="America/Chicago")
    bob = make_user(org, email="bob@example.org", display_name="Bob", time_zone="Asia/Tokyo")
    carl = make_user(org, email="carl@example.org", display_name="Carl")
    course = make_course(org, title="Sepsis basics", slug="sepsis")
    module = make_module(course, "Recognising sepsis")
    publish_course(course=course)
    enrol(course, ada)
    enrol(course, bob)
    other_org = make_org(slug="elsewhere", name="Elsewhere")
    stranger = make_user(other_org, Role.INSTRUCTOR, email="stranger@example.org")
    return School(
        org=org,
        course=course,
        module=module,
        admin=admin,
        instructor=instructor,
        ta=ta,
        ada=ada,
        bob=bob,
        carl=carl,
        other_org=other_org,
        stranger=stranger,
    )


def schedule(
    school: School,
    *,
    starts_at: datetime = START,
    minutes: int = 60,
    hosts: list[User] | None = None,
    publish: bool = True,
    **options: object,
) -> ScheduledSessions:
    """A live session (or series with ``weekly_occurrences``) hosted by the instructor, in the
    school's module, published to learners unless ``publish`` is False."""
    scheduled = schedule_live_session(
        module=school.module,
        title=str(options.pop("title", "Sepsis simulation")),
        agenda=str(options.pop("agenda", "")),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        hosts=hosts if hosts is not None else [school.instructor],
        format=SessionFormat.CLASS,
        created_by=school.instructor,
        **options,  # type: ignore[arg-type]
    )
    if publish:
        publish_course(course=school.course)
    return scheduled


def fresh(session: LiveSession) -> LiveSession:
    return LiveSession.objects.get(pk=session.pk)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
