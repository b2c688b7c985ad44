"""Assignments: my assignment (deadline and why, draft, submissions and returned grades),
saving my draft and submitting; for staff, setting an assignment up, extensions, the grading
queue and grading. The same selectors and actions as the pages, so the same policy: a learner
reads only their own work; a TA only the courses they grade.

Files are uploaded and downloaded on the assignment's page (multipart and attachments), not
through this JSON API; a submission says which file it carries.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import AwareDatetime

from cadenza.api.bodies import Body, CleanText, Name
from cadenza.api.common import ERRORS, PersonOut, html, member_context, person_out
from cadenza.assignments import actions
from cadenza.assignments.actions import (
    MAX_CRITERIA,
    MAX_LEVELS,
    MAX_TEXT_CHARACTERS,
    AssignmentSettings,
    CriterionScore,
    CriterionSpec,
    LevelSpec,
)
from cadenza.assignments.deadlines import Deadline, DeadlineSource
from cadenza.assignments.models import Assignment, Grade, RubricCriterion, StoredFile, Submission
from cadenza.assignments.selectors import (
    access_assignment,
    access_assignment_for_authoring,
    access_assignment_for_grading,
    access_course_learner,
    access_submission_for_grading,
    grading_page,
    grading_queue,
    learner_page,
    zone_of,
)
from cadenza.courses.selectors import access_course, access_course_for_teaching, access_module
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext

router = Router(tags=["assignments"])

ASSIGNMENT = "/orgs/{org}/courses/{course}/units/{unit}/assignment"


class DeadlineOut(Schema):
    """The deadline that applies to me, and why (``source``: fixed, after_start, extension,
    not_started, none). ``closes_at``: the end of the late window."""

    due_at: datetime | None
    closes_at: datetime | None
    source: DeadlineSource
    why: str
    due_in: str = Field(description='"due in 2 days", "overdue by 3 hours" ...')


class LevelOut(Schema):
    id: int
    title: str
    points: int


class CriterionOut(Schema):
    id: int
    title: str
    levels: list[LevelOut]


class FileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class ScoreOut(Schema):
    criterion: int
    title: str
    level: int
    level_title: str
    points: int
    max_points: int
    comment_html: str


class GradeOut(Schema):
    """A grade as returned: per criterion, the overall comment, and the late penalty."""

    id: int
    points: int
    max_points: int
    late_penalty_percent: int
    final_points: Decimal
    scores: list[ScoreOut]
    comment_html: str
    graded_at: datetime


class SubmissionOut(Schema):
    id: int
    number: int
    text: str
    text_html: str
    file: FileOut | None
    submitted_at: datetime
    due_at: datetime | None
    days_late: int
    grade: GradeOut | None = Field(description="The newest grade, once returned.")


class SettingsOut(Schema):
    accepts_text: bool
    accepts_file: bool
    due_at: datetime | None
    due_days_after_start: int | None
    late_days: int
    penalty_percent_per_day: int
    penalty_max_percent: int
    allow_resubmission: bool


class AssignmentOut(Schema):
    """The assignment as I see it. ``draft_text`` and ``submissions`` are mine only;
    ``may_submit`` false with ``refusal`` saying why."""

    unit_id: int
    title: str
    instructions_html: str
    settings: SettingsOut
    rubric: list[CriterionOut]
    enrolled: bool
    deadline: DeadlineOut
    draft_text: str
    draft_file: FileOut | None
    may_submit: bool
    refusal: str | None
    late_penalty_if_submitted_now: int
    submissions: list[SubmissionOut]


def _file(stored: StoredFile | None) -> FileOut | None:
    if stored is None:
        return None
    return FileOut(
        id=stored.pk, name=stored.display_name, content_type=stored.content_type, size=stored.size
    )


def _grade(grade: Grade | None) -> GradeOut | None:
    if grade is None:
        return None
    return GradeOut(
        id=grade.pk,
        points=grade.points,
        max_points=grade.max_points,
        late_penalty_percent=grade.late_penalty_percent,
        final_points=grade.final_points,
        scores=[
            ScoreOut(
                criterion=s["criterion"],
                title=s["title"],
                level=s["level"],
                level_title=s["level_title"],
                points=s["points"],
                max_points=s["max_points"],
                comment_html=html(s["comment"]),
            )
            for s in grade.scores
        ],
        comment_html=html(grade.comment),
        graded_at=grade.graded_at,
    )


def _submission(submission: Submission, grade: Grade | None) -> SubmissionOut:
    return SubmissionOut(
        id=submission.pk,
        number=submission.number,
        text=submission.text,
        text_html=html(submission.text),
        file=_file(submission.file),
        submitted_at=submission.submitted_at,
        due_at=submission.due_at,
        days_late=submission.days_late,
        grade=_grade(grade),
    )


def _deadline(deadline: Deadline, due_in: str) -> DeadlineOut:
    return DeadlineOut(
        due_at=deadline.due_at,
        closes_at=deadline.closes_at,
        source=deadline.source,
        why=deadline.why,
        due_in=due_in,
    )


def _rubric(criteria: list[RubricCriterion]) -> list[CriterionOut]:
    return [
        CriterionOut(
            id=c.pk,
            title=c.title,
            levels=[LevelOut(id=lv.pk, title=lv.title, points=lv.points) for lv in c.levels.all()],
        )
        for c in criteria
    ]


def _settings(assignment: Assignment) -> SettingsOut:
    return SettingsOut(
        accepts_text=assignment.accepts_text,
        accepts_file=assignment.accepts_file,
        due_at=assignment.due_at,
        due_days_after_start=assignment.due_days_after_start,
        late_days=assignment.late_days,
        penalty_percent_per_day=assignment.penalty_percent_per_day,
        penalty_max_percent=assignment.penalty_max_percent,
        allow_resubmission=assignment.allow_resubmission,
    )


def _mine(request: HttpRequest, org: str, course: str, unit: int) -> tuple[OrgContext, Assignment]:
    ctx = member_context(request, org)
    found = access_course(ctx, slug=course)
    return ctx, access_assignment(ctx, course=found, unit_id=unit)


def assignment_out(ctx: OrgContext, assignment: Assignment) -> AssignmentOut:
    page = learner_page(ctx, assignment, now=timezone.now())
    unit = assignment.unit
    return AssignmentOut(
        unit_id=unit.pk,
        title=unit.title,
        instructions_html=html(unit.body),
        settings=_settings(assignment),
        rubric=_rubric(page.criteria),
        enrolled=page.enrolled,
        deadline=_deadline(page.deadline, page.due_text),
        draft_text=page.draft.text if page.draft else "",
        draft_file=_file(page.draft.file if page.draft else None),
        may_submit=page.enrolled and page.refusal is None,
        refusal=page.refusal.value if page.refusal else None,
        late_penalty_if_submitted_now=page.penalty_if_now,
        submissions=[
            _submission(work.submission, work.grade.grade if work.grade else None)
            for work in page.submissions
        ],
    )


@router.get(ASSIGNMENT, response={200: AssignmentOut, **ERRORS})
def get_assignment(request: HttpRequest, org: str, course: str, unit: int) -> AssignmentOut:
    """The assignment with my deadline (in UTC; show it in my zone), my draft and my own
    submissions with the grades returned."""
    ctx, assignment = _mine(request, org, course, unit)
    return assignment_out(ctx, assignment)


class DraftIn(Body):
    text: CleanText = Field(max_length=MAX_TEXT_CHARACTERS)


class DraftOut(Schema):
    text: str
    saved_at: datetime


@router.put(ASSIGNMENT + "/draft", response={200: DraftOut, **ERRORS})
def save_draft(
    request: HttpRequest, org: str, course: str, unit: int, payload: DraftIn
) -> DraftOut:
    """Save my written answer so far (as I type). 400 for an assignment that takes files only."""
    ctx, assignment = _mine(request, org, course, unit)
    draft = actions.save_draft(assignment=assignment, learner=ctx.user, text=payload.text)
    return DraftOut(text=draft.text, saved_at=draft.saved_at)


@router.post(ASSIGNMENT + "/submissions", response={201: SubmissionOut, **ERRORS})
def submit(request: HttpRequest, org: str, course: str, unit: int) -> Status[SubmissionOut]:
    """Submit my draft (its text and file). 400 when I am not enrolled, the draft is empty,
    or the deadline rule refuses (closed, no resubmission, resubmitting after the due date)."""
    ctx, assignment = _mine(request, org, course, unit)
    submission = actions.submit(assignment=assignment, learner=ctx.user, zone=zone_of(ctx.user))
    return Status(201, _submission(submission, None))


class LevelIn(Body):
    title: Name = Field(max_length=120)
    points: int = Field(ge=0, le=1000)


class CriterionIn(Body):
    title: Name = Field(max_length=200)
    description: CleanText = Field("", max_length=2000)
    levels: list[LevelIn] = Field(min_length=1, max_length=MAX_LEVELS)


class AssignmentIn(Body):
    """An assignment's instructions, settings and rubric. ``due_at`` (for everyone) and
    ``due_days_after_start`` (self-paced) exclude each other. A rubric is kept as it is once
    a submission is graded (400 if it would change)."""

    title: Name = Field(max_length=200)
    instructions: CleanText = Field("", max_length=MAX_TEXT_CHARACTERS)
    accepts_text: bool = True
    accepts_file: bool = False
    due_at: AwareDatetime | None = None
    due_days_after_start: int | None = Field(None, ge=1, le=3650)
    late_days: int = Field(0, ge=0, le=365)
    penalty_percent_per_day: int = Field(0, ge=0, le=100)
    penalty_max_percent: int = Field(100, ge=0, le=100)
    allow_resubmission: bool = False
    rubric: list[CriterionIn] = Field(default_factory=list, max_length=MAX_CRITERIA)

    def settings(self) -> AssignmentSettings:
        return AssignmentSettings(
            accepts_text=self.accepts_text,
            accepts_file=self.accepts_file,
            due_at=self.due_at,
            due_days_after_start=self.due_days_after_start,
            late_days=self.late_days,
            penalty_percent_per_day=self.penalty_percent_per_day,
            penalty_max_percent=self.penalty_max_percent,
            allow_resubmission=self.allow_resubmission,
        )

    def criteria(self) -> list[CriterionSpec]:
        return [
            CriterionSpec(
                title=c.title.strip(),
                description=c.description.strip(),
                levels=[LevelSpec(title=lv.title.strip(), points=lv.points) for lv in c.levels],
            )
            for c in self.rubric
        ]


@router.post(
    "/orgs/{org}/courses/{course}/modules/{module}/assignments",
    response={201: AssignmentOut, **ERRORS},
)
def create_assignment(
    request: HttpRequest, org: str, course: str, module: int, payload: AssignmentIn
) -> Status[AssignmentOut]:
    """Add a draft assignment unit to a module (authors)."""
    ctx = member_context(request, org)
    ctx.require(Permission.AUTHOR_COURSES)
    found_course = access_course_for_teaching(ctx, slug=course)
    found_module = access_module(ctx, course=found_course, module_id=module)
    assignment = actions.create_assignment(
        module=found_module,
        title=payload.title,
        body=payload.instructions,
        settings=payload.settings(),
        rubric=payload.criteria(),
    )
    assignment.unit.course = found_course
    return Status(201, assignment_out(ctx, assignment))


@router.put(ASSIGNMENT, response={200: AssignmentOut, **ERRORS})
def edit_assignment(
    request: HttpRequest, org: str, course: str, unit: int, payload: AssignmentIn
) -> AssignmentOut:
    """Replace an assignment's instructions, settings and rubric (authors)."""
    ctx = member_context(request, org)
    assignment = access_assignment_for_authoring(ctx, course_slug=course, unit_id=unit)
    actions.edit_assignment(
        assignment=assignment,
        title=payload.title,
        body=payload.instructions,
        settings=payload.settings(),
        rubric=payload.criteria(),
    )
    return assignment_out(ctx, assignment)


class ExtensionIn(Body):
    due_at: AwareDatetime
    reason: Name = Field(max_length=300, description="The learner reads it.")


class ExtensionOut(Schema):
    learner: PersonOut
    due_at: datetime
    reason: str
    granted_by: PersonOut
    granted_at: datetime


@router.put(ASSIGNMENT + "/extensions/{learner}", response={200: ExtensionOut, **ERRORS})
def grant_extension(
    request: HttpRequest, org: str, course: str, unit: int, learner: int, payload: ExtensionIn
) -> ExtensionOut:
    """Give one enrolled learner their own due date, with the reason (instructors, admins)."""
    ctx = member_context(request, org)
    ctx.require(Permission.GRANT_EXTENSIONS)
    assignment = access_assignment_for_grading(ctx, course_slug=course, unit_id=unit)
    person = access_course_learner(ctx, assignment=assignment, learner_id=learner)
    extension = actions.grant_extension(
        assignment=assignment,
        learner=person,
        due_at=payload.due_at,
        reason=payload.reason,
        granted_by=ctx.user,
    )
    return ExtensionOut(
        learner=person_out(person),
        due_at=extension.due_at,
        reason=extension.reason,
        granted_by=person_out(ctx.user),
        granted_at=extension.granted_at,
    )


class QueueEntryOut(Schema):
    submission_id: int
    learner: PersonOut
    course: str = Field(description="The course's slug.")
    unit_id: int
    assignment: str
    number: int
    submitted_at: datetime
    days_late: int
    waiting_hours: float
    target_hours: int
    past_target: bool


@router.get("/orgs/{org}/grading-queue", response={200: list[QueueEntryOut], **ERRORS})
def get_grading_queue(request: HttpRequest, org: str) -> list[QueueEntryOut]:
    """Submissions waiting for a grade in the courses I grade, longest waiting first, with
    the course's turnaround target (403 for learners)."""
    ctx = member_context(request, org)
    return [
        QueueEntryOut(
            submission_id=e.submission.pk,
            learner=person_out(e.submission.learner),
            course=e.submission.course.slug,
            unit_id=e.submission.assignment.unit_id,
            assignment=e.submission.assignment.unit.title,
            number=e.submission.number,
            submitted_at=e.submission.submitted_at,
            days_late=e.submission.days_late,
            waiting_hours=round(e.waited.total_seconds() / 3600, 1),
            target_hours=e.target_hours,
            past_target=e.overdue,
        )
        for e in grading_queue(ctx, now=timezone.now())
    ]


class GradingOut(Schema):
    """A submission as its graders see it, with the rubric and every grade, newest first."""

    submission: SubmissionOut
    learner: PersonOut
    rubric: list[CriterionOut]
    late_penalty_percent: int
    is_newest: bool
    history: list[GradeOut]


def _grading(submission: Submission) -> GradingOut:
    page = grading_page(submission)
    newest = page.history[0] if page.history else None
    return GradingOut(
        submission=_submission(submission, newest),
        learner=person_out(submission.learner),
        rubric=_rubric(page.criteria),
        late_penalty_percent=page.penalty_percent,
        is_newest=page.is_newest,
        history=[g for g in (_grade(grade) for grade in page.history) if g is not None],
    )


@router.get("/orgs/{org}/submissions/{submission}", response={200: GradingOut, **ERRORS})
def get_submission(request: HttpRequest, org: str, submission: int) -> GradingOut:
    """One submission of a course I grade (403 for learners, 404 for a course I do not
    grade)."""
    ctx = member_context(request, org)
    return _grading(access_submission_for_grading(ctx, submission_id=submission))


class ScoreIn(Body):
    criterion: int = Field(ge=1, le=2**63 - 1)
    level: int = Field(ge=1, le=2**63 - 1)
    comment: CleanText = Field("", max_length=MAX_TEXT_CHARACTERS)


class GradeIn(Body):
    scores: list[ScoreIn] = Field(max_length=MAX_CRITERIA)
    comment: CleanText = Field("", max_length=MAX_TEXT_CHARACTERS)


@router.post("/orgs/{org}/submissions/{submission}/grades", response={201: GradingOut, **ERRORS})
def grade(request: HttpRequest, org: str, submission: int, payload: GradeIn) -> Status[GradingOut]:
    """Grade a submission with the rubric: a level per criterion, comments. A new grade is
    appended to the history; the late penalty is applied."""
    ctx = member_context(request, org)
    found = access_submission_for_grading(ctx, submission_id=submission)
    actions.grade_submission(
        submission=found,
        scores=[
            CriterionScore(criterion_id=s.criterion, level_id=s.level, comment=s.comment)
            for s in payload.scores
        ],
        comment=payload.comment,
        graded_by=ctx.user,
    )
    return Status(201, _grading(found))
