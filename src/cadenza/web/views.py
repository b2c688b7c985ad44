"""Pages that compose several domains or belong to no single organization: the start page,
the learner's dashboard and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cadenza.accounts.models import User
from cadenza.orgs.selectors import access_org, memberships_of
from cadenza.web.selectors import dashboard_page


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send a person with one organization straight to it; otherwise let them choose."""
    assert isinstance(request.user, User)
    memberships = list(memberships_of(request.user))
    if len(memberships) == 1:
        return redirect("dashboard", org_slug=memberships[0].org.slug)
    return render(request, "web/home.html", {"memberships": memberships})


@login_required
@require_GET
def dashboard(request: HttpRequest, org_slug: str) -> HttpResponse:
    """My courses with progress and where to continue, and my upcoming live sessions (in my
    zone, with a countdown and a join link). Lives in ``web`` because it reads both
    ``learning`` and ``live``."""
    assert isinstance(request.user, User)
    ctx = access_org(user=request.user, slug=org_slug)
    page = dashboard_page(ctx, now=timezone.now())
    return render(
        request,
        "web/dashboard.html",
        {"ctx": ctx, "entries": page.entries, "upcoming": page.upcoming},
    )


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and the demo script: answers once the app is serving."""
    return JsonResponse({"status": "ok"})
