"""Assignments: an assignment unit's settings and rubric, learners' drafts and submissions,
grades (append-only), extensions, and who grades which course.

An assignment is a ``Unit`` of kind ``assignment`` (``cadenza.courses``) with one
``Assignment`` row beside it. A learner's work is one ``Draft`` (saved as they type, never
graded) and the ``Submission`` rows made from it, numbered 1, 2 ... (a resubmission is a new
row; nothing is overwritten). A ``Grade`` row is written per grading and never changed: the
newest of a submission is its grade, the older ones its history.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cadenza.assignments.deadlines import DeadlineRule
from cadenza.courses.models import Course, Unit
from cadenza.orgs.models import Organization

DEFAULT_TURNAROUND_HOURS = 48


class Assignment(models.Model):
    """What an assignment unit asks for and its deadline settings (``deadlines.DeadlineRule``)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="assignment")
    accepts_text = models.BooleanField(default=True, help_text="Learners write an answer.")
    accepts_file = models.BooleanField(default=False, help_text="Learners upload a file.")
    due_at = models.DateTimeField(null=True, blank=True, help_text="The same for everyone.")
    due_days_after_start = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="Self-paced: due this many days after each learner's enrolment.",
    )
    late_days = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(365)],
        help_text="Days after the due date that still accept a (late) first submission.",
    )
    penalty_percent_per_day = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)]
    )
    penalty_max_percent = models.PositiveSmallIntegerField(
        default=100, validators=[MaxValueValidator(100)]
    )
    allow_resubmission = models.BooleanField(
        default=False, help_text="Learners may submit again until the due date."
    )

    def __str__(self) -> str:
        return f"Assignment of unit {self.unit_id}"

    @property
    def rule(self) -> DeadlineRule:
        return DeadlineRule(
            due_at=self.due_at,
            due_days_after_start=self.due_days_after_start,
            late_days=self.late_days,
            penalty_percent_per_day=self.penalty_percent_per_day,
            penalty_max_percent=self.penalty_max_percent,
            allow_resubmission=self.allow_resubmission,
        )


class RubricCriterion(models.Model):
    """One row of an assignment's rubric, with its ordered levels."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class RubricLevel(models.Model):
    """One column of a criterion: a named level worth some points."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="levels")
    title = models.CharField(max_length=120)
    points = models.PositiveIntegerField(validators=[MaxValueValidator(1000)])
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.points})"


class CourseGrading(models.Model):
    """A course's feedback-turnaround target (hours from submission to returned grade)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    course = models.OneToOneField(Course, on_delete=models.CASCADE, related_name="grading")
    turnaround_hours = models.PositiveIntegerField(
        default=DEFAULT_TURNAROUND_HOURS, validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )

    def __str__(self) -> str:
        return f"Grading of {self.course_id}"


class CourseGrader(models.Model):
    """A TA who grades one course (instructors and admins grade every course)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="graders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="one_grader_row_per_course"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} grades {self.course_id}"


class Extension(models.Model):
    """One learner's own due date for one assignment, with the reason; a new grant replaces
    the date and reason (who granted it and when are kept on the row)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    due_at = models.DateTimeField()
    reason = models.CharField(max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "learner"], name="one_extension_per_learner"
            ),
        ]

    def __str__(self) -> str:
        return f"Extension for {self.learner_id} to {self.due_at:%Y-%m-%d %H:%M}"


class StoredFile(models.Model):
    """A file a learner uploaded, kept under the data directory (never the web root) by a
    random name; shared by the draft and the submissions made from it, never overwritten."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    storage_name = models.CharField(max_length=100, unique=True)
    display_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.display_name


class Draft(models.Model):
    """A learner's work in progress, saved as they type; submitting copies it."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="drafts")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(blank=True)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, related_name="+")
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "learner"], name="one_draft_per_learner"),
        ]

    def __str__(self) -> str:
        return f"Draft of {self.learner_id}"


class Submission(models.Model):
    """One submitted version of a learner's work, as it was when submitted.

    ``due_at`` and ``days_late`` are the deadline that applied at submission and how late it
    was (``deadlines``), kept so a later change of the due date does not rewrite history.
    """

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, related_name="+")
    submitted_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True)
    days_late = models.PositiveIntegerField(default=0)
    graded_at = models.DateTimeField(null=True, help_text="When the newest grade was written.")
    returned_at = models.DateTimeField(null=True, help_text="When the first grade was written.")

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "learner", "number"], name="submission_number_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["org", "graded_at", "submitted_at"], name="grading_queue"),
        ]

    def __str__(self) -> str:
        return f"Submission {self.number} of {self.learner_id}"


class Grade(models.Model):
    """One grading of a submission; never changed. ``scores`` holds, per criterion, the
    level chosen, its points and the grader's comment:
    ``[{"criterion": id, "title": ..., "level": id, "level_title": ..., "points": n,
    "max_points": n, "comment": ...}]``."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="grades")
    scores = models.JSONField(default=list)
    comment = models.TextField(blank=True)
    points = models.PositiveIntegerField()
    max_points = models.PositiveIntegerField()
    late_penalty_percent = models.PositiveSmallIntegerField(default=0)
    final_points = models.DecimalField(max_digits=9, decimal_places=2)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    graded_at = models.DateTimeField()

    class Meta:
        ordering = ["graded_at", "id"]

    def __str__(self) -> str:
        return f"{self.final_points}/{self.max_points}"

    @property
    def final_percent(self) -> Decimal:
        if not self.max_points:
            return Decimal(0)
        return (self.final_points * 100 / self.max_points).quantize(Decimal("0.1"))
