"""How a unit is sent and described, shared by the modules and units routers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from cadenza.api.bodies import (
    Body,
    CleanText,
    HttpsAddress,
    Name,
    PatchBody,
    Prose,
    kinds_of,
    unset,
)
from cadenza.courses.models import Unit, UnitKind

UPLOADS_NOTE = (
    " Files (a video file, a downloadable resource) are uploaded on the course builder's "
    "pages, not through the API; a video is given here by its https:// address."
)


class UnitOut(Schema):
    """A unit as its authors see it. ``has_video_file``: a file uploaded on the page plays
    instead of ``video_url``; ``resource_name``: the downloadable file's name."""

    id: int
    module_id: int
    kind: UnitKind
    title: str
    position: int
    published: bool
    published_at: datetime | None
    body: str
    estimated_minutes: int
    video_url: str
    video_duration_seconds: float | None
    has_video_file: bool
    resource_name: str
    pass_mark_percent: int
    max_attempts: int | None


Minutes = Annotated[int, Field(ge=1, le=1000)]
Seconds = Annotated[float, Field(ge=0, allow_inf_nan=False)]
PassMark = Annotated[int, Field(ge=0, le=100, description="The pass mark, 0-100 %.")]
Attempts = Annotated[int, Field(ge=1, le=100)]


class _NewUnit(Body):
    title: Name = Field(max_length=200)
    estimated_minutes: Minutes = 5


class ReadingIn(_NewUnit):
    kind: Literal["reading"]
    body: Prose = Field(description="Markdown: the reading.")


class VideoIn(_NewUnit):
    kind: Literal["video"]
    body: CleanText = Field("", description="Markdown: notes.")
    video_url: HttpsAddress
    video_duration_seconds: Seconds | None = unset(description="Its length.")


class KnowledgeCheckIn(_NewUnit):
    kind: Literal["knowledge_check"]
    body: CleanText = Field("", description="Markdown: instructions.")
    pass_mark_percent: PassMark = 70
    max_attempts: Attempts | None = unset(description="None: unlimited.")


UnitIn = Annotated[ReadingIn | VideoIn | KnowledgeCheckIn, Field(discriminator="kind")]
kinds_of(ReadingIn, VideoIn, KnowledgeCheckIn)
"""A new unit, by its ``kind``: each kind takes its own fields."""


class UnitPatch(PatchBody):
    """Only the fields sent change (``max_attempts: null`` makes attempts unlimited); a
    field of another kind of unit is ignored. A reading's text may not be emptied (400)."""

    title: Name = unset(max_length=200)
    body: CleanText = unset(description="Markdown.")
    estimated_minutes: Minutes = unset()
    video_url: HttpsAddress = unset()
    video_duration_seconds: Seconds | None = None
    pass_mark_percent: PassMark = unset()
    max_attempts: Attempts | None = None


class DirectionIn(Body):
    direction: Literal["up", "down"]


def unit_out(unit: Unit) -> UnitOut:
    return UnitOut(
        id=unit.pk,
        module_id=unit.module_id,
        kind=UnitKind(unit.kind),
        title=unit.title,
        position=unit.position,
        published=unit.is_published,
        published_at=unit.published_at,
        body=unit.body,
        estimated_minutes=unit.estimated_minutes,
        video_url=unit.video_url,
        video_duration_seconds=unit.video_duration_seconds,
        has_video_file=bool(unit.video_file),
        resource_name=unit.resource_name,
        pass_mark_percent=unit.pass_mark_percent,
        max_attempts=unit.max_attempts,
    )
