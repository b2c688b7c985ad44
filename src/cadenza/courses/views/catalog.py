"""The organization's catalog: its published courses, for everyone in it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cadenza.courses.selectors import catalog_courses
from cadenza.courses.views.common import org_context
from cadenza.orgs.policy import Permission


@login_required
@require_GET
def catalog(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Published courses with their size and the viewer's enrolment; a fixed number of
    queries however many courses there are."""
    ctx = org_context(request, org_slug)
    courses = catalog_courses(ctx)
    return render(
        request,
        "courses/catalog.html",
        {"ctx": ctx, "courses": courses, "may_self_enrol": ctx.may(Permission.SELF_ENROL)},
    )
