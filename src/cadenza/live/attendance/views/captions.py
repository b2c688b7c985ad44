"""The captions of a session's recording: hosts add and remove them on the replay, and the
player reads a track.

The upload is the video unit's (``courses.forms.CaptionTrackForm``, checked by
``checked_captions``): a refused file re-renders the replay with the reason on the form
("line 7: ...") and a 400, nothing written. Adding and removing: the session's hosts and the
organization's admins (403 for anyone else); a track is served to anyone who may see the
session (``access_session``), from the stored sanitized copy. Another organization's session
or captions: 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from cadenza.accounts.models import User
from cadenza.courses.forms import CaptionTrackForm
from cadenza.lib.errors import DomainError
from cadenza.lib.webvtt_response import webvtt_response
from cadenza.live.attendance.actions.captions import remove_replay_captions, save_replay_captions
from cadenza.live.attendance.selectors.attendance import may_manage_attendance
from cadenza.live.attendance.selectors.replay import access_replay_caption_track, replay_page
from cadenza.live.attendance.views.replay import render_replay
from cadenza.live.models import LiveSession
from cadenza.live.sessions.access import access_session
from cadenza.orgs.selectors import OrgContext, access_org


def _managed_session(
    request: HttpRequest, org_slug: str, session_id: int
) -> tuple[OrgContext, LiveSession]:
    assert isinstance(request.user, User)
    ctx = access_org(user=request.user, slug=org_slug)
    session = access_session(ctx, session_id=session_id)
    if not may_manage_attendance(session=session, user=ctx.user):
        raise PermissionDenied(
            "Only the session's hosts and the organization's admins change its captions."
        )
    return ctx, session


def _to_captions(ctx: OrgContext, session: LiveSession) -> HttpResponse:
    return redirect(reverse("live_replay", args=[ctx.org.slug, session.pk]) + "#captions-heading")


@login_required
@require_POST
def caption_add(request: HttpRequest, org_slug: str, session_id: int) -> HttpResponse:
    """Add a language's captions to the recording, or replace them."""
    ctx, session = _managed_session(request, org_slug, session_id)
    form = CaptionTrackForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            track = save_replay_captions(
                session=session,
                by=ctx.user,
                language=form.cleaned_data["language"],
                label=form.cleaned_data["label"],
                file=form.cleaned_data["file"],
            )
        except DomainError as refused:
            form.refuse(refused)
        else:
            messages.success(
                request,
                f"The captions “{track.label}” ({track.language}) were saved: "
                f"{track.cue_count} cues.",
            )
            return _to_captions(ctx, session)
    return render_replay(request, ctx, replay_page(ctx, session), status=400, caption_form=form)


@login_required
@require_POST
def caption_remove(
    request: HttpRequest, org_slug: str, session_id: int, language: str
) -> HttpResponse:
    """Remove one language's captions from the recording."""
    ctx, session = _managed_session(request, org_slug, session_id)
    track = access_replay_caption_track(ctx, session=session, language=language)
    remove_replay_captions(track=track, by=ctx.user)
    messages.success(request, f"The captions “{track.label}” ({track.language}) were removed.")
    return _to_captions(ctx, session)


@login_required
@require_safe
def caption_file(
    request: HttpRequest, org_slug: str, session_id: int, language: str
) -> HttpResponse:
    """A track for the replay player's ``<track>``: the stored sanitized WebVTT file."""
    assert isinstance(request.user, User)
    ctx = access_org(user=request.user, slug=org_slug)
    session = access_session(ctx, session_id=session_id)
    return webvtt_response(access_replay_caption_track(ctx, session=session, language=language).vtt)
