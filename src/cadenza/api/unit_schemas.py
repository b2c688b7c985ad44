"""How a unit is sent and described, shared by the modules and units routers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from cadenza.courses.models import Unit, UnitKind

JsonUnitKind = Literal["reading", "video", "knowledge_check"]
"""The kinds made through the API; a downloadable resource needs a file upload (the page)."""

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


class UnitIn(Schema):
    kind: JsonUnitKind
    title: str
    body: str = Field("", description="Markdown: the reading (required), or notes.")
    estimated_minutes: int = 5
    video_url: str = Field("", description="Video: an https:// address (required).")
    video_duration_seconds: float | None = Field(None, description="Video: its length.")
    pass_mark_percent: int = Field(70, description="Knowledge check: the pass mark, 0-100.")
    max_attempts: int | None = Field(None, description="Knowledge check: None for unlimited.")


class UnitPatch(Schema):
    """Only the fields sent change (``max_attempts: null`` makes attempts unlimited)."""

    title: str | None = None
    body: str | None = None
    estimated_minutes: int | None = None
    video_url: str | None = None
    video_duration_seconds: float | None = None
    pass_mark_percent: int | None = None
    max_attempts: int | None = None


class DirectionIn(Schema):
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
