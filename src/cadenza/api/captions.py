"""A video unit's captions: the tracks (anyone who may open the unit), one track with its
transcript, and adding, replacing or removing a language's track (authors).

A track is named by its language tag (BCP 47, any case: ``pt-br`` finds ``pt-BR``). The file
is sent as text in the JSON body, checked and sanitized exactly as the upload on the unit's
edit page (``save_caption_track``): a malformed file is a 400 whose ``detail`` names the line
("line 7: ..."), and nothing is stored. The player's copy is at ``url`` (``text/vtt``).
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from cadenza.api.bodies import Body, Name
from cadenza.api.common import ERRORS, authoring_context, member_context
from cadenza.courses.actions import remove_caption_track, save_caption_track
from cadenza.courses.models import MAX_CAPTION_BYTES, CaptionTrack, Course
from cadenza.courses.selectors import (
    access_caption_track,
    access_course,
    access_unit,
    caption_tracks,
    transcript_of,
)

router = Router(tags=["captions"])

CAPTIONS = "/orgs/{org}/courses/{course}/units/{unit}/captions"
TRACK = CAPTIONS + "/{language}"


class CaptionTrackIn(Body):
    """A language's captions: the name people choose them by, and the WebVTT file's text."""

    label: Name = Field(max_length=80, description="What learners choose it by: English …")
    vtt: str = Field(
        min_length=1,
        max_length=MAX_CAPTION_BYTES,
        description=f"The WebVTT file, as text (at most {MAX_CAPTION_BYTES // 1024} KB).",
    )


class CaptionTrackOut(Schema):
    """One language's captions. ``url``: the sanitized WebVTT file the player reads."""

    language: str
    label: str
    cue_count: int
    url: str
    updated_at: datetime


class TranscriptLineOut(Schema):
    """One cue: its start and end in seconds and its text without markup."""

    start: float
    end: float
    text: str


class CaptionTrackDetailOut(CaptionTrackOut):
    """A track with its sanitized WebVTT text and its transcript, line by line."""

    vtt: str
    transcript: list[TranscriptLineOut]


def _out(org: str, course: Course, track: CaptionTrack) -> CaptionTrackOut:
    url = reverse(
        "unit_captions",
        kwargs={
            "org_slug": org,
            "course_slug": course.slug,
            "unit_id": track.unit_id,
            "language": track.language,
        },
    )
    return CaptionTrackOut(
        language=track.language,
        label=track.label,
        cue_count=track.cue_count,
        url=url,
        updated_at=track.updated_at,
    )


@router.get(CAPTIONS, response={200: list[CaptionTrackOut], **ERRORS})
def list_tracks(request: HttpRequest, org: str, course: str, unit: int) -> list[CaptionTrackOut]:
    """The unit's caption tracks, by name (whoever may open the unit)."""
    ctx = member_context(request, org)
    found_course = access_course(ctx, slug=course)
    found = access_unit(ctx, course=found_course, unit_id=unit)
    return [_out(ctx.org.slug, found_course, track) for track in caption_tracks(found)]


@router.get(TRACK, response={200: CaptionTrackDetailOut, **ERRORS})
def read_track(
    request: HttpRequest, org: str, course: str, unit: int, language: str
) -> CaptionTrackDetailOut:
    """One language's captions with the sanitized file and the transcript."""
    ctx = member_context(request, org)
    found_course = access_course(ctx, slug=course)
    track = access_caption_track(ctx, course=found_course, unit_id=unit, language=language)
    return CaptionTrackDetailOut(
        **_out(ctx.org.slug, found_course, track).model_dump(),
        vtt=track.vtt,
        transcript=[
            TranscriptLineOut(start=line.start, end=line.end, text=line.text)
            for line in transcript_of(track).lines
        ],
    )


@router.put(TRACK, response={200: CaptionTrackOut, **ERRORS})
def put_track(
    request: HttpRequest, org: str, course: str, unit: int, language: str, payload: CaptionTrackIn
) -> CaptionTrackOut:
    """Add the captions in ``language`` to a video unit, or replace them (authors). 400: not
    a video unit, a malformed language tag, or a malformed file (its line in ``detail``)."""
    ctx, found_course = authoring_context(request, org, course)
    found = access_unit(ctx, course=found_course, unit_id=unit)
    track = save_caption_track(
        ctx=ctx, unit=found, language=language, label=payload.label, file=payload.vtt
    )
    return _out(ctx.org.slug, found_course, track)


@router.delete(TRACK, response={204: None, **ERRORS})
def delete_track(
    request: HttpRequest, org: str, course: str, unit: int, language: str
) -> Status[None]:
    """Remove one language's captions (authors)."""
    ctx, found_course = authoring_context(request, org, course)
    track = access_caption_track(ctx, course=found_course, unit_id=unit, language=language)
    remove_caption_track(ctx=ctx, track=track)
    return Status(204, None)
