"""An organization with a published course holding one assignment, two enrolled learners,
an instructor, a TA who grades the course and one who does not. Built through actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.assignments.actions import (
    AssignmentSettings,
    CriterionSpec,
    LevelSpec,
    add_grader,
    create_assignment,
)
from cadenza.assignments.models import Assignment
from cadenza.courses.actions import publish_course
from cadenza.courses.models import Course
from cadenza.courses.uploads import DOCUMENT_TYPES, CheckedUpload, check_upload
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import OrgContext
from tests.factories import enrol, make_course, make_module, make_org, make_user

RUBRIC = [
    CriterionSpec(
        title="Argument",
        levels=[LevelSpec("Clear", 4), LevelSpec("Partly", 2), LevelSpec("Missing", 0)],
    ),
    CriterionSpec(title="Sources", levels=[LevelSpec("Cited", 6), LevelSpec("None", 0)]),
]


@dataclass
class Classroom:
    org: Organization
    course: Course
    assignment: Assignment
    learner: User
    other_learner: User
    instructor: User
    grader_ta: User
    other_ta: User
    admin: User

    def ctx(self, user: User) -> OrgContext:
        from cadenza.orgs.models import Membership

        role = Membership.objects.get(org=self.org, user=user).role
        return OrgContext(org=self.org, user=user, role=Role(role))


def build_classroom(slug: str | None = None, **settings: object) -> Classroom:
    """Due in two days and an hour (from now: pages read the clock), text and a file."""
    org = make_org(slug)
    instructor = make_user(org, Role.INSTRUCTOR, display_name="Ines Instructor")
    learner = make_user(org, Role.LEARNER, display_name="Ada Learner", time_zone="Europe/Berlin")
    other = make_user(org, Role.LEARNER, display_name="Bo Other")
    grader_ta = make_user(org, Role.TA, display_name="Tom Grader")
    other_ta = make_user(org, Role.TA, display_name="Uma Elsewhere")
    admin = make_user(org, Role.ADMIN, display_name="Abe Admin")
    course = make_course(org, title="Sepsis essays")
    module = make_module(course)
    due = timezone.now().replace(microsecond=0) + timedelta(days=2, hours=1)
    values: dict[str, object] = {"due_at": due, "accepts_text": True, "accepts_file": True}
    values.update(settings)
    assignment = create_assignment(
        module=module,
        title="Case essay",
        body="Write about **one** case.",
        settings=AssignmentSettings(**values),  # type: ignore[arg-type]
        rubric=RUBRIC,
    )
    publish_course(course=course)
    enrol(course, learner)
    enrol(course, other)
    add_grader(course=course, user=grader_ta, added_by=instructor)
    assignment.refresh_from_db()
    return Classroom(
        org, course, assignment, learner, other, instructor, grader_ta, other_ta, admin
    )


@pytest.fixture
def room() -> Classroom:
    return build_classroom()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def checked_pdf(name: str = "essay.pdf", content: bytes = PDF) -> CheckedUpload:
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return check_upload(upload, allowed=DOCUMENT_TYPES, max_bytes=1024 * 1024, what="submission")
