"""The organization's video settings page (admins only), and a breakout room's video details
for the room page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cadenza.accounts.models import User
from cadenza.live.models import VideoProvider
from cadenza.live.providers import ProviderError
from cadenza.live.providers.actions import update_video_settings
from cadenza.live.providers.forms import VideoSettingsForm
from cadenza.live.providers.joining import breakout_room_join_details
from cadenza.live.providers.selectors import access_breakout_video, video_settings_of
from cadenza.live.sessions.access import access_session
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


@login_required
@require_GET
def breakout_video(request: HttpRequest, org_slug: str, session_id: int) -> JsonResponse:
    """The join details of one breakout room's own video (``?breakout=<id>``), as JSON in the
    shape of the room page's ``join-details``; the room script fetches them when the person is
    moved into a breakout room. A learner gets only their own room's (404 for any other), a
    host any open room's. For BigBlueButton the breakout meeting is created first (idempotent),
    since no host is inside every room to start it; 503 with the reason when the provider
    refuses or does not answer."""
    assert isinstance(request.user, User)
    ctx = access_org(user=request.user, slug=org_slug)
    session = access_session(ctx, session_id=session_id)
    raw = request.GET.get("breakout", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return JsonResponse(
            {"detail": "Say which breakout room: ?breakout=<its number>."}, status=400
        )
    try:
        access = access_breakout_video(ctx, session=session, breakout_id=int(raw))
    except Http404:
        return JsonResponse({"detail": "No such breakout room for you."}, status=404)
    page = reverse("live_room", args=[ctx.org.slug, session.pk])
    try:
        details = breakout_room_join_details(
            session, access=access, user=ctx.user, page_url=request.build_absolute_uri(page)
        )
    except ProviderError as error:
        return JsonResponse({"detail": error.detail}, status=503)
    return JsonResponse(details.as_json())
