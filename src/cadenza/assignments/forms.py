"""Forms of assignments: they parse and check input; the actions decide and write.

The rubric is edited as text, one criterion per line, ``Criterion | Level = points | ...``:
a plain textarea works with a keyboard, a screen reader and a 390 px screen, and the API
takes the same rubric as JSON.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from cadenza.accounts.models import User
from cadenza.assignments.actions import (
    MAX_CRITERIA,
    MAX_LEVELS,
    MAX_TEXT_CHARACTERS,
    AssignmentSettings,
    CriterionScore,
    CriterionSpec,
    LevelSpec,
)
from cadenza.assignments.models import Assignment, RubricCriterion
from cadenza.courses.uploads import DOCUMENT_TYPES, CheckedUpload, check_upload

_LEVEL = re.compile(r"^(?P<title>.+?)\s*=\s*(?P<points>\d{1,4})$")

_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def parse_rubric(text: str) -> list[CriterionSpec]:
    """``Argument | Clear = 4 | Partly = 2 | Missing = 0`` per line into criteria; a line
    that does not parse is a ``ValidationError`` naming the line."""
    criteria = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        title, *levels = (part.strip() for part in line.split("|"))
        if not title or not levels:
            raise ValidationError(
                f"Line {number}: write the criterion, then its levels: "
                "“Argument | Clear = 4 | Partly = 2 | Missing = 0”."
            )
        specs = []
        for level in levels:
            match = _LEVEL.match(level)
            if match is None:
                raise ValidationError(
                    f"Line {number}: “{level}” is not a level: write its name = points."
                )
            specs.append(LevelSpec(title=match["title"], points=int(match["points"])))
        criteria.append(CriterionSpec(title=title, levels=specs))
    if len(criteria) > MAX_CRITERIA:
        raise ValidationError(f"A rubric has at most {MAX_CRITERIA} criteria.")
    if any(len(c.levels) > MAX_LEVELS for c in criteria):
        raise ValidationError(f"A criterion has at most {MAX_LEVELS} levels.")
    return criteria


def rubric_text(criteria: list[RubricCriterion]) -> str:
    """The rubric as the form shows it (``parse_rubric`` reads it back)."""
    return "\n".join(
        " | ".join([c.title, *(f"{level.title} = {level.points}" for level in c.levels.all())])
        for c in criteria
    )


class AssignmentForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Instructions",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="Markdown.",
    )
    accepts_text = forms.BooleanField(required=False, label="Learners write an answer")
    accepts_file = forms.BooleanField(required=False, label="Learners upload a file")
    due_at = forms.DateTimeField(
        required=False,
        label="Due date for everyone",
        widget=_DATETIME,
        help_text="In your time zone. Leave empty for a self-paced due date or none.",
    )
    due_days_after_start = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=3650,
        label="Or: due days after each learner starts",
        help_text="Self-paced courses: counted from each learner's enrolment.",
    )
    late_days = forms.IntegerField(
        min_value=0, max_value=365, initial=0, label="Late window (days after the due date)"
    )
    penalty_percent_per_day = forms.IntegerField(
        min_value=0, max_value=100, initial=0, label="Late penalty per day (%)"
    )
    penalty_max_percent = forms.IntegerField(
        min_value=0,
        max_value=100,
        initial=100,
        label="Late penalty at most (%)",
        help_text="A flat penalty: the same number here and per day.",
    )
    allow_resubmission = forms.BooleanField(
        required=False, label="Learners may resubmit until the due date"
    )
    rubric = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="One criterion per line: “Argument | Clear = 4 | Partly = 2 | Missing = 0”.",
    )

    def clean_rubric(self) -> list[CriterionSpec]:
        return parse_rubric(self.cleaned_data.get("rubric", ""))

    def settings(self) -> AssignmentSettings:
        data = self.cleaned_data
        return AssignmentSettings(
            accepts_text=data["accepts_text"],
            accepts_file=data["accepts_file"],
            due_at=data["due_at"],
            due_days_after_start=data["due_days_after_start"],
            late_days=data["late_days"],
            penalty_percent_per_day=data["penalty_percent_per_day"],
            penalty_max_percent=data["penalty_max_percent"],
            allow_resubmission=data["allow_resubmission"],
        )


def initial_for(assignment: Assignment, criteria: list[RubricCriterion]) -> dict[str, Any]:
    unit = assignment.unit
    return {
        "title": unit.title,
        "body": unit.body,
        "accepts_text": assignment.accepts_text,
        "accepts_file": assignment.accepts_file,
        "due_at": assignment.due_at,
        "due_days_after_start": assignment.due_days_after_start,
        "late_days": assignment.late_days,
        "penalty_percent_per_day": assignment.penalty_percent_per_day,
        "penalty_max_percent": assignment.penalty_max_percent,
        "allow_resubmission": assignment.allow_resubmission,
        "rubric": rubric_text(criteria),
    }


class DraftForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        max_length=MAX_TEXT_CHARACTERS,
        strip=False,
    )


class FileForm(forms.Form):
    file = forms.FileField()

    def clean_file(self) -> CheckedUpload:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        return check_upload(
            upload,
            allowed=DOCUMENT_TYPES,
            max_bytes=settings.CADENZA_MAX_SUBMISSION_BYTES,
            what="submission",
        )


class ExtensionForm(forms.Form):
    learner = forms.TypedChoiceField(coerce=int, label="Learner")
    due_at = forms.DateTimeField(label="New due date", widget=_DATETIME, help_text="Your zone.")
    reason = forms.CharField(max_length=300, help_text="The learner sees it.")

    def __init__(self, *args: Any, learners: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["learner"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(u.pk, f"{u.name} ({u.email})") for u in learners]


class TurnaroundForm(forms.Form):
    turnaround_hours = forms.IntegerField(
        min_value=1, max_value=2000, label="Feedback turnaround target (hours)"
    )


class GradeForm(forms.Form):
    """One level and a comment per criterion, and an overall comment."""

    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=MAX_TEXT_CHARACTERS,
        label="Overall comment",
        help_text="Markdown. The learner reads it with the grade.",
    )

    def __init__(self, *args: Any, criteria: list[RubricCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"level-{criterion.pk}"] = forms.TypedChoiceField(
                coerce=int,
                label=criterion.title,
                widget=forms.RadioSelect,
                choices=[
                    (level.pk, f"{level.title} ({level.points})")
                    for level in criterion.levels.all()
                ],
            )
            self.fields[f"comment-{criterion.pk}"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=MAX_TEXT_CHARACTERS,
                label=f"Comment on {criterion.title}",
            )
        self.fields["comment"] = self.fields.pop("comment")  # the overall comment comes last

    def scores(self) -> list[CriterionScore]:
        return [
            CriterionScore(
                criterion_id=c.pk,
                level_id=self.cleaned_data[f"level-{c.pk}"],
                comment=self.cleaned_data[f"comment-{c.pk}"],
            )
            for c in self.criteria
        ]
