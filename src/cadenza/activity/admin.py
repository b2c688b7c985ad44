"""The learning record, read-only: statements are facts and are never edited."""

from __future__ import annotations

from django.contrib import admin

from cadenza.activity.models import Statement
from cadenza.lib.admin import ReadOnlyModelAdmin


@admin.register(Statement)
class StatementAdmin(ReadOnlyModelAdmin):
    list_display = ("timestamp", "actor", "verb", "object_type", "object_name", "org")
    list_filter = ("org", "verb", "object_type")
    search_fields = ("actor__email", "object_name")
    date_hierarchy = "timestamp"
