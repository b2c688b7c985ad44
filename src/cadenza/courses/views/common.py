"""What every course page does the same way: resolve the organization, report form errors
from actions, and answer a change either with the new outline (htmx) or a redirect."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render

from cadenza.accounts.models import User
from cadenza.courses.models import Course
from cadenza.courses.selectors import builder_outline
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext, access_org


def org_context(request: HttpRequest, org_slug: str) -> OrgContext:
    """The organization of the URL as the signed-in person sees it (404 for non-members)."""
    assert isinstance(request.user, User)
    return access_org(user=request.user, slug=org_slug)


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data of a POST (even an empty one, so it is validated), None for a GET."""
    return request.POST if request.method == "POST" else None


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def add_action_errors(form: forms.Form, error: ValidationError) -> None:
    """Show an action's ``ValidationError`` on the form: on the field it names when the form
    has that field, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def outline_changed(
    request: HttpRequest, ctx: OrgContext, course: Course, message: str
) -> HttpResponse:
    """After a change to the outline: htmx gets the outline fragment with the message in its
    live region; a plain form post gets the message and a redirect to the builder."""
    if is_htmx(request):
        return render(
            request,
            "courses/_outline.html",
            outline_context(ctx, course) | {"status_message": message},
        )
    messages.success(request, message)
    return redirect("course_builder", org_slug=ctx.org.slug, course_slug=course.slug)


def outline_context(ctx: OrgContext, course: Course) -> dict[str, object]:
    return {
        "ctx": ctx,
        "course": course,
        "modules": builder_outline(course),
        "can_author": ctx.may(Permission.AUTHOR_COURSES),
    }
