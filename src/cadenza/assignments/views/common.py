"""What the assignment views share: the organization of the request, refusals."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from cadenza.accounts.models import User
from cadenza.orgs.selectors import OrgContext, access_org


def org_of(request: HttpRequest, org_slug: str) -> OrgContext:
    assert isinstance(request.user, User)
    return access_org(user=request.user, slug=org_slug)


def refused(
    request: HttpRequest, ctx: OrgContext, back_url: str, message: str, status: int = 400
) -> HttpResponse:
    """A clear refusal that changed nothing: JSON for htmx and API-like callers, a short page
    for a plain form."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.headers.get("HX-Request") or wants_json:
        return JsonResponse({"detail": message}, status=status)
    context = {"ctx": ctx, "message": message, "back_url": back_url}
    return render(request, "assignments/refused.html", context, status=status)
