"""Data for the attendance and replay tests: a published course with a live-session unit and
its session(s), a host, enrolled learners. Sessions are rows of the lead's model (the
scheduling action is another engineer's and not what these tests are about)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cadenza.accounts.models import User
from cadenza.courses.actions import publish_course
from cadenza.courses.models import Course, Unit, UnitKind
from cadenza.live.models import LiveSession, LiveSessionHost, VideoProvider
from cadenza.orgs.models import Organization, Role
from tests.factories import enrol, make_course, make_module, make_org, make_unit, make_user

START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
_rooms = itertools.count(1)


@dataclass
class Live:
    org: Organization
    course: Course
    unit: Unit
    session: LiveSession
    host: User
    ada: User
    bob: User
    admin: User
    instructor: User


def at(minutes: float) -> datetime:
    """A moment ``minutes`` after the session's start."""
    return START + timedelta(minutes=minutes)


def add_session(
    *, org: Organization, course: Course, unit: Unit, host: User, start: datetime = START
) -> LiveSession:
    session = LiveSession.objects.create(
        org=org,
        course=course,
        unit=unit,
        title="Sepsis simulation",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        provider=VideoProvider.NONE,
        provider_room=f"room-{next(_rooms)}",
    )
    LiveSessionHost.objects.create(org=org, session=session, user=host)
    return session


def build_live() -> Live:
    org = make_org()
    host = make_user(org, Role.INSTRUCTOR, display_name="Hana Host")
    instructor = make_user(org, Role.INSTRUCTOR, display_name="Ivo Instructor")
    admin = make_user(org, Role.ADMIN, display_name="Alma Admin")
    ada = make_user(org, Role.LEARNER, display_name="Ada Learner", email="ada@example.org")
    bob = make_user(org, Role.LEARNER, display_name="Bob Learner", email="bob@example.org")
    course = make_course(org)
    module = make_module(course)
    unit = make_unit(module, kind=UnitKind.LIVE_SESSION, title="Simulation")
    publish_course(course=course)
    course.refresh_from_db()
    unit.refresh_from_db()
    enrol(course, ada)
    enrol(course, bob)
    session = add_session(org=org, course=course, unit=unit, host=host)
    return Live(
        org=org,
        course=course,
        unit=unit,
        session=session,
        host=host,
        ada=ada,
        bob=bob,
        admin=admin,
        instructor=instructor,
    )
