"""A course's modules for its authors: adding, editing, ordering, publishing and deleting
them, and adding units to them."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Body as BodyParam
from ninja import Field, Router, Schema, Status

from cadenza.api.bodies import Body, CleanText, Name, PatchBody, unset
from cadenza.api.common import ERRORS, authoring_context, cleaned
from cadenza.api.unit_schemas import UPLOADS_NOTE, DirectionIn, UnitIn, UnitOut, unit_out
from cadenza.courses.actions import (
    add_module,
    add_unit,
    delete_module,
    edit_module,
    move_module,
    set_module_published,
)
from cadenza.courses.forms import UNIT_FORMS
from cadenza.courses.models import Module, UnitKind
from cadenza.courses.selectors import access_module

router = Router(tags=["course outline"])

MODULE = "/orgs/{org}/courses/{course}/modules/{module}"


class ModuleOut(Schema):
    id: int
    title: str
    summary: str
    position: int
    published: bool
    published_at: datetime | None


class ModuleIn(Body):
    title: Name = Field(max_length=200)
    summary: CleanText = Field("", description="Markdown.")


class ModulePatch(PatchBody):
    """Only the fields sent change."""

    title: Name = unset(max_length=200)
    summary: CleanText = unset(description="Markdown.")


class ModulePublishIn(Body):
    published: bool
    include_units: bool = Field(False, description="When publishing: also its draft units.")


def _module_out(module: Module) -> ModuleOut:
    return ModuleOut(
        id=module.pk,
        title=module.title,
        summary=module.summary,
        position=module.position,
        published=module.is_published,
        published_at=module.published_at,
    )


def _module(request: HttpRequest, org: str, course: str, module: int) -> Module:
    ctx, found = authoring_context(request, org, course)
    return access_module(ctx, course=found, module_id=module)


@router.post("/orgs/{org}/courses/{course}/modules", response={201: ModuleOut, **ERRORS})
def create_module(
    request: HttpRequest, org: str, course: str, payload: ModuleIn
) -> Status[ModuleOut]:
    """Add a draft module at the end of the course."""
    _ctx, found = authoring_context(request, org, course)
    return Status(
        201, _module_out(add_module(course=found, title=payload.title, summary=payload.summary))
    )


@router.patch(MODULE, response={200: ModuleOut, **ERRORS})
def patch_module(
    request: HttpRequest, org: str, course: str, module: int, payload: ModulePatch
) -> ModuleOut:
    """Rename a module or change its summary."""
    found = _module(request, org, course, module)
    fields = {"title": found.title, "summary": found.summary} | payload.changes()
    return _module_out(edit_module(module=found, **fields))


@router.delete(MODULE, response={204: None, **ERRORS})
def remove_module(request: HttpRequest, org: str, course: str, module: int) -> Status[None]:
    """Delete a module with its units (and their learners' progress in them)."""
    delete_module(module=_module(request, org, course, module))
    return Status(204, None)


@router.post(MODULE + "/move", response={200: ModuleOut, **ERRORS})
def move(
    request: HttpRequest, org: str, course: str, module: int, payload: DirectionIn
) -> ModuleOut:
    """Swap a module with its neighbour; at either end nothing moves."""
    found = _module(request, org, course, module)
    return _module_out(move_module(module=found, direction=payload.direction))


@router.post(MODULE + "/publish", response={200: ModuleOut, **ERRORS})
def publish_module(
    request: HttpRequest, org: str, course: str, module: int, payload: ModulePublishIn
) -> ModuleOut:
    """Publish a module (optionally with its draft units) or make it a draft again."""
    found = _module(request, org, course, module)
    return _module_out(
        set_module_published(
            module=found, published=payload.published, include_units=payload.include_units
        )
    )


@router.post(MODULE + "/units", response={201: UnitOut, **ERRORS}, description=UPLOADS_NOTE.strip())
def create_unit(
    request: HttpRequest, org: str, course: str, module: int, payload: BodyParam[UnitIn]
) -> Status[UnitOut]:
    """Add a draft reading, video (by address) or knowledge check at the end of a module
    (a downloadable resource needs a file: the page)."""
    found = _module(request, org, course, module)
    form = UNIT_FORMS[payload.kind](payload.model_dump(exclude={"kind"}))
    data = cleaned(form)
    unit = add_unit(
        module=found,
        kind=UnitKind(payload.kind),
        title=data["title"],
        body=data["body"],
        estimated_minutes=data["estimated_minutes"],
        **form.kind_fields(),
    )
    return Status(201, unit_out(unit))
