"""The staff's assignment pages, under teach/: setting an assignment up, deadlines and
extensions, a course's graders and turnaround target, the grading queue and grading.

Authoring needs ``AUTHOR_COURSES``; reading and grading submissions the course's grading
rule (``selectors.gradable_courses``: a TA only in the courses they grade); extensions
``GRANT_EXTENSIONS``. A learner gets 403, another organization's object 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadenza.assignments import actions
from cadenza.assignments.forms import (
    AssignmentForm,
    ExtensionForm,
    GradeForm,
    TurnaroundForm,
    initial_for,
)
from cadenza.assignments.selectors import (
    access_assignment_for_authoring,
    access_assignment_for_grading,
    access_assistant,
    access_course_learner,
    access_submission_for_grading,
    course_grading_settings,
    grading_page,
    grading_queue,
    learner_deadlines,
    turnaround_by_course,
)
from cadenza.assignments.views.common import org_of
from cadenza.courses.selectors import access_course, access_course_for_teaching, access_module
from cadenza.lib.errors import DomainError
from cadenza.orgs.policy import Permission


@login_required
@require_http_methods(["GET", "POST"])
def assignment_new(
    request: HttpRequest, org_slug: str, course_slug: str, module_id: int
) -> HttpResponse:
    """Add an assignment unit to a module (the builder's "add assignment")."""
    ctx = org_of(request, org_slug)
    ctx.require(Permission.AUTHOR_COURSES)
    course = access_course_for_teaching(ctx, slug=course_slug)
    module = access_module(ctx, course=course, module_id=module_id)
    form = AssignmentForm(
        request.POST if request.method == "POST" else None,
        initial={"accepts_text": True, "late_days": 0, "penalty_max_percent": 100},
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = actions.create_assignment(
                module=module,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                settings=form.settings(),
                rubric=form.cleaned_data["rubric"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"“{assignment.unit.title}” was added to “{module.title}”.")
            return redirect("course_builder", org_slug=ctx.org.slug, course_slug=course.slug)
    context = {"ctx": ctx, "course": course, "module": module, "form": form, "unit": None}
    return render(request, "assignments/settings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assignment_settings(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> HttpResponse:
    """Edit an assignment: instructions, what it takes, its deadline rule and rubric."""
    ctx = org_of(request, org_slug)
    assignment = access_assignment_for_authoring(ctx, course_slug=course_slug, unit_id=unit_id)
    course = assignment.unit.course
    criteria = list(assignment.criteria.prefetch_related("levels"))
    form = AssignmentForm(
        request.POST if request.method == "POST" else None,
        initial=initial_for(assignment, criteria),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_assignment(
                assignment=assignment,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                settings=form.settings(),
                rubric=form.cleaned_data["rubric"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"“{assignment.unit.title}” was saved.")
            return redirect("course_builder", org_slug=ctx.org.slug, course_slug=course.slug)
    context = {
        "ctx": ctx,
        "course": course,
        "module": assignment.unit.module,
        "form": form,
        "unit": assignment.unit,
    }
    return render(request, "assignments/settings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assignment_deadlines(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> HttpResponse:
    """Every learner's deadline and why; instructors grant extensions here."""
    ctx = org_of(request, org_slug)
    assignment = access_assignment_for_grading(ctx, course_slug=course_slug, unit_id=unit_id)
    rows = learner_deadlines(assignment)
    may_extend = ctx.may(Permission.GRANT_EXTENSIONS)
    form = ExtensionForm(
        request.POST if request.method == "POST" else None,
        learners=[row.learner for row in rows],
    )
    if request.method == "POST":
        ctx.require(Permission.GRANT_EXTENSIONS)
        if form.is_valid():
            learner = access_course_learner(
                ctx, assignment=assignment, learner_id=form.cleaned_data["learner"]
            )
            try:
                actions.grant_extension(
                    assignment=assignment,
                    learner=learner,
                    due_at=form.cleaned_data["due_at"],
                    reason=form.cleaned_data["reason"],
                    granted_by=ctx.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"{learner.name} has an extension.")
                return redirect(
                    "assignment_deadlines",
                    org_slug=ctx.org.slug,
                    course_slug=course_slug,
                    unit_id=unit_id,
                )
    context = {
        "ctx": ctx,
        "course": assignment.unit.course,
        "unit": assignment.unit,
        "assignment": assignment,
        "rows": rows,
        "form": form if may_extend else None,
        "now": timezone.now(),
    }
    return render(request, "assignments/deadlines.html", context)


@login_required
@require_POST
def extension_revoke(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int, learner_id: int
) -> HttpResponse:
    ctx = org_of(request, org_slug)
    ctx.require(Permission.GRANT_EXTENSIONS)
    assignment = access_assignment_for_grading(ctx, course_slug=course_slug, unit_id=unit_id)
    learner = access_course_learner(ctx, assignment=assignment, learner_id=learner_id)
    actions.revoke_extension(assignment=assignment, learner=learner)
    messages.success(request, f"{learner.name}'s extension is withdrawn.")
    return redirect(
        "assignment_deadlines", org_slug=ctx.org.slug, course_slug=course_slug, unit_id=unit_id
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_grading(request: HttpRequest, org_slug: str, course_slug: str) -> HttpResponse:
    """A course's turnaround target and its TA graders (instructors and admins)."""
    ctx = org_of(request, org_slug)
    course = access_course(ctx, slug=course_slug)
    settings = course_grading_settings(ctx, course)
    form = TurnaroundForm(
        request.POST if request.method == "POST" else None,
        initial={"turnaround_hours": settings.target_hours},
    )
    if request.method == "POST" and form.is_valid():
        actions.set_turnaround_target(course=course, hours=form.cleaned_data["turnaround_hours"])
        messages.success(request, "The turnaround target is saved.")
        return redirect("course_grading", org_slug=ctx.org.slug, course_slug=course.slug)
    context = {"ctx": ctx, "course": course, "settings": settings, "form": form}
    return render(request, "assignments/course_grading.html", context)


@login_required
@require_POST
def course_grader(
    request: HttpRequest, org_slug: str, course_slug: str, person_id: int
) -> HttpResponse:
    """``grader=add`` makes a TA one of the course's graders, ``grader=remove`` undoes it."""
    ctx = org_of(request, org_slug)
    course = access_course(ctx, slug=course_slug)
    course_grading_settings(ctx, course)  # instructors and admins only (403)
    assistant = access_assistant(ctx, person_id=person_id)
    if request.POST.get("grader") == "remove":
        actions.remove_grader(course=course, user=assistant)
        messages.success(request, f"{assistant.name} no longer grades this course.")
    else:
        actions.add_grader(course=course, user=assistant, added_by=ctx.user)
        messages.success(request, f"{assistant.name} grades this course.")
    return redirect("course_grading", org_slug=ctx.org.slug, course_slug=course.slug)


@login_required
@require_GET
def grading_queue_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Work waiting for a grade in the courses the person grades, longest waiting first,
    with each course's turnaround target and what it achieved."""
    ctx = org_of(request, org_slug)
    now = timezone.now()
    entries = grading_queue(ctx, now=now)
    context = {
        "ctx": ctx,
        "entries": entries,
        "turnaround": turnaround_by_course(ctx, now=now),
        "overdue": sum(1 for e in entries if e.overdue),
    }
    return render(request, "assignments/grading_queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def grade_submission(request: HttpRequest, org_slug: str, submission_id: int) -> HttpResponse:
    """A submission, its rubric and grade history; POST grades it (a new grade is appended)."""
    ctx = org_of(request, org_slug)
    submission = access_submission_for_grading(ctx, submission_id=submission_id)
    page = grading_page(submission)
    form = GradeForm(request.POST if request.method == "POST" else None, criteria=page.criteria)
    if request.method == "POST" and form.is_valid():
        try:
            actions.grade_submission(
                submission=submission,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                graded_by=ctx.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"The grade is returned to {submission.learner.name}.")
            return redirect("grading_queue", org_slug=ctx.org.slug)
    context = {
        "ctx": ctx,
        "page": page,
        "submission": submission,
        "course": submission.course,
        "unit": submission.assignment.unit,
        "form": form,
    }
    return render(request, "assignments/grade.html", context)
