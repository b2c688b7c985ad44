"""Progress through units, and knowledge checks: questions, attempts, answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cadenza.courses.models import Course, Unit
from cadenza.orgs.models import Organization


class ProgressStatus(models.TextChoices):
    STARTED = "started", "Started"
    COMPLETED = "completed", "Completed"


class UnitProgress(models.Model):
    """One learner's progress in one unit. No row means "not started".

    ``watched_seconds`` counts seconds actually played (not the furthest position), so
    seeking to the end does not complete a video.
    """

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_progress"
    )
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(
        max_length=16, choices=ProgressStatus.choices, default=ProgressStatus.STARTED
    )
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    last_visited_at = models.DateTimeField()
    time_spent_seconds = models.PositiveIntegerField(default=0)
    video_position_seconds = models.FloatField(default=0)
    watched_seconds = models.FloatField(default=0)
    best_score_percent = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="one_progress_per_unit"),
        ]
        indexes = [
            models.Index(fields=["user", "course", "last_visited_at"], name="progress_resume"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.unit_id} {self.status}"


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single", "Single choice"
    MULTIPLE_CHOICE = "multiple", "Multiple choice"
    TRUE_FALSE = "true_false", "True or false"
    NUMERIC = "numeric", "Number (with tolerance)"
    SHORT_TEXT = "short_text", "Short text"


class Question(models.Model):
    """A question of a knowledge-check unit."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    prompt = models.TextField(help_text="Markdown.")
    explanation = models.TextField(blank=True, help_text="Markdown, shown after answering.")
    position = models.PositiveIntegerField(default=0)
    numeric_answer = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    numeric_tolerance = models.DecimalField(max_digits=20, decimal_places=6, default=0)
    accepted_answers = models.JSONField(
        default=list, blank=True, help_text="Short text: accepted answers, case-insensitive."
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.prompt[:60]


class Choice(models.Model):
    """An option of a choice or true/false question."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Attempt(models.Model):
    """One try at a knowledge check. Open until submitted; answers are saved as given."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    score_percent = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "number"], name="attempt_number"),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.user_id} on {self.unit_id}"


class Answer(models.Model):
    """The learner's answer to one question in one attempt, saved as soon as it is chosen."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice_ids = models.JSONField(default=list, blank=True)
    text = models.CharField(max_length=500, blank=True)
    number = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    is_correct = models.BooleanField(null=True)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"answer to {self.question_id} in {self.attempt_id}"
