"""The teaching area: the organization's courses for its staff, creating and describing a
course, publishing it, and the builder page that shows its outline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cadenza.accounts.models import User
from cadenza.courses.actions import create_course, edit_course, set_course_published
from cadenza.courses.forms import CourseForm
from cadenza.courses.selectors import access_course_for_teaching, teaching_courses
from cadenza.courses.views.common import (
    add_action_errors,
    org_context,
    outline_changed,
    outline_context,
    posted,
)
from cadenza.orgs.policy import Permission


@login_required
@require_GET
def teach(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Every course of the organization with its state and learner count (staff only)."""
    ctx = org_context(request, org_slug)
    courses = teaching_courses(ctx)
    return render(
        request,
        "courses/teach.html",
        {"ctx": ctx, "courses": courses, "can_author": ctx.may(Permission.AUTHOR_COURSES)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_new(request: HttpRequest, org_slug: str) -> HttpResponse:
    ctx = org_context(request, org_slug)
    ctx.require(Permission.AUTHOR_COURSES)
    form = CourseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        try:
            course = create_course(org=ctx.org, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"“{course.title}” was created as a draft.")
            return redirect("course_builder", org_slug=ctx.org.slug, course_slug=course.slug)
    return render(request, "courses/course_form.html", {"ctx": ctx, "form": form, "course": None})


@login_required
@require_GET
def course_builder(request: HttpRequest, org_slug: str, course_slug: str) -> HttpResponse:
    """The outline with its editing controls; teaching assistants see it read-only."""
    ctx = org_context(request, org_slug)
    course = access_course_for_teaching(ctx, slug=course_slug)
    return render(request, "courses/builder.html", outline_context(ctx, course))


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request: HttpRequest, org_slug: str, course_slug: str) -> HttpResponse:
    ctx = org_context(request, org_slug)
    course = access_course_for_teaching(ctx, slug=course_slug)
    ctx.require(Permission.AUTHOR_COURSES)
    initial = {
        "title": course.title,
        "slug": course.slug,
        "summary": course.summary,
        "open_enrolment": course.open_enrolment,
    }
    form = CourseForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            edit_course(course=course, **form.cleaned_data)
        except ValidationError as error:
            course.refresh_from_db()
            add_action_errors(form, error)
        else:
            messages.success(request, "The course was saved.")
            return redirect("course_builder", org_slug=ctx.org.slug, course_slug=course.slug)
    return render(request, "courses/course_form.html", {"ctx": ctx, "form": form, "course": course})


@login_required
@require_POST
def course_publish(request: HttpRequest, org_slug: str, course_slug: str) -> HttpResponse:
    """``published=1`` publishes (with ``include_contents=1`` every draft inside too);
    ``published=0`` withdraws the course from learners."""
    ctx = org_context(request, org_slug)
    course = access_course_for_teaching(ctx, slug=course_slug)
    ctx.require(Permission.AUTHOR_COURSES)
    published = request.POST.get("published") == "1"
    include_contents = request.POST.get("include_contents") == "1"
    set_course_published(course=course, published=published, include_contents=include_contents)
    if published:
        message = (
            "The course and everything in it are published."
            if include_contents
            else ("The course is published.")
        )
    else:
        message = "The course is a draft again; learners no longer see it."
    return outline_changed(request, ctx, course, message)
