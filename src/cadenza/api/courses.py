"""Courses: the list, creating and describing one, its outline with my progress, publishing,
and who is enrolled (enrolling myself, enrolling others by e-mail, withdrawing)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cadenza.api.bodies import MAX_ADDRESSES, Body, CleanText, EmailAddress, Name, PatchBody, unset
from cadenza.api.common import (
    ERRORS,
    PersonOut,
    authoring_context,
    cleaned,
    html,
    member_context,
    person_out,
)
from cadenza.courses.actions import (
    create_course,
    edit_course,
    enrol_by_emails,
    self_enrol,
    set_course_published,
    withdraw_learner,
)
from cadenza.courses.forms import CourseForm
from cadenza.courses.models import Course, Enrolment, EnrolmentStatus, UnitKind
from cadenza.courses.selectors import (
    access_course,
    access_course_for_teaching,
    access_enrolment,
    catalog_courses,
    course_enrolments,
    teaching_courses,
)
from cadenza.learning.selectors.progress import CourseProgress, UnitStatus, course_outline
from cadenza.orgs.policy import Permission

router = Router(tags=["courses"])


class CourseOut(Schema):
    slug: str
    title: str
    summary: str
    summary_html: str
    open_enrolment: bool
    published: bool
    published_at: datetime | None


class CourseListItemOut(CourseOut):
    """``module_count``/``unit_count``: for learners what they would see (published), for
    staff everything. ``is_enrolled`` is given to learners, ``learner_count`` to staff."""

    module_count: int
    unit_count: int
    is_enrolled: bool | None = None
    learner_count: int | None = None


SLUG_PATTERN = "^[-a-zA-Z0-9_]*$"


class CourseIn(Body):
    title: Name = Field(max_length=200)
    slug: str = Field(
        "",
        max_length=80,
        pattern=SLUG_PATTERN,
        description="Letters, digits, hyphens; made from the title when empty (a title "
        "with no letter or digit then needs one: 422).",
    )
    summary: CleanText = Field("", description="Markdown.")
    open_enrolment: bool = False


class CoursePatch(PatchBody):
    """Only the fields sent change."""

    title: Name = unset(max_length=200)
    slug: str = unset(max_length=80, pattern=SLUG_PATTERN)
    summary: CleanText = unset(description="Markdown.")
    open_enrolment: bool = unset()


class PublishIn(Body):
    published: bool
    include_contents: bool = Field(
        False, description="When publishing: also every draft module and unit inside."
    )


class ProgressOut(Schema):
    completed: int
    total: int
    percent: int


class OutlineUnitOut(Schema):
    id: int
    kind: UnitKind
    title: str
    estimated_minutes: int
    is_draft: bool
    status: UnitStatus
    time_spent_seconds: int
    best_score_percent: float | None


class OutlineModuleOut(Schema):
    id: int
    title: str
    summary_html: str
    published: bool
    units: list[OutlineUnitOut]


class CourseDetailOut(CourseOut):
    """The course page: my enrolment, progress and where to continue, and the outline (staff
    also see drafts, marked ``is_draft``; drafts never count toward progress)."""

    enrolled: bool
    can_self_enrol: bool
    can_open_units: bool
    has_started: bool
    next_unit_id: int | None
    progress: ProgressOut
    modules: list[OutlineModuleOut]


class EnrolmentOut(Schema):
    id: int
    person: PersonOut
    status: EnrolmentStatus
    enrolled_at: datetime


class EnrolByEmailsIn(Body):
    emails: list[EmailAddress] = Field(
        min_length=1, max_length=MAX_ADDRESSES, description="Addresses; all or nothing."
    )


class EnrolmentResultOut(Schema):
    """E-mail by e-mail (normalised): newly ``enrolled`` or ``already_enrolled``; of them,
    ``new_members`` joined the organization. Whether an address had an account is not said
    (each person newly enrolled is e-mailed what fits)."""

    enrolled: list[str]
    already_enrolled: list[str]
    new_members: list[str]


def course_out(course: Course) -> CourseOut:
    return CourseOut(**_course_fields(course))


def _course_fields(course: Course) -> dict[str, Any]:
    return {
        "slug": course.slug,
        "title": course.title,
        "summary": course.summary,
        "summary_html": html(course.summary),
        "open_enrolment": course.open_enrolment,
        "published": course.is_published,
        "published_at": course.published_at,
    }


def _progress(progress: CourseProgress) -> ProgressOut:
    return ProgressOut(completed=progress.completed, total=progress.total, percent=progress.percent)


def _enrolment(enrolment: Enrolment) -> EnrolmentOut:
    return EnrolmentOut(
        id=enrolment.pk,
        person=person_out(enrolment.user),
        status=EnrolmentStatus(enrolment.status),
        enrolled_at=enrolment.enrolled_at,
    )


def _count(course: Course, annotation: str) -> int:
    """A number the list's selector annotated on each course."""
    return int(getattr(course, annotation))


@router.get("/orgs/{org}/courses", response={200: list[CourseListItemOut], **ERRORS})
def list_courses(request: HttpRequest, org: str) -> list[CourseListItemOut]:
    """The courses I may see: the catalog (published) for learners, every course for staff."""
    ctx = member_context(request, org)
    if ctx.may(Permission.VIEW_DRAFTS):
        return [
            CourseListItemOut(
                **_course_fields(c),
                module_count=_count(c, "module_count"),
                unit_count=_count(c, "unit_count"),
                learner_count=_count(c, "learner_count"),
            )
            for c in teaching_courses(ctx)
        ]
    return [
        CourseListItemOut(
            **_course_fields(c),
            module_count=_count(c, "module_count"),
            unit_count=_count(c, "unit_count"),
            is_enrolled=bool(_count(c, "is_enrolled")),
        )
        for c in catalog_courses(ctx)
    ]


@router.post("/orgs/{org}/courses", response={201: CourseOut, **ERRORS})
def create(request: HttpRequest, org: str, payload: CourseIn) -> Status[CourseOut]:
    """Create a draft course (instructors, admins)."""
    ctx = member_context(request, org)
    ctx.require(Permission.AUTHOR_COURSES)
    data = cleaned(CourseForm(payload.model_dump()))
    return Status(201, course_out(create_course(org=ctx.org, created_by=ctx.user, **data)))


@router.get("/orgs/{org}/courses/{course}", response={200: CourseDetailOut, **ERRORS})
def get_course(request: HttpRequest, org: str, course: str) -> CourseDetailOut:
    """The course with its outline, my state in each unit and my progress."""
    ctx = member_context(request, org)
    outline = course_outline(ctx, access_course(ctx, slug=course))
    return CourseDetailOut(
        **_course_fields(outline.course),
        enrolled=outline.enrolment is not None,
        can_self_enrol=outline.can_self_enrol,
        can_open_units=outline.can_open_units,
        has_started=outline.has_started,
        next_unit_id=outline.next_unit.pk if outline.next_unit else None,
        progress=_progress(outline.progress),
        modules=[
            OutlineModuleOut(
                id=m.module.pk,
                title=m.module.title,
                summary_html=html(m.module.summary),
                published=m.module.is_published,
                units=[
                    OutlineUnitOut(
                        id=s.unit.pk,
                        kind=UnitKind(s.unit.kind),
                        title=s.unit.title,
                        estimated_minutes=s.unit.estimated_minutes,
                        is_draft=s.is_draft,
                        status=s.status,
                        time_spent_seconds=s.time_spent_seconds,
                        best_score_percent=s.best_score_percent,
                    )
                    for s in m.units
                ],
            )
            for m in outline.modules
        ],
    )


@router.patch("/orgs/{org}/courses/{course}", response={200: CourseOut, **ERRORS})
def patch_course(request: HttpRequest, org: str, course: str, payload: CoursePatch) -> CourseOut:
    """Change a course's title, address (slug), summary or open enrolment (authors)."""
    _ctx, found = authoring_context(request, org, course)
    current = {
        "title": found.title,
        "slug": found.slug,
        "summary": found.summary,
        "open_enrolment": found.open_enrolment,
    }
    data = cleaned(CourseForm(current | payload.changes()))
    return course_out(edit_course(course=found, **data))


@router.post("/orgs/{org}/courses/{course}/publish", response={200: CourseOut, **ERRORS})
def publish(request: HttpRequest, org: str, course: str, payload: PublishIn) -> CourseOut:
    """Publish a course (optionally with everything inside) or make it a draft again."""
    _ctx, found = authoring_context(request, org, course)
    return course_out(
        set_course_published(
            course=found, published=payload.published, include_contents=payload.include_contents
        )
    )


@router.post("/orgs/{org}/courses/{course}/enrolment", response={200: EnrolmentOut, **ERRORS})
def enrol_myself(request: HttpRequest, org: str, course: str) -> EnrolmentOut:
    """Enrol myself in a published course open for enrolment (403 otherwise)."""
    ctx = member_context(request, org)
    return _enrolment(self_enrol(ctx, access_course(ctx, slug=course)))


@router.get("/orgs/{org}/courses/{course}/enrolments", response={200: list[EnrolmentOut], **ERRORS})
def list_enrolments(request: HttpRequest, org: str, course: str) -> list[EnrolmentOut]:
    """The course's enrolments, active first, by e-mail (staff)."""
    ctx = member_context(request, org)
    found = access_course_for_teaching(ctx, slug=course)
    return [_enrolment(e) for e in course_enrolments(found)]


@router.post(
    "/orgs/{org}/courses/{course}/enrolments", response={200: EnrolmentResultOut, **ERRORS}
)
def enrol_others(
    request: HttpRequest, org: str, course: str, payload: EnrolByEmailsIn
) -> EnrolmentResultOut:
    """Enrol people by e-mail (instructors, admins); all or nothing: one invalid address and
    nobody is enrolled (422)."""
    ctx = member_context(request, org)
    found = access_course_for_teaching(ctx, slug=course)
    ctx.require(Permission.ENROL_OTHERS)
    try:
        result = enrol_by_emails(
            course=found,
            emails=payload.emails,
            enrolled_by=ctx.user,
        )
    except ValidationError as error:
        raise ValidationError({"emails": error.messages}) from error
    return EnrolmentResultOut(
        enrolled=list(result.enrolled),
        already_enrolled=list(result.already_enrolled),
        new_members=list(result.new_members),
    )


@router.delete(
    "/orgs/{org}/courses/{course}/enrolments/{enrolment}",
    response={200: EnrolmentOut, **ERRORS},
)
def withdraw(request: HttpRequest, org: str, course: str, enrolment: int) -> EnrolmentOut:
    """Withdraw a learner (instructors, admins); their progress is kept, so enrolling them
    again picks up where they left off. Answers the enrolment, now ``withdrawn``."""
    ctx = member_context(request, org)
    found = access_course_for_teaching(ctx, slug=course)
    return _enrolment(
        withdraw_learner(enrolment=access_enrolment(ctx, course=found, enrolment_id=enrolment))
    )
