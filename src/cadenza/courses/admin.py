"""The operator's view of courses in Django's admin, for support and inspection.

Authoring happens in the course builder, whose actions keep positions dense and record
enrolments in the learning record, so the admin shows these read-only.
"""

from __future__ import annotations

from django.contrib import admin

from cadenza.courses.models import Course, Enrolment, Module, Unit
from cadenza.lib.admin import ReadOnlyModelAdmin


@admin.register(Course)
class CourseAdmin(ReadOnlyModelAdmin):
    list_display = ("title", "org", "slug", "published_at", "open_enrolment", "created_at")
    list_filter = ("org",)
    search_fields = ("title", "slug")


@admin.register(Module)
class ModuleAdmin(ReadOnlyModelAdmin):
    list_display = ("title", "course", "position", "published_at")
    list_filter = ("org",)


@admin.register(Unit)
class UnitAdmin(ReadOnlyModelAdmin):
    list_display = ("title", "kind", "course", "module", "position", "published_at")
    list_filter = ("org", "kind")
    search_fields = ("title",)


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyModelAdmin):
    list_display = ("user", "course", "status", "enrolled_at")
    list_filter = ("org", "status")
    search_fields = ("user__email", "course__title")
