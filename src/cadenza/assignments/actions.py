"""Every write of assignments: setting one up, its rubric, graders and turnaround target,
extensions, drafts, submitting and grading.

One transaction each. Submitting and grading write their xAPI statements (``submitted``,
``scored``) in the same transaction, with event keys derived from the rows, and submitting
completes the unit through learning's ``complete_unit``. A refusal is a ``DomainError``
raised before anything is written. Who may call what is the caller's question (the
``access_*`` selectors); the acting person is always passed explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.activity.actions import LearningObject, record
from cadenza.activity.verbs import Verb
from cadenza.assignments import files
from cadenza.assignments.deadlines import (
    GrantedExtension,
    days_late,
    deadline_for,
    late_penalty_percent,
    submit_refusal,
)
from cadenza.assignments.models import (
    Assignment,
    CourseGrader,
    CourseGrading,
    Draft,
    Extension,
    Grade,
    RubricCriterion,
    RubricLevel,
    StoredFile,
    Submission,
)
from cadenza.courses.actions import add_unit
from cadenza.courses.models import Course, Enrolment, EnrolmentStatus, Module, Unit, UnitKind
from cadenza.courses.outline_actions import edit_unit
from cadenza.courses.uploads import CheckedUpload
from cadenza.learning.actions.progress import complete_unit
from cadenza.lib.errors import DomainError
from cadenza.orgs.models import Membership, Role

MAX_TEXT_CHARACTERS = 100_000
"""About forty pages: more than any written assignment needs, less than a paste accident."""

EARLIEST_DATE = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_DATE = datetime(2999, 12, 31, tzinfo=UTC)

MAX_CRITERIA = 20
MAX_LEVELS = 10


class AssignmentError(DomainError):
    """A write about assignments refused by one of their rules."""


@dataclass(frozen=True, slots=True)
class AssignmentSettings:
    """What an instructor sets on an assignment (``Assignment``'s fields)."""

    accepts_text: bool = True
    accepts_file: bool = False
    due_at: datetime | None = None
    due_days_after_start: int | None = None
    late_days: int = 0
    penalty_percent_per_day: int = 0
    penalty_max_percent: int = 100
    allow_resubmission: bool = False


@dataclass(frozen=True, slots=True)
class LevelSpec:
    title: str
    points: int


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    title: str
    levels: list[LevelSpec]
    description: str = ""


@dataclass(frozen=True, slots=True)
class CriterionScore:
    """The grader's choice for one criterion: the level and a comment."""

    criterion_id: int
    level_id: int
    comment: str = ""


def assignment_object(unit: Unit) -> LearningObject:
    """The assignment unit as the object of an xAPI statement."""
    return LearningObject(
        type="assignment",
        id=str(unit.pk),
        iri=f"urn:cadenza:{unit.org.slug}:unit:{unit.pk}",
        name=unit.title,
    )


def _check_settings(settings: AssignmentSettings) -> None:
    if not settings.accepts_text and not settings.accepts_file:
        raise AssignmentError("An assignment takes a written answer, a file or both.")
    if settings.due_at is not None and settings.due_days_after_start is not None:
        raise AssignmentError(
            "Choose a due date for everyone or a number of days after each learner starts, "
            "not both."
        )
    if settings.due_at is not None:
        _check_date(settings.due_at)
    if settings.due_days_after_start is not None and not 1 <= settings.due_days_after_start <= 3650:
        raise AssignmentError("Days after the start must be between 1 and 3650.")
    if not 0 <= settings.late_days <= 365:
        raise AssignmentError("The late window is between 0 and 365 days.")
    for value in (settings.penalty_percent_per_day, settings.penalty_max_percent):
        if not 0 <= value <= 100:
            raise AssignmentError("A late penalty is between 0 and 100 percent.")


def _check_date(due_at: datetime) -> None:
    if timezone.is_naive(due_at):
        raise ValueError("due_at must be an aware datetime")
    if not EARLIEST_DATE <= due_at <= LATEST_DATE:
        raise AssignmentError("Choose a due date between the years 2000 and 2999.")


def _apply(assignment: Assignment, settings: AssignmentSettings) -> None:
    assignment.accepts_text = settings.accepts_text
    assignment.accepts_file = settings.accepts_file
    assignment.due_at = settings.due_at
    assignment.due_days_after_start = settings.due_days_after_start
    assignment.late_days = settings.late_days
    assignment.penalty_percent_per_day = settings.penalty_percent_per_day
    assignment.penalty_max_percent = settings.penalty_max_percent
    assignment.allow_resubmission = settings.allow_resubmission


@transaction.atomic
def create_assignment(
    *,
    module: Module,
    title: str,
    body: str,
    settings: AssignmentSettings,
    rubric: list[CriterionSpec] | None = None,
) -> Assignment:
    """Append a draft assignment unit to ``module`` with its settings and rubric."""
    _check_settings(settings)
    unit = add_unit(module=module, kind=UnitKind.ASSIGNMENT, title=title, body=body)
    assignment = Assignment(org_id=unit.org_id, unit=unit)
    _apply(assignment, settings)
    assignment.full_clean()
    assignment.save()
    if rubric:
        set_rubric(assignment=assignment, criteria=rubric)
    return assignment


@transaction.atomic
def edit_assignment(
    *,
    assignment: Assignment,
    title: str,
    body: str,
    settings: AssignmentSettings,
    rubric: list[CriterionSpec] | None = None,
) -> Assignment:
    """Change the unit's title and instructions, the assignment's settings and (when
    ``rubric`` is given and differs from the one kept) its rubric. Work already submitted
    keeps the due date and lateness it was submitted with. All or nothing."""
    _check_settings(settings)
    unit = assignment.unit
    edit_unit(unit=unit, title=title, body=body, estimated_minutes=unit.estimated_minutes)
    _apply(assignment, settings)
    assignment.full_clean()
    assignment.save()
    if rubric is not None and rubric != _current_rubric(assignment):
        set_rubric(assignment=assignment, criteria=rubric)
    return assignment


def _current_rubric(assignment: Assignment) -> list[CriterionSpec]:
    criteria = RubricCriterion.objects.filter(assignment=assignment).prefetch_related("levels")
    return [
        CriterionSpec(
            title=c.title,
            description=c.description,
            levels=[LevelSpec(title=level.title, points=level.points) for level in c.levels.all()],
        )
        for c in criteria
    ]


@transaction.atomic
def set_rubric(*, assignment: Assignment, criteria: list[CriterionSpec]) -> list[RubricCriterion]:
    """Replace the rubric. Refused once any submission is graded (grades quote the rubric
    they were given with; a changed rubric would make the queue's grades disagree)."""
    if Grade.objects.filter(submission__assignment=assignment).exists():
        raise AssignmentError("Submissions are graded with this rubric already: it is kept.")
    if len(criteria) > MAX_CRITERIA:
        raise AssignmentError(f"A rubric has at most {MAX_CRITERIA} criteria.")
    for criterion in criteria:
        if not criterion.title.strip():
            raise AssignmentError("Every criterion needs a title.")
        if not 1 <= len(criterion.levels) <= MAX_LEVELS:
            raise AssignmentError(f"“{criterion.title}” needs between 1 and {MAX_LEVELS} levels.")
        for level in criterion.levels:
            if not level.title.strip():
                raise AssignmentError(f"Every level of “{criterion.title}” needs a name.")
            if not 0 <= level.points <= 1000:
                raise AssignmentError("A level is worth between 0 and 1000 points.")
    RubricCriterion.objects.filter(assignment=assignment).delete()
    made = []
    for position, criterion in enumerate(criteria):
        row = RubricCriterion.objects.create(
            org_id=assignment.org_id,
            assignment=assignment,
            title=criterion.title.strip(),
            description=criterion.description.strip(),
            position=position,
        )
        RubricLevel.objects.bulk_create(
            RubricLevel(
                org_id=assignment.org_id,
                criterion=row,
                title=level.title.strip(),
                points=level.points,
                position=level_position,
            )
            for level_position, level in enumerate(criterion.levels)
        )
        made.append(row)
    return made


@transaction.atomic
def set_turnaround_target(*, course: Course, hours: int) -> CourseGrading:
    """The course's feedback-turnaround target, in hours (1 to 2000)."""
    if not 1 <= hours <= 2000:
        raise AssignmentError("The turnaround target is between 1 and 2000 hours.")
    grading, _ = CourseGrading.objects.update_or_create(
        course=course, defaults={"org_id": course.org_id, "turnaround_hours": hours}
    )
    return grading


@transaction.atomic
def add_grader(*, course: Course, user: User, added_by: User) -> CourseGrader:
    """Make a TA of the course's organization one of its graders (idempotent)."""
    is_ta = Membership.objects.filter(org_id=course.org_id, user=user, role=Role.TA).exists()
    if not is_ta:
        raise AssignmentError("Only a teaching assistant of this organization is added here.")
    grader, _ = CourseGrader.objects.get_or_create(
        course=course, user=user, defaults={"org_id": course.org_id, "added_by": added_by}
    )
    return grader


@transaction.atomic
def remove_grader(*, course: Course, user: User) -> None:
    CourseGrader.objects.filter(course=course, user=user).delete()


def _active_enrolment(assignment: Assignment, learner: User) -> Enrolment | None:
    return (
        Enrolment.objects.filter(
            course_id=assignment.unit.course_id, user=learner, status=EnrolmentStatus.ACTIVE
        )
        .order_by()
        .first()
    )


@transaction.atomic
def grant_extension(
    *,
    assignment: Assignment,
    learner: User,
    due_at: datetime,
    reason: str,
    granted_by: User,
    now: datetime | None = None,
) -> Extension:
    """Give one enrolled learner their own due date, with a reason they will read. A second
    grant replaces the first (the row says who granted it last, and when)."""
    _check_date(due_at)
    reason = reason.strip()
    if not reason:
        raise AssignmentError("Give the reason for the extension: the learner sees it.")
    if len(reason) > 300:
        raise AssignmentError("Keep the reason under 300 characters.")
    if _active_enrolment(assignment, learner) is None:
        raise AssignmentError("Extensions are for learners enrolled in the course.")
    extension, _ = Extension.objects.update_or_create(
        assignment=assignment,
        learner=learner,
        defaults={
            "org_id": assignment.org_id,
            "due_at": due_at,
            "reason": reason,
            "granted_by": granted_by,
            "granted_at": now or timezone.now(),
        },
    )
    return extension


@transaction.atomic
def revoke_extension(*, assignment: Assignment, learner: User) -> None:
    Extension.objects.filter(assignment=assignment, learner=learner).delete()


def _locked_draft(*, assignment: Assignment, learner: User, now: datetime) -> Draft:
    """The learner's draft, locked (made on the first save). Drafts are for learners enrolled
    in the course: staff previewing the page have no work to keep."""
    if _active_enrolment(assignment, learner) is None:
        raise AssignmentError("Only learners enrolled in the course submit its assignments.")
    draft, _ = Draft.objects.select_for_update().get_or_create(
        assignment=assignment,
        learner=learner,
        defaults={"org_id": assignment.org_id, "saved_at": now},
    )
    return draft


@transaction.atomic
def save_draft(
    *, assignment: Assignment, learner: User, text: str, now: datetime | None = None
) -> Draft:
    """Keep what the learner has written so far (called as they type). Drafts are theirs
    alone and never graded; saving one is possible whatever the deadline says."""
    if not assignment.accepts_text:
        raise AssignmentError("This assignment takes a file, not a written answer.")
    if len(text) > MAX_TEXT_CHARACTERS:
        raise AssignmentError(
            f"The answer is too long: at most {MAX_TEXT_CHARACTERS:,} characters."
        )
    now = now or timezone.now()
    draft = _locked_draft(assignment=assignment, learner=learner, now=now)
    draft.text = text
    draft.saved_at = now
    draft.save(update_fields=["text", "saved_at"])
    return draft


@transaction.atomic
def attach_file(
    *, assignment: Assignment, learner: User, upload: CheckedUpload, now: datetime | None = None
) -> Draft:
    """Keep a checked upload (``courses.uploads.check_upload``) as the draft's file. The
    previous file stays stored when a submission quotes it."""
    if not assignment.accepts_file:
        raise AssignmentError("This assignment takes a written answer, not a file.")
    now = now or timezone.now()
    draft = _locked_draft(assignment=assignment, learner=learner, now=now)
    storage_name = str(upload.file.name)
    files.write_file(org_id=assignment.org_id, storage_name=storage_name, upload=upload.file)
    draft.file = StoredFile.objects.create(
        org_id=assignment.org_id,
        owner=learner,
        storage_name=storage_name,
        display_name=upload.display_name,
        content_type=upload.content_type,
        size=upload.size,
        uploaded_at=now,
    )
    draft.saved_at = now
    draft.save(update_fields=["file", "saved_at"])
    return draft


@transaction.atomic
def detach_file(*, assignment: Assignment, learner: User, now: datetime | None = None) -> Draft:
    """Take the file off the draft (it stays stored when a submission quotes it)."""
    now = now or timezone.now()
    draft = _locked_draft(assignment=assignment, learner=learner, now=now)
    draft.file = None
    draft.saved_at = now
    draft.save(update_fields=["file", "saved_at"])
    return draft


@transaction.atomic
def submit(
    *, assignment: Assignment, learner: User, zone: ZoneInfo, now: datetime | None = None
) -> Submission:
    """Hand in the draft as the learner's next submission.

    Refused (nothing written) for someone not enrolled, an empty draft, or when the deadline
    rule says no (``deadlines.submit_refusal``). The submission keeps the due date that
    applied and how many days late it was. Records "submitted" and completes the unit, in
    this transaction.
    """
    now = now or timezone.now()
    unit = assignment.unit
    enrolment = _active_enrolment(assignment, learner)
    if enrolment is None:
        raise AssignmentError("Only learners enrolled in the course submit its assignments.")
    draft = _locked_draft(assignment=assignment, learner=learner, now=now)
    text = draft.text if assignment.accepts_text else ""
    stored = draft.file if assignment.accepts_file else None
    if not text.strip() and stored is None:
        raise AssignmentError("There is nothing to submit yet: write your answer or add a file.")
    previous = (
        Submission.objects.filter(assignment=assignment, learner=learner)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    extension = Extension.objects.filter(assignment=assignment, learner=learner).first()
    deadline = deadline_for(
        assignment.rule,
        started_at=enrolment.enrolled_at,
        zone=zone,
        extension=GrantedExtension(extension.due_at, extension.reason) if extension else None,
    )
    refusal = submit_refusal(
        assignment.rule, deadline, now=now, already_submitted=previous is not None
    )
    if refusal is not None:
        raise AssignmentError(refusal.value)
    submission = Submission.objects.create(
        org_id=assignment.org_id,
        course_id=unit.course_id,
        assignment=assignment,
        learner=learner,
        number=(previous or 0) + 1,
        text=text,
        file=stored,
        submitted_at=now,
        due_at=deadline.due_at,
        days_late=days_late(submitted_at=now, due_at=deadline.due_at),
    )
    record(
        org=unit.org,
        actor=learner,
        verb=Verb.SUBMITTED,
        obj=assignment_object(unit),
        event_key=f"assignment-submitted:{submission.pk}",
        result={"completion": True},
        context={"extensions": {"urn:cadenza:submission": submission.number}},
        timestamp=now,
    )
    complete_unit(user=learner, unit=unit, now=now)
    return submission


@transaction.atomic
def grade_submission(
    *,
    submission: Submission,
    scores: list[CriterionScore],
    comment: str,
    graded_by: User,
    now: datetime | None = None,
) -> Grade:
    """Grade a submission with the rubric: one level (and a comment) per criterion, an overall
    comment. Appends a ``Grade`` (the history is never rewritten); the late penalty of the
    submission's lateness is applied to the points. Records "scored" for the learner.

    Refused: a submission a newer one replaced, an assignment without a rubric, a criterion
    without a level or a level of another criterion.
    """
    now = now or timezone.now()
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    assignment = Assignment.objects.select_related("unit__org").get(pk=submission.assignment_id)
    newer = Submission.objects.filter(
        assignment=assignment, learner_id=submission.learner_id, number__gt=submission.number
    ).exists()
    if newer:
        raise AssignmentError("The learner submitted again since: grade the newest submission.")
    criteria = list(
        RubricCriterion.objects.filter(assignment=assignment).prefetch_related("levels")
    )
    if not criteria:
        raise AssignmentError("Give the assignment a rubric before grading.")
    by_criterion = {score.criterion_id: score for score in scores}
    if len(by_criterion) != len(scores) or set(by_criterion) - {c.pk for c in criteria}:
        raise AssignmentError("Each score must name one criterion of this rubric, once.")
    for text in [comment, *(score.comment for score in scores)]:
        if len(text) > MAX_TEXT_CHARACTERS:
            raise AssignmentError("A comment is too long.")
    written = []
    points = 0
    max_points = 0
    for criterion in criteria:
        levels = {level.pk: level for level in criterion.levels.all()}
        best = max((level.points for level in levels.values()), default=0)
        max_points += best
        score = by_criterion.get(criterion.pk)
        if score is None or score.level_id not in levels:
            raise AssignmentError(f"Choose a level of “{criterion.title}”.")
        level = levels[score.level_id]
        points += level.points
        written.append(
            {
                "criterion": criterion.pk,
                "title": criterion.title,
                "level": level.pk,
                "level_title": level.title,
                "points": level.points,
                "max_points": best,
                "comment": score.comment.strip(),
            }
        )
    penalty = late_penalty_percent(assignment.rule, days=submission.days_late)
    final = (Decimal(points) * (100 - penalty) / 100).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    grade = Grade.objects.create(
        org_id=submission.org_id,
        submission=submission,
        scores=written,
        comment=comment.strip(),
        points=points,
        max_points=max_points,
        late_penalty_percent=penalty,
        final_points=final,
        graded_by=graded_by,
        graded_at=now,
    )
    submission.graded_at = now
    fields = ["graded_at"]
    if submission.returned_at is None:
        submission.returned_at = now
        fields.append("returned_at")
    submission.save(update_fields=fields)
    learner = User.objects.get(pk=submission.learner_id)
    record(
        org=assignment.unit.org,
        actor=learner,
        verb=Verb.SCORED,
        obj=assignment_object(assignment.unit),
        event_key=f"assignment-graded:{grade.pk}",
        result={
            "score": {
                "raw": float(final),
                "min": 0,
                "max": max_points,
                "scaled": round(float(final) / max_points, 4) if max_points else 0,
            }
        },
        context={
            "instructor": {"objectType": "Agent", "mbox": f"mailto:{graded_by.email}"},
            "extensions": {
                "urn:cadenza:submission": submission.number,
                "urn:cadenza:late-penalty-percent": penalty,
            },
        },
        timestamp=now,
    )
    return grade
