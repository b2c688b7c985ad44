"""The instructor's view of learners' progress in a course, as a page or a CSV file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cadenza.accounts.models import User
from cadenza.courses.selectors import access_course
from cadenza.learning.selectors.progress import ProgressTable, progress_table
from cadenza.lib.csv_safe import csv_text
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import access_org


@login_required
@require_GET
def course_progress(request: HttpRequest, org_slug: str, course_slug: str) -> HttpResponse:
    """Every enrolled learner's progress for staff (403 for learners); ``?format=csv`` for a
    spreadsheet, with formulas neutralized."""
    assert isinstance(request.user, User)
    ctx = access_org(user=request.user, slug=org_slug)
    ctx.require(Permission.VIEW_LEARNER_PROGRESS)
    course = access_course(ctx, slug=course_slug)
    table = progress_table(ctx, course)
    if request.GET.get("format") == "csv":
        response = HttpResponse(csv_text(_csv_rows(table)), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{course.slug}-progress.csv"'
        return response
    return render(
        request, "learning/progress_table.html", {"ctx": ctx, "course": course, "table": table}
    )


def _csv_rows(table: ProgressTable) -> Iterator[list[object]]:
    """Header and one row per learner; times in UTC (ISO 8601), scores as numbers."""
    yield [
        "Name",
        "E-mail",
        "Time zone",
        "Percent complete",
        "Units completed",
        "Units in course",
        "Time spent (seconds)",
        "Last activity (UTC)",
        *(f"Best score: {check.title}" for check in table.checks),
    ]
    for row in table.rows:
        last = row.last_activity
        yield [
            row.user.name,
            row.user.email,
            row.user.time_zone,
            row.progress.percent,
            row.progress.completed,
            row.progress.total,
            row.time_spent_seconds,
            last.astimezone(UTC).isoformat() if last else "",
            *row.check_scores,
        ]
