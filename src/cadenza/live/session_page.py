"""A live session's page: what learners and hosts see before, during and after the call.

One URL for the whole life of a session (``live_room``). Before the lobby opens it shows the
agenda, the start in the viewer's zone with a countdown and the calendar file; from the lobby
on, the pre-join check and the room (chat, Q&A, polls, hands, breakouts, video), with the
host console for hosts; after the session, the replay. The room itself runs in the browser
over the room socket (``cadenza.live.room.events``); this view only says which stage to show and
hands the page what it needs to join (``json_script``: the room's settings and the video
provider's join details, never a server credential beyond the participant's own token).
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cadenza.accounts.models import User
from cadenza.live.attendance.selectors.replay import replay_page
from cadenza.live.models import LiveSession, ParticipantRestriction, PrivateChat, VideoProvider
from cadenza.live.providers import ProviderError, provider_for
from cadenza.live.providers.joining import main_room_join_details
from cadenza.live.schedule.selectors import hosts_of, participants
from cadenza.live.sessions.access import (
    access_session,
    is_moderator,
    is_restricted,
    session_closed_to,
)
from cadenza.live.sessions.stage import OVER, ROOM, Stage, stage_of
from cadenza.orgs.selectors import OrgContext, access_org

REMOVED = ParticipantRestriction.Kind.REMOVED


def _ctx(request: HttpRequest, org_slug: str) -> OrgContext:
    assert isinstance(request.user, User)
    return access_org(user=request.user, slug=org_slug)


def _people(users: list[User]) -> list[dict[str, Any]]:
    return [{"user_id": user.pk, "name": user.name} for user in users]


def _room_config(
    request: HttpRequest, ctx: OrgContext, session: LiveSession, *, host: bool, stage: Stage
) -> dict[str, Any]:
    """What the room's script needs besides the socket: who the viewer and the hosts are,
    the people a private message or a breakout room may name, and the links it shows."""
    hosts = hosts_of(session)
    host_ids = {user.pk for user in hosts}
    people: list[User] = []
    if host or session.private_chat == PrivateChat.ON:
        people = [user for user in participants(session) if user.pk not in host_ids]
    slug = ctx.org.slug
    return {
        "session_id": session.pk,
        "socket_path": f"/ws/live/{session.pk}/",
        "me": {"user_id": ctx.user.pk, "name": ctx.user.name},
        "time_zone": timezone.get_current_timezone_name(),
        "is_host": host,
        "hosts": _people(hosts),
        "people": _people(people),
        "format": session.format,
        "private_chat": session.private_chat,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "lobby_opens_at": stage.lobby_opens_at.isoformat(),
        "attendance_url": reverse("live_attendance", args=[slug, session.pk]) if host else "",
        "page_url": reverse("live_room", args=[slug, session.pk]),
        "away_seconds": settings.LIVE_AWAY_SECONDS,
    }


def _join_details(
    request: HttpRequest, ctx: OrgContext, session: LiveSession, *, host: bool
) -> tuple[dict[str, Any], str]:
    """The video provider's join details for this person, or no video and the reason."""
    try:
        details = main_room_join_details(
            session, user=ctx.user, is_host=host, page_url=request.build_absolute_uri()
        )
    except ProviderError as error:
        return {"kind": VideoProvider.NONE, "is_moderator": host}, error.detail
    return dict(details.as_json()), ""


@login_required
@require_GET
def room(request: HttpRequest, org_slug: str, session_id: int) -> HttpResponse:
    """The session's page at its current stage, as this person may see it."""
    ctx = _ctx(request, org_slug)
    try:
        session = access_session(ctx, session_id=session_id)
    except Http404:
        closed = session_closed_to(ctx, session_id=session_id)
        if closed is None:
            raise
        # An invitee's link says why they cannot come in yet, never "Page not found".
        return render(request, "live/room_closed.html", {"ctx": ctx, "closed": closed}, status=403)
    now = timezone.now()
    host = is_moderator(ctx, session)
    stage = stage_of(session, now=now, host=host)
    context: dict[str, Any] = {
        "ctx": ctx,
        "session": session,
        "stage": stage.name,
        "is_host": host,
        "lobby_opens_at": stage.lobby_opens_at,
        "seconds_to_start": max(0, int((session.starts_at - now).total_seconds())),
        "seconds_to_lobby": max(0, int((stage.lobby_opens_at - now).total_seconds())),
    }
    if stage.name == OVER:
        page = replay_page(ctx, session, now=now)
        context |= {
            "replay": page,
            "recording_type": _recording_type(page.session.recording_file.name)
            if page.has_file
            else "",
            "answer_errors": {},
        }
    elif stage.name == ROOM and not host and is_restricted(session, ctx.user, REMOVED):
        # The socket would refuse them; the page says why instead of a room that never joins.
        context["stage"] = "removed"
        return render(request, "live/room.html", context, status=403)
    elif stage.name == ROOM:
        join, video_problem = _join_details(request, ctx, session, host=host)
        context |= {
            "room_config": _room_config(request, ctx, session, host=host, stage=stage),
            "join_details": join,
            "video_problem": video_problem,
        }
    return render(request, "live/room.html", context)


def _recording_type(name: str | None) -> str:
    """The recording's media type for the player (as the replay page gives it)."""
    guessed, _encoding = mimetypes.guess_type(name or "")
    if guessed and guessed.startswith(("video/", "audio/")):
        return guessed
    return "application/octet-stream"


@login_required
@require_POST
def start_video(request: HttpRequest, org_slug: str, session_id: int) -> HttpResponse:
    """A host starts the provider's meeting (BigBlueButton creates it; idempotent) and is sent
    to their join link; 403 for anyone else, and back to the page with the reason when the
    provider refuses or does not answer."""
    ctx = _ctx(request, org_slug)
    session = access_session(ctx, session_id=session_id)
    if not is_moderator(ctx, session):
        raise PermissionDenied("Only the session's hosts start its video meeting.")
    page = reverse("live_room", args=[ctx.org.slug, session.pk])
    try:
        provider = provider_for(session, page_url=request.build_absolute_uri(page))
        provider.start(session=session)
        details = provider.join_details(
            session=session, user=ctx.user, is_host=True, display_name=ctx.user.name
        )
    except ProviderError as error:
        messages.error(request, f"The video meeting could not be started: {error.detail}")
        return redirect(page)
    return redirect(details.join_url or page)
