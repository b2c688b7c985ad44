"""The learner's assignment page: instructions, the deadline that applies and why, the draft
saved as they type, a file, submitting, and the feedback returned.

Every view resolves the assignment with ``access_assignment`` (404 for another
organization's, a draft unit, or a course the learner is not enrolled in) and reads only the
viewer's own work (``selectors.learner_page``). The course's graders may also download a
submitted file here (``access_stored_file``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cadenza.assignments import actions, files
from cadenza.assignments.forms import DraftForm, FileForm
from cadenza.assignments.models import Assignment
from cadenza.assignments.selectors import (
    access_assignment,
    access_stored_file,
    grades_course,
    learner_page,
    zone_of,
)
from cadenza.assignments.views.common import org_of, refused
from cadenza.courses.models import Course
from cadenza.courses.selectors import access_course
from cadenza.learning.actions.progress import visit_unit
from cadenza.learning.selectors.progress import records_progress, unit_navigation
from cadenza.lib.errors import DomainError
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext


def _assignment(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> tuple[OrgContext, Course, Assignment]:
    ctx = org_of(request, org_slug)
    course = access_course(ctx, slug=course_slug)
    return ctx, course, access_assignment(ctx, course=course, unit_id=unit_id)


def _first_error(form: forms.Form, field: str) -> str:
    """The form's message about ``field``, for a refusal."""
    errors = form.errors.get(field)
    return str(errors[0]) if errors else "That did not work."


def _page_url(ctx: OrgContext, course: Course, assignment: Assignment) -> str:
    return reverse("assignment", args=[ctx.org.slug, course.slug, assignment.unit_id])


@login_required
@require_GET
def assignment_page(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> HttpResponse:
    """The assignment as the viewer sees it; staff previewing see it without a draft."""
    ctx, course, assignment = _assignment(request, org_slug, course_slug, unit_id)
    unit = assignment.unit
    tracked = records_progress(ctx, course, unit)
    if tracked:
        visit_unit(user=ctx.user, unit=unit)
    page = learner_page(ctx, assignment, now=timezone.now())
    draft_text = page.draft.text if page.draft else ""
    context = {
        "ctx": ctx,
        "course": course,
        "unit": unit,
        "module": unit.module,
        "navigation": unit_navigation(ctx, course, unit),
        "tracked": tracked,
        "page": page,
        "draft_form": DraftForm(initial={"text": draft_text}),
        "file_form": FileForm(),
        "grades": ctx.may(Permission.GRADE_ASSIGNED_COURSES) and grades_course(ctx, course),
        "authors": ctx.may(Permission.AUTHOR_COURSES),
    }
    return render(request, "assignments/assignment.html", context)


@login_required
@require_POST
def save_draft(request: HttpRequest, org_slug: str, course_slug: str, unit_id: int) -> HttpResponse:
    """Autosave the written answer as the learner types (htmx); a plain post goes back."""
    ctx, course, assignment = _assignment(request, org_slug, course_slug, unit_id)
    back = _page_url(ctx, course, assignment)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return refused(request, ctx, back, _first_error(form, "text"))
    try:
        draft = actions.save_draft(
            assignment=assignment, learner=ctx.user, text=form.cleaned_data["text"]
        )
    except DomainError as error:
        return refused(request, ctx, back, error.message)
    if request.headers.get("HX-Request"):
        return render(request, "assignments/draft_saved.html", {"draft": draft})
    messages.success(request, "Your draft is saved.")
    return redirect(back)


@login_required
@require_POST
def attach_file(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> HttpResponse:
    """Upload a file to the draft (checked by size, extension and content)."""
    ctx, course, assignment = _assignment(request, org_slug, course_slug, unit_id)
    back = _page_url(ctx, course, assignment)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        return refused(request, ctx, back, _first_error(form, "file"))
    try:
        actions.attach_file(
            assignment=assignment, learner=ctx.user, upload=form.cleaned_data["file"]
        )
    except DomainError as error:
        return refused(request, ctx, back, error.message)
    messages.success(request, "Your file is saved with your draft.")
    return redirect(back)


@login_required
@require_POST
def detach_file(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> HttpResponse:
    ctx, course, assignment = _assignment(request, org_slug, course_slug, unit_id)
    back = _page_url(ctx, course, assignment)
    try:
        actions.detach_file(assignment=assignment, learner=ctx.user)
    except DomainError as error:
        return refused(request, ctx, back, error.message)
    messages.success(request, "The file is taken off your draft.")
    return redirect(back)


@login_required
@require_POST
def submit(request: HttpRequest, org_slug: str, course_slug: str, unit_id: int) -> HttpResponse:
    """Save the posted answer, then submit the draft. The draft is kept even when the
    submission is refused (no lost work)."""
    ctx, course, assignment = _assignment(request, org_slug, course_slug, unit_id)
    back = _page_url(ctx, course, assignment)
    try:
        if "text" in request.POST and assignment.accepts_text:
            form = DraftForm(request.POST)
            if not form.is_valid():
                return refused(request, ctx, back, _first_error(form, "text"))
            actions.save_draft(
                assignment=assignment, learner=ctx.user, text=form.cleaned_data["text"]
            )
        submission = actions.submit(assignment=assignment, learner=ctx.user, zone=zone_of(ctx.user))
    except DomainError as error:
        return refused(request, ctx, back, error.message)
    late = f" ({submission.days_late} day{'s' if submission.days_late != 1 else ''} late)"
    messages.success(
        request,
        f"Submission {submission.number} is in" + (late if submission.days_late else "") + ".",
    )
    return redirect(back)


@login_required
@require_GET
def download(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int, file_id: int
) -> FileResponse:
    """A file of the assignment, always as an attachment with ``nosniff``: to the learner
    who uploaded it and to the course's graders, nobody else (404)."""
    ctx, _course, assignment = _assignment(request, org_slug, course_slug, unit_id)
    stored = access_stored_file(ctx, assignment=assignment, file_id=file_id)
    try:
        handle = files.open_file(org_id=stored.org_id, storage_name=stored.storage_name)
    except FileNotFoundError as missing:
        raise Http404("The file is missing.") from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=stored.display_name,
        content_type=stored.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
