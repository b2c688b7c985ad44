"""The learner's pages: course outline, enrolling, unit pages and their endpoints.

Every view resolves the organization with ``access_org`` and the course and unit with
``access_course`` / ``access_unit``: another organization's object, a draft or a unit of a
course the learner is not enrolled in answers 404. Progress is written only for enrolled
learners in units learners can see (``records_progress``); staff previews write nothing.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST, require_safe

from cadenza.accounts.models import User
from cadenza.courses.actions import self_enrol as self_enrol_action
from cadenza.courses.models import UnitKind
from cadenza.courses.selectors import access_course, access_unit
from cadenza.learning.actions.progress import (
    CompletionNotAllowed,
    complete_unit,
    mark_unit_done,
    record_unit_activity,
    video_duration,
    visit_unit,
    watched_percent,
)
from cadenza.learning.models import ProgressStatus
from cadenza.learning.selectors import knowledge_checks as check_selectors
from cadenza.learning.selectors.progress import (
    course_outline as course_outline_selector,
)
from cadenza.learning.selectors.progress import (
    records_progress,
    unit_navigation,
    unit_to_continue,
)
from cadenza.learning.views.transcript import transcript_panels
from cadenza.lib.errors import DomainError
from cadenza.lib.ranged_file import ranged_file_response
from cadenza.lib.report_numbers import report_numbers
from cadenza.lib.same_site_path import same_site_path
from cadenza.orgs.selectors import OrgContext, access_org

"""No single report may claim more than a day (position, duration, played or active time)."""

_REPORT_FIELDS = ("active_seconds", "position_seconds", "played_seconds", "duration_seconds")


def _org(request: HttpRequest, org_slug: str) -> OrgContext:
    assert isinstance(request.user, User)
    return access_org(user=request.user, slug=org_slug)


@login_required
@require_GET
def course_outline(request: HttpRequest, org_slug: str, course_slug: str) -> HttpResponse:
    """The course page: modules and units with the viewer's state, Start/Continue/Enrol."""
    ctx = _org(request, org_slug)
    course = access_course(ctx, slug=course_slug)
    outline = course_outline_selector(ctx, course)
    return render(
        request, "learning/course_outline.html", {"ctx": ctx, "course": course, "outline": outline}
    )


@login_required
@require_POST
def self_enrol(request: HttpRequest, org_slug: str, course_slug: str) -> HttpResponse:
    """Enrol myself in an open course (403 if the course or my role does not allow it), then
    go where I was going (``next``: a path on this site, such as the live session whose join
    link offered the button), else to the course's outline."""
    ctx = _org(request, org_slug)
    course = access_course(ctx, slug=course_slug)
    self_enrol_action(ctx, course)
    messages.success(request, f"You are enrolled in {course.title}.")
    destination = same_site_path(request.POST.get("next"))
    if destination is not None:
        return redirect(destination)
    return redirect("course_outline", org_slug=ctx.org.slug, course_slug=course.slug)


@login_required
@require_GET
def continue_course(request: HttpRequest, org_slug: str, course_slug: str) -> HttpResponse:
    """Go to where I left off (or the first unit not done); the outline if nothing is left."""
    ctx = _org(request, org_slug)
    course = access_course(ctx, slug=course_slug)
    unit = unit_to_continue(ctx, course)
    if unit is None:
        return redirect("course_outline", org_slug=ctx.org.slug, course_slug=course.slug)
    return redirect("unit", org_slug=ctx.org.slug, course_slug=course.slug, unit_id=unit.pk)


@login_required
@require_GET
def unit_page(request: HttpRequest, org_slug: str, course_slug: str, unit_id: int) -> HttpResponse:
    """One unit: its kind's body, navigation, and (for enrolled learners) the visit recorded."""
    ctx = _org(request, org_slug)
    course = access_course(ctx, slug=course_slug)
    unit = access_unit(ctx, course=course, unit_id=unit_id)
    if unit.kind == UnitKind.ASSIGNMENT:
        # The assignment's own page (cadenza.assignments, above learning) records the visit.
        return redirect(
            "assignment", org_slug=ctx.org.slug, course_slug=course.slug, unit_id=unit.pk
        )
    tracked = records_progress(ctx, course, unit)
    progress = visit_unit(user=ctx.user, unit=unit) if tracked else None
    context: dict[str, Any] = {
        "ctx": ctx,
        "course": course,
        "unit": unit,
        "module": unit.module,
        "navigation": unit_navigation(ctx, course, unit),
        "progress": progress,
        "tracked": tracked,
        "completed": progress is not None and progress.status == ProgressStatus.COMPLETED,
    }
    if unit.kind == UnitKind.KNOWLEDGE_CHECK:
        context.update(check_selectors.check_page(ctx=ctx, unit=unit))
    if unit.kind == UnitKind.VIDEO:
        context["video_source"] = (
            reverse(
                "unit_video",
                kwargs={"org_slug": ctx.org.slug, "course_slug": course.slug, "unit_id": unit.pk},
            )
            if unit.video_file
            else unit.video_url
        )
        context["video_type"] = _video_content_type(unit.video_file.name) if unit.video_file else ""
        context["watched_percent"] = (
            watched_percent(progress, unit.video_duration_seconds) if progress else 0.0
        )
        context["transcripts"] = transcript_panels(unit)
    return render(request, "learning/unit.html", context)


def _bad_request(detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=400)


@login_required
@require_POST
def record_progress(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> JsonResponse:
    """The unit page's periodic report (see static/learning/unit_progress.js).

    Answers ``{status, watched_percent, position_seconds, completed}``; 400 with
    ``{"detail": ...}`` for bad numbers and 403 for someone whose progress is not recorded
    (staff previewing); nothing is written in either case.
    """
    ctx = _org(request, org_slug)
    course = access_course(ctx, slug=course_slug)
    unit = access_unit(ctx, course=course, unit_id=unit_id)
    numbers = report_numbers(request, _REPORT_FIELDS, required=("active_seconds",))
    if isinstance(numbers, str):
        return _bad_request(numbers)
    if not records_progress(ctx, course, unit):
        return JsonResponse(
            {"detail": "Progress is recorded only for learners enrolled in the course."},
            status=403,
        )
    try:
        progress = record_unit_activity(
            user=ctx.user,
            unit=unit,
            active_seconds=numbers["active_seconds"] or 0.0,
            position_seconds=numbers["position_seconds"],
            played_seconds=numbers["played_seconds"],
            duration_seconds=numbers["duration_seconds"],
        )
    except DomainError as bad_number:
        return _bad_request(str(bad_number))
    duration = video_duration(unit, numbers["duration_seconds"])
    return JsonResponse(
        {
            "status": progress.status,
            "watched_percent": watched_percent(progress, duration),
            "position_seconds": progress.video_position_seconds,
            "completed": progress.status == ProgressStatus.COMPLETED,
        }
    )


@login_required
@require_POST
def mark_complete(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> HttpResponse:
    """Complete a unit by hand ("Mark as read"); knowledge checks complete by being passed."""
    ctx = _org(request, org_slug)
    course = access_course(ctx, slug=course_slug)
    unit = access_unit(ctx, course=course, unit_id=unit_id)
    if records_progress(ctx, course, unit):
        try:
            mark_unit_done(user=ctx.user, unit=unit)
        except CompletionNotAllowed as refused:
            return HttpResponse(str(refused), status=400)
        messages.success(request, f"“{unit.title}” is marked as done.")

    return redirect("unit", org_slug=ctx.org.slug, course_slug=course.slug, unit_id=unit.pk)


def _video_content_type(name: str | None) -> str:
    guessed, _encoding = mimetypes.guess_type(name or "")
    if guessed and guessed.startswith("video/"):
        return guessed
    return "application/octet-stream"


@login_required
@require_safe
def video_file(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> HttpResponseBase:
    """The unit's uploaded video, with Range support so the player can seek."""
    ctx = _org(request, org_slug)
    course = access_course(ctx, slug=course_slug)
    unit = access_unit(ctx, course=course, unit_id=unit_id)
    if unit.kind != UnitKind.VIDEO or not unit.video_file:
        raise Http404("This unit has no video file.")
    try:
        size = unit.video_file.size
        handle = unit.video_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The video file is missing.") from missing
    response = ranged_file_response(
        file=handle,
        size=size,
        content_type=_video_content_type(unit.video_file.name),
        range_header=request.headers.get("Range"),
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def download_resource(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> FileResponse:
    """The unit's file as an attachment under its stored name; completes the unit."""
    ctx = _org(request, org_slug)
    course = access_course(ctx, slug=course_slug)
    unit = access_unit(ctx, course=course, unit_id=unit_id)
    if unit.kind != UnitKind.RESOURCE or not unit.resource_file:
        raise Http404("This unit has no file to download.")
    try:
        handle = unit.resource_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The file is missing.") from missing
    if records_progress(ctx, course, unit):
        complete_unit(user=ctx.user, unit=unit)
    filename = unit.resource_name or PurePath(unit.resource_file.name or "download").name
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=unit.resource_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
