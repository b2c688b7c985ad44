"""Courses for the learner-side tests, built through the product's actions."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from cadenza.accounts.models import User
from cadenza.courses.actions import create_course, publish_course
from cadenza.courses.models import Course, Unit, UnitKind
from cadenza.orgs.models import Organization, Role
from tests.factories import enrol, make_module, make_org, make_unit, make_user

_numbers = itertools.count(1)


@dataclass
class BuiltCourse:
    course: Course
    units: list[Unit]


CourseBuilder = Callable[..., BuiltCourse]


@pytest.fixture
def org() -> Organization:
    return make_org()


@pytest.fixture
def learner(org: Organization) -> User:
    return make_user(org, Role.LEARNER, display_name="Ada Learner")


@pytest.fixture
def instructor(org: Organization) -> User:
    return make_user(org, Role.INSTRUCTOR, display_name="Ines Instructor")


@pytest.fixture
def build_course(org: Organization, instructor: User) -> CourseBuilder:
    """A published course of ``units`` readings spread over modules of ``per_module`` units;
    ``kinds`` overrides the kind of the first units."""

    def build(
        *,
        units: int = 3,
        per_module: int = 10,
        kinds: tuple[UnitKind, ...] = (),
        open_enrolment: bool = False,
        target_org: Organization | None = None,
    ) -> BuiltCourse:
        in_org = target_org or org
        course = create_course(
            org=in_org,
            title=f"Course {next(_numbers)}",
            slug=f"course-{next(_numbers)}",
            created_by=instructor if in_org == org else make_user(in_org, Role.INSTRUCTOR),
            open_enrolment=open_enrolment,
        )
        built: list[Unit] = []
        module = None
        for index in range(units):
            if index % per_module == 0:
                module = make_module(course, title=f"Module {index // per_module + 1}")
            assert module is not None
            kind = kinds[index] if index < len(kinds) else UnitKind.READING
            fields: dict[str, object] = {"title": f"Unit {index + 1}"}
            if kind == UnitKind.VIDEO:
                fields["video_url"] = "https://videos.example.org/lecture.mp4"
                fields["video_duration_seconds"] = 100.0
            built.append(make_unit(module, kind, **fields))
        publish_course(course=course)
        fresh = Unit.objects.select_related("module", "org").in_bulk([u.pk for u in built])
        course.refresh_from_db()
        return BuiltCourse(course=course, units=[fresh[u.pk] for u in built])

    return build


@pytest.fixture
def enrolled(learner: User) -> Callable[[Course], None]:
    def do(course: Course) -> None:
        enrol(course, learner)

    return do


@pytest.fixture
def other_org() -> Organization:
    return make_org()
