"""The demo organization plus the few people and courses its pages need to show every state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.assignments.actions import (
    AssignmentSettings,
    CriterionScore,
    CriterionSpec,
    LevelSpec,
    add_grader,
    attach_file,
    create_assignment,
    grade_submission,
    save_draft,
    submit,
)
from cadenza.assignments.models import Submission
from cadenza.courses.actions import publish_course
from cadenza.courses.models import Course, Unit, UnitKind
from cadenza.courses.uploads import DOCUMENT_TYPES, check_upload
from cadenza.demo.builder import ORG_SLUG, build_demo
from cadenza.demo.content import COURSE_SLUG
from cadenza.demo.people import ADMIN, FRESH_LEARNER, INSTRUCTOR, TEACHING_ASSISTANT
from cadenza.forums import actions as forum_actions
from cadenza.forums.models import Post, Thread, ThreadKind
from cadenza.forums.selectors import access_forum_course, access_place
from cadenza.learning.actions.knowledge_checks import GivenAnswer, submit_attempt
from cadenza.learning.models import Question
from cadenza.orgs.models import Organization, Role
from cadenza.orgs.selectors import access_org
from tests.factories import enrol, make_course, make_user

BUILT_AT = datetime(2025, 3, 20, 15, 0, tzinfo=UTC)


@dataclass(frozen=True)
class DemoSite:
    """Who looks at the pages, and the objects the URLs name."""

    org: Organization
    course: Course
    empty_course: Course
    people: dict[str, User]
    submission: Submission

    def units(self, kind: UnitKind | None = None) -> list[Unit]:
        units = Unit.objects.filter(course=self.course).order_by("module__position", "position")
        return [unit for unit in units if kind is None or unit.kind == kind]


@pytest.fixture
def demo_site(db: None) -> DemoSite:
    """Riverside as ``cadenza demo`` builds it, plus: a learner who submitted both knowledge
    checks with wrong answers (feedback shows), a member enrolled in nothing, an account that
    belongs to no organization, and an empty draft course (the builder's empty state)."""
    build_demo(now=BUILT_AT)
    org = Organization.objects.get(slug=ORG_SLUG)
    course = Course.objects.get(org=org, slug=COURSE_SLUG)
    people = {
        "learner": User.objects.get(email=FRESH_LEARNER.email),
        "instructor": User.objects.get(email=INSTRUCTOR.email),
        "ta": User.objects.get(email=TEACHING_ASSISTANT.email),
        "admin": User.objects.get(email=ADMIN.email),
        "submitted": make_user(org, Role.LEARNER, display_name="Ada Submitted"),
        "newcomer": make_user(org, Role.LEARNER, display_name="Nell Newcomer"),
        "outsider": make_user(None, display_name="Otto Outsider"),
    }
    enrol(course, people["submitted"])
    for unit in Unit.objects.filter(course=course, kind=UnitKind.KNOWLEDGE_CHECK):
        first = Question.objects.filter(unit=unit).order_by("position").first()
        assert first is not None
        wrong = first.choices.filter(is_correct=False).first()
        answers = {first.pk: GivenAnswer(choice_ids=[wrong.pk])} if wrong else {}
        submit_attempt(user=people["submitted"], unit=unit, answers=answers)
    empty_course = make_course(org, title="Wound care (draft)", slug="wound-care")
    build_forum(course, people)
    return DemoSite(
        org=org,
        course=course,
        empty_course=empty_course,
        people=people,
        submission=_graded_assignment(course, people),
    )


def _graded_assignment(course: Course, people: dict[str, User]) -> Submission:
    """An assignment in the course's first module, published; the TA grades the course; the
    learner who submitted the checks handed in an essay and a file, returned with a grade."""
    module = course.modules.order_by("position").first()
    assert module is not None
    assignment = create_assignment(
        module=module,
        title="Sepsis case essay",
        body="Describe **one** case.",
        settings=AssignmentSettings(
            accepts_text=True,
            accepts_file=True,
            due_at=timezone.now() + timedelta(days=30),
            late_days=2,
            penalty_percent_per_day=10,
        ),
        rubric=[
            CriterionSpec(title="Argument", levels=[LevelSpec("Clear", 4), LevelSpec("Weak", 1)]),
        ],
    )
    publish_course(course=course)
    add_grader(course=course, user=people["ta"], added_by=people["instructor"])
    upload = check_upload(
        SimpleUploadedFile("case.pdf", b"%PDF-1.4\n%%EOF\n"),
        allowed=DOCUMENT_TYPES,
        max_bytes=1024,
        what="submission",
    )
    attach_file(assignment=assignment, learner=people["submitted"], upload=upload)
    save_draft(assignment=assignment, learner=people["submitted"], text="My *case*.")
    submission = submit(assignment=assignment, learner=people["submitted"], zone=ZoneInfo("UTC"))
    criterion = assignment.criteria.get()
    grade_submission(
        submission=submission,
        scores=[CriterionScore(criterion.pk, criterion.levels.all()[0].pk, "Clear.")],
        comment="Well argued.",
        graded_by=people["instructor"],
    )
    return submission


def build_forum(course: Course, people: dict[str, User]) -> None:
    """The forum in every state its pages show: a unit's discussion turned on, a question
    with an endorsed reply, a comment on it, an edited post, an anonymous thread, a report."""
    slug = course.org.slug
    learner = access_org(user=people["submitted"], slug=slug)
    staff = access_org(user=people["instructor"], slug=slug)
    forum_course = access_forum_course(staff, slug=course.slug)
    first_unit = Unit.objects.filter(course=course).order_by("module__position", "position")[0]
    forum_actions.set_unit_discussion(
        staff,
        place=access_place(staff, course=forum_course, key=f"unit-{first_unit.pk}"),
        open=True,
    )
    general = access_place(learner, course=forum_course, key="general")
    question = forum_actions.start_thread(
        learner,
        place=general,
        kind=ThreadKind.QUESTION,
        title="When do we repeat the lactate?",
        body="Is it **two hours** after the first one? `lactate > 2`",
    )
    question = Thread.objects.select_related("course").get(pk=question.pk)
    reply = forum_actions.post_reply(staff, thread=question, body="Within 2-4 hours if raised.")
    reply = Post.objects.select_related("thread").get(pk=reply.pk)
    forum_actions.post_reply(learner, thread=question, body="Thank you!", parent=reply)
    forum_actions.set_endorsed(staff, post=reply, endorsed=True)
    forum_actions.edit_post(staff, post=reply, body="Within 2 to 4 hours if it was raised.")
    forum_actions.report_post(learner, post=reply, reason="Please check the dose.")
    forum_actions.start_thread(
        learner,
        place=general,
        kind=ThreadKind.DISCUSSION,
        title="Night shift tips",
        body="How do you stay sharp?",
        anonymous=True,
    )
