"""The operator's read-only view of progress and knowledge-check attempts."""

from __future__ import annotations

from django.contrib import admin

from cadenza.learning.models import Attempt, Question, UnitProgress
from cadenza.lib.admin import ReadOnlyModelAdmin


@admin.register(UnitProgress)
class UnitProgressAdmin(ReadOnlyModelAdmin):
    list_display = ("user", "unit", "status", "time_spent_seconds", "best_score_percent")
    list_filter = ("org", "status")
    search_fields = ("user__email", "unit__title")


@admin.register(Question)
class QuestionAdmin(ReadOnlyModelAdmin):
    list_display = ("prompt", "kind", "unit", "position")
    list_filter = ("org", "kind")


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyModelAdmin):
    list_display = ("user", "unit", "number", "score_percent", "passed", "submitted_at")
    list_filter = ("org", "passed")
    search_fields = ("user__email",)
