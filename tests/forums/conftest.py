"""A published course with people in every role, for the forums' tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cadenza.accounts.models import User
from cadenza.courses.actions import publish_course
from cadenza.courses.models import Course, Module, Unit, UnitKind
from cadenza.forums.selectors import ForumPlace, access_forum_course, access_place
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import OrgContext, access_org
from tests.factories import enrol, make_course, make_module, make_org, make_unit, make_user


@dataclass
class Classroom:
    org: Organization
    course: Course
    module: Module
    unit: Unit
    ada: User  # learner, enrolled
    bob: User  # learner, enrolled
    nell: User  # learner of the organization, not enrolled
    ines: User  # instructor
    tara: User  # teaching assistant

    def ctx(self, user: User) -> OrgContext:
        return access_org(user=user, slug=self.org.slug)

    def place(self, user: User, key: str = "general") -> ForumPlace:
        ctx = self.ctx(user)
        course = access_forum_course(ctx, slug=self.course.slug)
        return access_place(ctx, course=course, key=key)


def build_classroom(slug: str = "harbour") -> Classroom:
    org = make_org(slug)
    course = make_course(org, title="Sepsis basics", slug=f"{slug}-sepsis")
    module = make_module(course, title="Recognition")
    unit = make_unit(module, UnitKind.READING, title="qSOFA", body="Read me")
    publish_course(course=course)
    people = {
        "ada": make_user(
            org, Role.LEARNER, display_name="Ada Lovelace", email=f"ada@{slug}.example"
        ),
        "bob": make_user(org, Role.LEARNER, display_name="Bob Byrne", email=f"bob@{slug}.example"),
        "nell": make_user(org, Role.LEARNER, display_name="Nell Newcomer"),
        "ines": make_user(
            org, Role.INSTRUCTOR, display_name="Ines Instructor", email=f"ines@{slug}.example"
        ),
        "tara": make_user(org, Role.TA, display_name="Tara Assistant"),
    }
    enrol(course, people["ada"])
    enrol(course, people["bob"])
    course.refresh_from_db()
    return Classroom(org=org, course=course, module=module, unit=unit, **people)


@pytest.fixture
def room(db: None) -> Classroom:
    return build_classroom()
