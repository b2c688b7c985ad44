"""The captions of a live session's recording: the tracks (anyone who may see the session),
one track with its transcript, and adding, replacing or removing a language's track (the
session's hosts and the organization's admins).

The same shapes and rules as a video unit's captions (``cadenza.api.captions``): the file is
text in the JSON body, checked and sanitized as the replay page's upload
(``save_replay_captions``); a malformed file is a 400 whose ``detail`` names the line, and
nothing is stored. The player's copy is at ``url`` (``text/vtt``).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Status

from cadenza.api.captions import (
    CaptionTrackDetailOut,
    CaptionTrackIn,
    CaptionTrackOut,
    TranscriptLineOut,
)
from cadenza.api.common import member_context
from cadenza.api.live_access import SESSION_ERRORS, explains_closed_session
from cadenza.courses.selectors import transcript_of
from cadenza.live.attendance.actions.captions import remove_replay_captions, save_replay_captions
from cadenza.live.attendance.selectors.replay import (
    access_replay_caption_track,
    replay_caption_tracks,
)
from cadenza.live.models import ReplayCaptionTrack
from cadenza.live.sessions.access import access_session

router = Router(tags=["live video and recording"])

CAPTIONS = "/orgs/{org}/live-sessions/{session}/recording/captions"
TRACK = CAPTIONS + "/{language}"


def _out(org: str, track: ReplayCaptionTrack) -> CaptionTrackOut:
    url = reverse("live_replay_captions", args=[org, track.session_id, track.language])
    return CaptionTrackOut(
        language=track.language,
        label=track.label,
        cue_count=track.cue_count,
        url=url,
        updated_at=track.updated_at,
    )


@router.get(CAPTIONS, response={200: list[CaptionTrackOut], **SESSION_ERRORS})
@explains_closed_session
def list_tracks(request: HttpRequest, org: str, session: int) -> list[CaptionTrackOut]:
    """The recording's caption tracks, by name (whoever may see the session)."""
    ctx = member_context(request, org)
    found = access_session(ctx, session_id=session)
    return [_out(ctx.org.slug, track) for track in replay_caption_tracks(found)]


@router.get(TRACK, response={200: CaptionTrackDetailOut, **SESSION_ERRORS})
@explains_closed_session
def read_track(
    request: HttpRequest, org: str, session: int, language: str
) -> CaptionTrackDetailOut:
    """One language's captions with the sanitized file and the transcript."""
    ctx = member_context(request, org)
    found = access_session(ctx, session_id=session)
    track = access_replay_caption_track(ctx, session=found, language=language)
    return CaptionTrackDetailOut(
        **_out(ctx.org.slug, track).model_dump(),
        vtt=track.vtt,
        transcript=[
            TranscriptLineOut(start=line.start, end=line.end, text=line.text)
            for line in transcript_of(track).lines
        ],
    )


@router.put(TRACK, response={200: CaptionTrackOut, **SESSION_ERRORS})
@explains_closed_session
def put_track(
    request: HttpRequest, org: str, session: int, language: str, payload: CaptionTrackIn
) -> CaptionTrackOut:
    """Add the recording's captions in ``language``, or replace them (hosts and admins). 400:
    a cancelled session, a malformed language tag, or a malformed file (its line in
    ``detail``)."""
    ctx = member_context(request, org)
    found = access_session(ctx, session_id=session)
    track = save_replay_captions(
        session=found, by=ctx.user, language=language, label=payload.label, file=payload.vtt
    )
    return _out(ctx.org.slug, track)


@router.delete(TRACK, response={204: None, **SESSION_ERRORS})
@explains_closed_session
def delete_track(request: HttpRequest, org: str, session: int, language: str) -> Status[None]:
    """Remove one language's captions from the recording (hosts and admins)."""
    ctx = member_context(request, org)
    found = access_session(ctx, session_id=session)
    track = access_replay_caption_track(ctx, session=found, language=language)
    remove_replay_captions(track=track, by=ctx.user)
    return Status(204, None)
