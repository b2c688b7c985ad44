"""One unit: reading it (learners and staff previewing), and changing it (authors).

Reading a unit records the visit exactly as the unit page does: for a learner actively
enrolled in the course, in a unit learners can see; staff previewing leave no trace.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from cadenza.api.bodies import Body, PatchBody, unset
from cadenza.api.common import ERRORS, authoring_context, cleaned, html, member_context
from cadenza.api.unit_schemas import UPLOADS_NOTE, UnitOut, UnitPatch, unit_out
from cadenza.courses.actions import (
    delete_unit,
    edit_unit,
    move_unit,
    move_unit_to_module,
    set_unit_published,
)
from cadenza.courses.forms import UNIT_FORMS, initial_for
from cadenza.courses.models import Course, Unit, UnitKind
from cadenza.courses.selectors import access_course, access_module, access_unit
from cadenza.learning.actions.progress import visit_unit, watched_percent
from cadenza.learning.models import ProgressStatus, UnitProgress
from cadenza.learning.selectors.progress import records_progress, unit_navigation
from cadenza.lib.errors import DomainError

router = Router(tags=["units"])

UNIT = "/orgs/{org}/courses/{course}/units/{unit}"


class UnitLinkOut(Schema):
    id: int
    title: str


class NavigationOut(Schema):
    """Previous and next unit I may open, and this unit's place: ``number`` of ``total``."""

    previous: UnitLinkOut | None
    next: UnitLinkOut | None
    number: int
    total: int


class MyUnitProgressOut(Schema):
    status: ProgressStatus
    completed: bool
    time_spent_seconds: int
    position_seconds: float
    watched_percent: float
    best_score_percent: float | None


class FileOut(Schema):
    """A file served by Cadenza (members only; downloads as an attachment)."""

    url: str
    name: str
    content_type: str
    size: int


class UnitContentOut(Schema):
    """What the unit page shows. ``body_html`` is the Markdown body, sanitized. A video plays
    from ``video_source`` (Cadenza's own address for an uploaded file, else the author's
    link). ``tracked``: my activity here is recorded (I am enrolled and the unit is
    published); ``progress`` is then my progress in it. A knowledge check's questions are
    at ``.../check``."""

    id: int
    kind: UnitKind
    title: str
    module: UnitLinkOut
    estimated_minutes: int
    body_html: str
    video_source: str | None
    video_duration_seconds: float | None
    download: FileOut | None
    tracked: bool
    progress: MyUnitProgressOut | None
    navigation: NavigationOut


class UnitMoveIn(PatchBody):
    """``direction`` moves within the module; ``module`` (an id) moves to the end of another
    module of the course."""

    direction: Literal["up", "down"] = unset()
    module: int = unset(description="A module's id.")


class UnitPublishIn(Body):
    published: bool = Field(description="Learners see a unit once its module and course are too.")


def _link(unit_id: int, title: str) -> UnitLinkOut:
    return UnitLinkOut(id=unit_id, title=title)


def _file_url(name: str, org: str, course: Course, unit: Unit) -> str:
    return reverse(name, kwargs={"org_slug": org, "course_slug": course.slug, "unit_id": unit.pk})


def my_progress(unit: Unit, progress: UnitProgress) -> MyUnitProgressOut:
    """My progress in ``unit``, as the unit page shows it."""
    return MyUnitProgressOut(
        status=ProgressStatus(progress.status),
        completed=progress.status == ProgressStatus.COMPLETED,
        time_spent_seconds=progress.time_spent_seconds,
        position_seconds=progress.video_position_seconds,
        watched_percent=watched_percent(progress, unit.video_duration_seconds),
        best_score_percent=progress.best_score_percent,
    )


@router.get(UNIT, response={200: UnitContentOut, **ERRORS})
def read_unit(request: HttpRequest, org: str, course: str, unit: int) -> UnitContentOut:
    """Open a unit (learners: a published unit of a course they are enrolled in; staff: any
    unit of the organization's courses). Records my visit when my activity is tracked."""
    ctx = member_context(request, org)
    found_course = access_course(ctx, slug=course)
    found = access_unit(ctx, course=found_course, unit_id=unit)
    tracked = records_progress(ctx, found_course, found)
    progress = visit_unit(user=ctx.user, unit=found) if tracked else None
    navigation = unit_navigation(ctx, found_course, found)
    video_source = None
    if found.kind == UnitKind.VIDEO:
        video_source = (
            _file_url("unit_video", ctx.org.slug, found_course, found)
            if found.video_file
            else found.video_url
        )
    download = None
    if found.kind == UnitKind.RESOURCE and found.resource_file:
        download = FileOut(
            url=_file_url("unit_download", ctx.org.slug, found_course, found),
            name=found.resource_name,
            content_type=found.resource_content_type,
            size=found.resource_size,
        )
    return UnitContentOut(
        id=found.pk,
        kind=UnitKind(found.kind),
        title=found.title,
        module=_link(found.module.pk, found.module.title),
        estimated_minutes=found.estimated_minutes,
        body_html=html(found.body),
        video_source=video_source,
        video_duration_seconds=found.video_duration_seconds,
        download=download,
        tracked=tracked,
        progress=my_progress(found, progress) if progress else None,
        navigation=NavigationOut(
            previous=_link(navigation.previous.id, navigation.previous.title)
            if navigation.previous
            else None,
            next=_link(navigation.next.id, navigation.next.title) if navigation.next else None,
            number=navigation.number,
            total=navigation.total,
        ),
    )


def _authored_unit(request: HttpRequest, org: str, course: str, unit: int) -> Unit:
    ctx, found_course = authoring_context(request, org, course)
    return access_unit(ctx, course=found_course, unit_id=unit)


@router.patch(
    UNIT,
    response={200: UnitOut, **ERRORS},
    description="Change a unit (authors); only the fields sent change." + UPLOADS_NOTE,
)
def patch_unit(
    request: HttpRequest, org: str, course: str, unit: int, payload: UnitPatch
) -> UnitOut:
    found = _authored_unit(request, org, course, unit)
    changes = payload.changes()
    if found.kind not in UNIT_FORMS:
        # Live sessions and assignments keep their settings in their own apps' endpoints.
        raise DomainError(
            f"A {UnitKind(found.kind).label.lower()} unit is changed through its own endpoints."
        )
    if found.kind == UnitKind.READING and not changes.get("body", found.body).strip():
        # A refusal by what the unit is (400), not by the body's shape (422): the schema
        # allows an empty body, which every other kind of unit takes.
        raise DomainError("A reading needs its text: the body cannot be empty.")
    form = UNIT_FORMS[found.kind](initial_for(found) | changes, unit=found)
    data = cleaned(form)
    return unit_out(
        edit_unit(
            unit=found,
            title=data["title"],
            body=data["body"],
            estimated_minutes=data["estimated_minutes"],
            **form.kind_fields(),
        )
    )


@router.delete(UNIT, response={204: None, **ERRORS})
def remove_unit(request: HttpRequest, org: str, course: str, unit: int) -> Status[None]:
    """Delete a unit with its learners' progress and answers (authors)."""
    delete_unit(unit=_authored_unit(request, org, course, unit))
    return Status(204, None)


@router.post(UNIT + "/move", response={200: UnitOut, **ERRORS})
def move(request: HttpRequest, org: str, course: str, unit: int, payload: UnitMoveIn) -> UnitOut:
    """Move a unit up or down in its module, or to the end of another module (authors)."""
    ctx, found_course = authoring_context(request, org, course)
    found = access_unit(ctx, course=found_course, unit_id=unit)
    where = payload.changes()
    if "direction" in where and "module" in where:
        raise DomainError("Say one place to move the unit: a direction or a module.")
    if "direction" in where:
        return unit_out(move_unit(unit=found, direction=where["direction"]))
    if "module" in where:
        target = access_module(ctx, course=found_course, module_id=where["module"])
        return unit_out(move_unit_to_module(unit=found, module=target))
    raise DomainError("Say where to move the unit: a direction (up or down) or a module.")


@router.post(UNIT + "/publish", response={200: UnitOut, **ERRORS})
def publish_unit(
    request: HttpRequest, org: str, course: str, unit: int, payload: UnitPublishIn
) -> UnitOut:
    """Publish a unit or make it a draft again (authors)."""
    found = _authored_unit(request, org, course, unit)
    return unit_out(set_unit_published(unit=found, published=payload.published))
