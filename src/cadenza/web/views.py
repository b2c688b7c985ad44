"""Pages that belong to no single organization: the start page and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cadenza.accounts.models import User
from cadenza.orgs.selectors import memberships_of


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send a person with one organization straight to it; otherwise let them choose."""
    assert isinstance(request.user, User)
    memberships = list(memberships_of(request.user))
    if len(memberships) == 1:
        return redirect("dashboard", org_slug=memberships[0].org.slug)
    return render(request, "web/home.html", {"memberships": memberships})


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and the demo script: answers once the app is serving."""
    return JsonResponse({"status": "ok"})
