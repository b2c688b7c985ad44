"""The operator's read-only view of assignments, submissions, grades and extensions."""

from __future__ import annotations

from django.contrib import admin

from cadenza.assignments.models import Assignment, Extension, Grade, Submission
from cadenza.lib.admin import ReadOnlyModelAdmin


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyModelAdmin):
    list_display = ("unit", "due_at", "due_days_after_start", "late_days", "allow_resubmission")
    list_filter = ("org",)


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyModelAdmin):
    list_display = ("learner", "assignment", "number", "submitted_at", "days_late", "graded_at")
    list_filter = ("org",)
    search_fields = ("learner__email",)


@admin.register(Grade)
class GradeAdmin(ReadOnlyModelAdmin):
    list_display = ("submission", "final_points", "max_points", "graded_by", "graded_at")
    list_filter = ("org",)


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyModelAdmin):
    list_display = ("learner", "assignment", "due_at", "reason", "granted_by")
    list_filter = ("org",)
