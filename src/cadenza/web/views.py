"""Pages that compose several domains or belong to no single organization: the start page,
the organization's home (every role's), the page of all my upcoming sessions and the health
check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cadenza.accounts.models import User
from cadenza.orgs.selectors import access_org, memberships_of
from cadenza.web.home import home_page
from cadenza.web.selectors import all_sessions_page


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
    """The organization's home, about the person: the parts of ``web.home`` their role may
    see (organization, teaching, learning), most important first. Lives in ``web`` because
    it reads ``orgs``, ``courses``, ``learning`` and ``live``."""
    assert isinstance(request.user, User)
    ctx = access_org(user=request.user, slug=org_slug)
    home = home_page(ctx, now=timezone.now())
    return render(request, "web/dashboard.html", {"ctx": ctx, "home": home})


@login_required
@require_GET
def my_sessions(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Every upcoming live session I host or may join here, soonest first, a page at a time."""
    assert isinstance(request.user, User)
    ctx = access_org(user=request.user, slug=org_slug)
    sessions = all_sessions_page(ctx, now=timezone.now(), number=request.GET.get("page"))
    return render(request, "web/sessions.html", {"ctx": ctx, "sessions": sessions})


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and the demo script: answers once the app is serving."""
    return JsonResponse({"status": "ok"})
