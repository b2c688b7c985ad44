"""Who is in a course: enrolling people by a pasted list of e-mails, and withdrawing them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cadenza.accounts.models import User
from cadenza.courses.actions import EnrolmentResult, enrol_by_emails, withdraw_learner
from cadenza.courses.forms import EnrolByEmailsForm
from cadenza.courses.selectors import (
    access_course_for_teaching,
    access_enrolment,
    course_enrolments,
)
from cadenza.courses.views.common import add_action_errors, org_context, posted
from cadenza.orgs.policy import Permission

ENROLMENTS_PER_PAGE = 100


@login_required
@require_http_methods(["GET", "POST"])
def course_enrol_emails(request: HttpRequest, org_slug: str, course_slug: str) -> HttpResponse:
    """Staff see the course's enrolments; instructors and admins may also enrol a list of
    e-mail addresses (all or nothing) and see what happened to each."""
    ctx = org_context(request, org_slug)
    course = access_course_for_teaching(ctx, slug=course_slug)
    may_enrol = ctx.may(Permission.ENROL_OTHERS)
    form = EnrolByEmailsForm(posted(request))
    result: EnrolmentResult | None = None
    if request.method == "POST":
        ctx.require(Permission.ENROL_OTHERS)
        if form.is_valid():
            assert isinstance(request.user, User)
            try:
                result = enrol_by_emails(
                    course=course,
                    emails=form.cleaned_data["emails"],
                    enrolled_by=request.user,
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                form = EnrolByEmailsForm()
    page = Paginator(course_enrolments(course), ENROLMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "courses/enrolments.html",
        {
            "ctx": ctx,
            "course": course,
            "form": form,
            "result": result,
            "page": page,
            "may_enrol": may_enrol,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def enrolment_withdraw(
    request: HttpRequest, org_slug: str, course_slug: str, enrolment_id: int
) -> HttpResponse:
    ctx = org_context(request, org_slug)
    course = access_course_for_teaching(ctx, slug=course_slug)
    enrolment = access_enrolment(ctx, course=course, enrolment_id=enrolment_id)
    withdraw_learner(enrolment=enrolment)
    messages.success(request, f"{enrolment.user.name} was withdrawn from “{course.title}”.")
    return redirect("course_enrol_emails", org_slug=ctx.org.slug, course_slug=course.slug)
