"""A live session's video and recording: the join details a participant's app needs (the main
room's, or their breakout room's own) and, for hosts, attaching the recording by address.

The join details are the session page's (``live.providers``: the built-in mesh's ICE servers,
a Jitsi IFrame configuration with the person's own token, a BigBlueButton join link); a
learner gets them from the lobby on, as the page shows the room. A provider that is not set up
or does not answer is a 503 with the reason. Recording files are uploaded on the replay page;
here a recording is attached by its https:// address.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from cadenza.api.bodies import Body, HttpsAddress
from cadenza.api.common import member_context
from cadenza.api.live_access import SESSION_ERRORS, explains_closed_session
from cadenza.learning.actions.progress import MAX_REPORTED_SECONDS
from cadenza.live.attendance.actions.replay import attach_recording, remove_recording
from cadenza.live.models import LiveSession
from cadenza.live.providers import ProviderError
from cadenza.live.providers.joining import breakout_room_join_details, main_room_join_details
from cadenza.live.providers.selectors import access_breakout_video
from cadenza.live.room.selectors.room import RoomAccess, access_open_room
from cadenza.live.sessions.access import access_session

router = Router(tags=["live video and recording"])

SESSION = "/orgs/{org}/live-sessions/{session}"


class RecordingIn(Body):
    url: HttpsAddress = Field(description="The recording's https:// address.")
    duration_seconds: float | None = Field(
        None,
        gt=0,
        le=MAX_REPORTED_SECONDS,
        allow_inf_nan=False,
        description="Its length, against which replay watching is measured.",
    )


class RecordingOut(Schema):
    url: str
    has_file: bool
    duration_seconds: float | None


def _page_url(request: HttpRequest, access: RoomAccess) -> str:
    session = access.session
    return request.build_absolute_uri(reverse("live_room", args=[session.org.slug, session.pk]))


@router.get(
    SESSION + "/video", response={200: dict[str, Any], 503: dict[str, str], **SESSION_ERRORS}
)
@explains_closed_session
def main_video(request: HttpRequest, org: str, session: int) -> Status[dict[str, Any]]:
    """The main room's join details for me (``kind``: builtin, jitsi, bigbluebutton, none);
    admitted as the room admits (404 once removed, 403 for a learner before the lobby)."""
    access = access_open_room(member_context(request, org), session_id=session, now=timezone.now())
    try:
        details = main_room_join_details(
            access.session,
            user=access.ctx.user,
            is_host=access.is_moderator,
            page_url=_page_url(request, access),
        )
    except ProviderError as error:
        return Status(503, {"detail": error.detail})
    return Status(200, dict(details.as_json()))


@router.get(
    SESSION + "/video/breakouts/{breakout}",
    response={200: dict[str, Any], 503: dict[str, str], **SESSION_ERRORS},
)
@explains_closed_session
def breakout_video(
    request: HttpRequest, org: str, session: int, breakout: int
) -> Status[dict[str, Any]]:
    """A breakout room's own video: a learner only their own open room's (404 for any other),
    a host any open room's. On BigBlueButton the room's meeting is created first."""
    access = access_open_room(member_context(request, org), session_id=session, now=timezone.now())
    room = access_breakout_video(access.ctx, session=access.session, breakout_id=breakout)
    try:
        details = breakout_room_join_details(
            access.session, access=room, user=access.ctx.user, page_url=_page_url(request, access)
        )
    except ProviderError as error:
        return Status(503, {"detail": error.detail})
    return Status(200, dict(details.as_json()))


def _recording_out(session: LiveSession) -> RecordingOut:
    return RecordingOut(
        url=session.recording_url,
        has_file=bool(session.recording_file),
        duration_seconds=session.recording_duration_seconds,
    )


@router.put(SESSION + "/recording", response={200: RecordingOut, **SESSION_ERRORS})
@explains_closed_session
def attach(request: HttpRequest, org: str, session: int, payload: RecordingIn) -> RecordingOut:
    """Attach (or replace) the recording by its address, once the session is over (hosts and
    admins; 400 before the end or for a cancelled session, 422 for a bad address)."""
    ctx = member_context(request, org)
    found = access_session(ctx, session_id=session)
    updated = attach_recording(
        session=found, by=ctx.user, url=payload.url, duration_seconds=payload.duration_seconds
    )
    return _recording_out(updated)


@router.delete(SESSION + "/recording", response={200: RecordingOut, **SESSION_ERRORS})
@explains_closed_session
def remove(request: HttpRequest, org: str, session: int) -> RecordingOut:
    """Remove the attached recording (hosts and admins; 400 when there is none)."""
    ctx = member_context(request, org)
    found = access_session(ctx, session_id=session)
    return _recording_out(remove_recording(session=found, by=ctx.user))
