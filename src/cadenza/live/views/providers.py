"""The organization's video settings page (admins only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cadenza.accounts.models import User
from cadenza.live.models import VideoProvider
from cadenza.live.providers.actions import update_video_settings
from cadenza.live.providers.forms import VideoSettingsForm
from cadenza.live.providers.selectors import video_settings_of
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import access_org


@login_required
@require_http_methods(["GET", "POST"])
def video_settings(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Default provider, Jitsi and BigBlueButton credentials, STUN/TURN servers."""
    assert isinstance(request.user, User)
    ctx = access_org(user=request.user, slug=org_slug)
    ctx.require(Permission.MANAGE_ORGANIZATION)
    stored = video_settings_of(ctx.org)
    form = VideoSettingsForm(
        request.POST or None, stored=stored, initial=VideoSettingsForm.initial_for(stored)
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_video_settings(
                    org=ctx.org,
                    default_provider=VideoProvider(data["default_provider"]),
                    jitsi_domain=data["jitsi_domain"],
                    jitsi_app_id=data["jitsi_app_id"],
                    jitsi_app_secret=data["jitsi_app_secret"],
                    bbb_url=data["bbb_url"],
                    bbb_secret=data["bbb_secret"],
                    stun_urls=data["stun_urls"],
                    turn_username=data["turn_username"],
                    turn_credential=data["turn_credential"],
                    changed_by=ctx.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "The video settings are saved.")
                return redirect("live_video_settings", org_slug=ctx.org.slug)
        context = {"ctx": ctx, "form": form, "stored": stored}
        return render(request, "live/video_settings.html", context, status=400)
    return render(request, "live/video_settings.html", {"ctx": ctx, "form": form, "stored": stored})
