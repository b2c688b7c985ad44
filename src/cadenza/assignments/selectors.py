"""Reading assignments: who grades which course, the learner's page, the grading queue.

Two rules live here and nowhere else:

- ``gradable_courses(ctx)``: the courses whose submissions a person may read and grade
  (instructors and admins: all of the organization's; a TA: the courses they grade;
  learners: none). Every staff read of submissions filters through it.
- A learner reads only their own drafts, submissions, grades and files: every learner read
  filters on ``learner=ctx.user``.

``access_*`` fetch one object *and* authorize it (404 for another organization's, or for one
the person may not see; 403 for a role that may never do it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from cadenza.accounts.models import User
from cadenza.assignments.deadlines import (
    Deadline,
    GrantedExtension,
    SubmitRefusal,
    days_late,
    deadline_for,
    describe_due,
    late_penalty_percent,
    submit_refusal,
)
from cadenza.assignments.models import (
    DEFAULT_TURNAROUND_HOURS,
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
from cadenza.courses.models import Course, Enrolment, EnrolmentStatus, UnitKind
from cadenza.courses.selectors import access_course, access_unit
from cadenza.orgs.models import Membership, Role
from cadenza.orgs.policy import Permission, may_grade
from cadenza.orgs.selectors import OrgContext, scoped

TURNAROUND_WINDOW = timedelta(days=90)
"""The turnaround achieved is measured over the work returned in the last 90 days."""


def gradable_courses(ctx: OrgContext) -> QuerySet[Course]:
    """The courses of the organization whose submissions ``ctx.user`` may read and grade."""
    courses = scoped(Course.objects.all(), ctx.org)
    if may_grade(ctx.role, is_course_grader=False):
        return courses
    if may_grade(ctx.role, is_course_grader=True):
        return courses.filter(
            Exists(CourseGrader.objects.filter(course=OuterRef("pk"), user=ctx.user))
        )
    return courses.none()


def grades_course(ctx: OrgContext, course: Course) -> bool:
    """``gradable_courses`` for one course."""
    if may_grade(ctx.role, is_course_grader=False):
        return True
    is_grader = CourseGrader.objects.filter(course=course, user=ctx.user).exists()
    return may_grade(ctx.role, is_course_grader=is_grader)


def zone_of(user: User) -> ZoneInfo:
    """The person's own zone: their deadlines are counted and shown in it."""
    return ZoneInfo(user.time_zone or "UTC")


def access_assignment(ctx: OrgContext, *, course: Course, unit_id: int) -> Assignment:
    """An assignment unit the person may open (``access_unit``: staff, or a learner enrolled
    in the course), with its assignment row; 404 for any other unit."""
    unit = access_unit(ctx, course=course, unit_id=unit_id)
    if unit.kind != UnitKind.ASSIGNMENT:
        raise Http404("No such assignment.")
    assignment = scoped(Assignment.objects.filter(unit=unit), ctx.org).first()
    if assignment is None:
        raise Http404("No such assignment.")
    unit.course = course
    assignment.unit = unit
    return assignment


def access_assignment_for_authoring(
    ctx: OrgContext, *, course_slug: str, unit_id: int
) -> Assignment:
    """An assignment for the people who author the course (403 for other roles)."""
    ctx.require(Permission.AUTHOR_COURSES)
    course = access_course(ctx, slug=course_slug)
    return access_assignment(ctx, course=course, unit_id=unit_id)


def access_assignment_for_grading(ctx: OrgContext, *, course_slug: str, unit_id: int) -> Assignment:
    """An assignment of a course the person grades (403 for learners, 404 for a TA's
    course that is not theirs)."""
    ctx.require(Permission.GRADE_ASSIGNED_COURSES)
    course = access_course(ctx, slug=course_slug)
    if not grades_course(ctx, course):
        raise Http404("No such assignment.")
    return access_assignment(ctx, course=course, unit_id=unit_id)


def learner_enrolment(assignment: Assignment, learner: User) -> Enrolment | None:
    return (
        Enrolment.objects.filter(
            course_id=assignment.unit.course_id, user=learner, status=EnrolmentStatus.ACTIVE
        )
        .order_by()
        .first()
    )


def deadline_of(
    assignment: Assignment,
    *,
    learner: User,
    enrolment: Enrolment | None,
    extension: Extension | None,
) -> Deadline:
    """The deadline that applies to ``learner`` (``deadlines.deadline_for``)."""
    return deadline_for(
        assignment.rule,
        started_at=enrolment.enrolled_at if enrolment else None,
        zone=zone_of(learner),
        extension=GrantedExtension(extension.due_at, extension.reason) if extension else None,
    )


@dataclass(frozen=True, slots=True)
class ReturnedGrade:
    """A grade as its learner reads it: per criterion, the overall comment, the penalty."""

    grade: Grade
    penalty_points: str


@dataclass(frozen=True, slots=True)
class SubmittedWork:
    submission: Submission
    grade: ReturnedGrade | None


@dataclass(frozen=True, slots=True)
class LearnerPage:
    """What the learner's assignment page and its API show."""

    assignment: Assignment
    enrolled: bool
    deadline: Deadline
    due_text: str
    draft: Draft | None
    submissions: list[SubmittedWork]
    refusal: SubmitRefusal | None
    criteria: list[RubricCriterion]
    penalty_if_now: int


def _returned(grade: Grade | None) -> ReturnedGrade | None:
    if grade is None:
        return None
    lost = grade.points - grade.final_points
    return ReturnedGrade(grade=grade, penalty_points=f"{lost:.2f}")


def _rubric(assignment: Assignment) -> list[RubricCriterion]:
    levels = RubricLevel.objects.order_by("position", "id")
    return list(
        RubricCriterion.objects.filter(assignment=assignment)
        .order_by("position", "id")
        .prefetch_related(Prefetch("levels", queryset=levels))
    )


def learner_page(ctx: OrgContext, assignment: Assignment, *, now: datetime) -> LearnerPage:
    """The viewer's own assignment: their deadline and why, draft, submissions with the
    grades returned, and whether they may submit now. A fixed number of queries (7)."""
    enrolment = learner_enrolment(assignment, ctx.user)
    extension = Extension.objects.filter(assignment=assignment, learner=ctx.user).first()
    deadline = deadline_of(assignment, learner=ctx.user, enrolment=enrolment, extension=extension)
    draft = (
        Draft.objects.filter(assignment=assignment, learner=ctx.user).select_related("file").first()
    )
    newest_grade = Grade.objects.order_by("-graded_at", "-id")
    submissions = list(
        Submission.objects.filter(assignment=assignment, learner=ctx.user)
        .select_related("file")
        .prefetch_related(Prefetch("grades", queryset=newest_grade, to_attr="newest_grades"))
        .order_by("-number")
    )
    work = [
        SubmittedWork(
            submission=s,
            grade=_returned(s.newest_grades[0] if s.newest_grades else None),
        )
        for s in submissions
    ]
    refusal = submit_refusal(
        assignment.rule, deadline, now=now, already_submitted=bool(submissions)
    )
    return LearnerPage(
        assignment=assignment,
        enrolled=enrolment is not None,
        deadline=deadline,
        due_text=describe_due(deadline.due_at, now=now),
        draft=draft,
        submissions=work,
        refusal=refusal,
        criteria=_rubric(assignment),
        penalty_if_now=late_penalty_percent(
            assignment.rule, days=days_late(submitted_at=now, due_at=deadline.due_at)
        ),
    )


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One submission waiting for a grade, how long it has waited and whether that is past
    its course's turnaround target."""

    submission: Submission
    waited: timedelta
    target_hours: int
    overdue: bool


def _target_hours() -> Coalesce:
    target = CourseGrading.objects.filter(course=OuterRef("course")).values("turnaround_hours")
    return Coalesce(Subquery(target[:1], output_field=IntegerField()), DEFAULT_TURNAROUND_HOURS)


def grading_queue(
    ctx: OrgContext, *, now: datetime, course: Course | None = None
) -> list[QueueEntry]:
    """Submissions waiting for a grade in the courses the person grades, longest waiting
    first (a submission a newer one replaced is not waiting). One query."""
    ctx.require(Permission.GRADE_ASSIGNED_COURSES)
    newer = Submission.objects.filter(
        assignment=OuterRef("assignment"),
        learner=OuterRef("learner"),
        number__gt=OuterRef("number"),
    )
    rows = (
        scoped(Submission.objects.all(), ctx.org)
        .filter(graded_at__isnull=True, course__in=gradable_courses(ctx))
        .exclude(Exists(newer))
        .select_related("learner", "course", "assignment__unit")
        .annotate(target_hours=_target_hours())
        .order_by("submitted_at", "id")
    )
    if course is not None:
        rows = rows.filter(course=course)
    entries = []
    for submission in rows:
        waited = now - submission.submitted_at
        target: int = submission.target_hours
        entries.append(
            QueueEntry(
                submission=submission,
                waited=waited,
                target_hours=target,
                overdue=waited > timedelta(hours=target),
            )
        )
    return entries


@dataclass(frozen=True, slots=True)
class Turnaround:
    """The feedback turnaround a course achieved over ``TURNAROUND_WINDOW``."""

    course: Course
    target_hours: int
    returned: int
    mean_hours: float | None
    within_target_percent: int | None
    waiting: int


def turnaround_by_course(ctx: OrgContext, *, now: datetime) -> list[Turnaround]:
    """Per course the person grades: the target, how much work came back in the last 90
    days, the mean hours it took and the share returned within the target. Two queries."""
    ctx.require(Permission.GRADE_ASSIGNED_COURSES)
    courses = list(
        gradable_courses(ctx)
        .annotate(target_hours=Coalesce("grading__turnaround_hours", DEFAULT_TURNAROUND_HOURS))
        .order_by("title", "id")
    )
    times: dict[int, list[float]] = {course.pk: [] for course in courses}
    waiting: dict[int, int] = {course.pk: 0 for course in courses}
    rows = (
        scoped(Submission.objects.all(), ctx.org)
        .filter(course__in=[c.pk for c in courses])
        .filter(Q(returned_at__gte=now - TURNAROUND_WINDOW) | Q(returned_at__isnull=True))
        .values_list("course_id", "submitted_at", "returned_at")
    )
    for course_id, submitted_at, returned_at in rows:
        if returned_at is None:
            waiting[course_id] += 1
        else:
            times[course_id].append((returned_at - submitted_at) / timedelta(hours=1))
    result = []
    for course in courses:
        hours = times[course.pk]
        target: int = course.target_hours
        result.append(
            Turnaround(
                course=course,
                target_hours=target,
                returned=len(hours),
                mean_hours=round(sum(hours) / len(hours), 1) if hours else None,
                within_target_percent=(
                    round(100 * sum(1 for h in hours if h <= target) / len(hours))
                    if hours
                    else None
                ),
                waiting=waiting[course.pk],
            )
        )
    return result


def access_submission_for_grading(ctx: OrgContext, *, submission_id: int) -> Submission:
    """One submission of a course the person grades; 403 for a role that never grades,
    404 for another organization's, a missing one or a course a TA does not grade."""
    ctx.require(Permission.GRADE_ASSIGNED_COURSES)
    submission = (
        scoped(Submission.objects.all(), ctx.org)
        .filter(pk=submission_id, course__in=gradable_courses(ctx))
        .select_related("learner", "course", "file", "assignment__unit__module")
        .first()
    )
    if submission is None:
        raise Http404("No such submission.")
    return submission


@dataclass(frozen=True, slots=True)
class GradingPage:
    submission: Submission
    criteria: list[RubricCriterion]
    history: list[Grade]
    other_submissions: list[Submission]
    is_newest: bool
    penalty_percent: int
    extension: Extension | None


def grading_page(submission: Submission) -> GradingPage:
    """A submission with the rubric, its grade history (newest first) and the learner's
    other submissions of the assignment. Five queries."""
    assignment = submission.assignment
    history = list(
        Grade.objects.filter(submission=submission)
        .select_related("graded_by")
        .order_by("-graded_at", "-id")
    )
    others = list(
        Submission.objects.filter(assignment=assignment, learner_id=submission.learner_id)
        .order_by("-number")
        .only("pk", "number", "submitted_at", "graded_at", "assignment_id", "learner_id")
    )
    extension = Extension.objects.filter(
        assignment=assignment, learner_id=submission.learner_id
    ).first()
    return GradingPage(
        submission=submission,
        criteria=_rubric(assignment),
        history=history,
        other_submissions=others,
        is_newest=not others or others[0].pk == submission.pk,
        penalty_percent=late_penalty_percent(assignment.rule, days=submission.days_late),
        extension=extension,
    )


def access_stored_file(ctx: OrgContext, *, assignment: Assignment, file_id: int) -> StoredFile:
    """A file of this assignment the person may download: the learner's own (on their draft
    or a submission), or, for the course's graders, one on a submission. 404 otherwise."""
    files = scoped(StoredFile.objects.filter(pk=file_id), ctx.org)
    own = files.filter(owner=ctx.user).filter(
        Exists(Draft.objects.filter(assignment=assignment, learner=ctx.user, file=OuterRef("pk")))
        | Exists(
            Submission.objects.filter(assignment=assignment, learner=ctx.user, file=OuterRef("pk"))
        )
    )
    found = own.first()
    if found is None and grades_course(ctx, assignment.unit.course):
        found = files.filter(
            Exists(Submission.objects.filter(assignment=assignment, file=OuterRef("pk")))
        ).first()
    if found is None:
        raise Http404("No such file.")
    return found


@dataclass(frozen=True, slots=True)
class LearnerDeadline:
    """A learner of the course, their deadline and their extension, for the staff's list."""

    learner: User
    deadline: Deadline
    extension: Extension | None
    submitted: int


def learner_deadlines(assignment: Assignment) -> list[LearnerDeadline]:
    """Every learner actively enrolled in the course, with the deadline that applies to them
    and the number of their submissions. Three queries."""
    enrolments = list(
        Enrolment.objects.filter(course_id=assignment.unit.course_id, status=EnrolmentStatus.ACTIVE)
        .select_related("user")
        .order_by("user__email")
    )
    extensions = {e.learner_id: e for e in Extension.objects.filter(assignment=assignment)}
    counts: dict[int, int] = {}
    for learner_id in Submission.objects.filter(assignment=assignment).values_list(
        "learner_id", flat=True
    ):
        counts[learner_id] = counts.get(learner_id, 0) + 1
    return [
        LearnerDeadline(
            learner=e.user,
            deadline=deadline_of(
                assignment, learner=e.user, enrolment=e, extension=extensions.get(e.user_id)
            ),
            extension=extensions.get(e.user_id),
            submitted=counts.get(e.user_id, 0),
        )
        for e in enrolments
    ]


def access_course_learner(ctx: OrgContext, *, assignment: Assignment, learner_id: int) -> User:
    """A learner actively enrolled in the assignment's course (for an extension); 404."""
    ctx.require(Permission.GRANT_EXTENSIONS)
    enrolment = (
        Enrolment.objects.filter(
            org=ctx.org,
            course_id=assignment.unit.course_id,
            user_id=learner_id,
            status=EnrolmentStatus.ACTIVE,
        )
        .select_related("user")
        .first()
    )
    if enrolment is None:
        raise Http404("No such learner in this course.")
    return enrolment.user


@dataclass(frozen=True, slots=True)
class CourseGradingSettings:
    target_hours: int
    graders: list[User]
    assistants: list[User]


def course_grading_settings(ctx: OrgContext, course: Course) -> CourseGradingSettings:
    """The course's turnaround target, its TA graders and the organization's TAs."""
    if not may_grade(ctx.role, is_course_grader=False):
        raise PermissionDenied("Instructors and admins choose a course's graders.")
    grading = CourseGrading.objects.filter(course=course).first()
    graders = list(
        User.objects.filter(
            Exists(CourseGrader.objects.filter(course=course, user=OuterRef("pk")))
        ).order_by("email")
    )
    assistants = list(
        User.objects.filter(
            Exists(Membership.objects.filter(org=ctx.org, role=Role.TA, user=OuterRef("pk")))
        ).order_by("email")
    )
    return CourseGradingSettings(
        target_hours=grading.turnaround_hours if grading else DEFAULT_TURNAROUND_HOURS,
        graders=graders,
        assistants=assistants,
    )


def access_assistant(ctx: OrgContext, *, person_id: int) -> User:
    """A TA of the organization, to make a course's grader; 404 for anyone else."""
    membership = (
        scoped(Membership.objects.filter(user_id=person_id, role=Role.TA), ctx.org)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404("No such teaching assistant.")
    return membership.user
