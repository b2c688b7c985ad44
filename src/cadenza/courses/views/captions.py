"""A video unit's captions: adding and removing them on the unit's edit page, and serving a
track to the player.

The edit page (``outline.unit_edit``) shows the tracks and the upload form
(``captions_section``); the form posts here. A refused file re-renders the edit page with the
reason on the form ("line 7: ..."). A track is served from the stored sanitized copy as
``text/vtt`` to anyone who may open the unit (``access_caption_track``: another
organization's, or a unit the person may not open, is a 404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from cadenza.courses.caption_actions import remove_caption_track, save_caption_track
from cadenza.courses.forms import UNIT_FORMS, CaptionTrackForm
from cadenza.courses.models import Course, Unit, UnitKind
from cadenza.courses.selectors import (
    access_caption_track,
    access_course,
    access_course_for_teaching,
    access_unit,
    caption_tracks,
)
from cadenza.courses.views.common import org_context
from cadenza.lib.errors import DomainError
from cadenza.lib.webvtt_response import webvtt_response
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext


def captions_section(unit: Unit, form: CaptionTrackForm | None = None) -> dict[str, object]:
    """What the edit page of a video unit shows about its captions (nothing for other kinds)."""
    if unit.kind != UnitKind.VIDEO:
        return {}
    return {"caption_tracks": caption_tracks(unit), "caption_form": form or CaptionTrackForm()}


def _authored_unit(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> tuple[OrgContext, Course, Unit]:
    ctx = org_context(request, org_slug)
    course = access_course_for_teaching(ctx, slug=course_slug)
    ctx.require(Permission.AUTHOR_COURSES)
    return ctx, course, access_unit(ctx, course=course, unit_id=unit_id)


def _edit_page(ctx: OrgContext, course: Course, unit: Unit) -> HttpResponse:
    """Back to the edit page, at its captions (the list shows what changed)."""
    edit = reverse(
        "unit_edit",
        kwargs={"org_slug": ctx.org.slug, "course_slug": course.slug, "unit_id": unit.pk},
    )
    return redirect(edit + "#captions-heading")


@login_required
@require_POST
def caption_add(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> HttpResponse:
    """Add a language's captions to a video unit, or replace them."""
    ctx, course, unit = _authored_unit(request, org_slug, course_slug, unit_id)
    form = CaptionTrackForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            track = save_caption_track(
                ctx=ctx,
                unit=unit,
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
            return _edit_page(ctx, course, unit)
    return render(
        request,
        "courses/unit_form.html",
        {
            "ctx": ctx,
            "course": course,
            "module": unit.module,
            "form": UNIT_FORMS[unit.kind](unit=unit),
            "kind": UnitKind(unit.kind),
            "unit": unit,
            "preview": unit.body,
            **captions_section(unit, form),
        },
    )


@login_required
@require_POST
def caption_remove(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int, language: str
) -> HttpResponse:
    """Remove one language's captions from a video unit."""
    ctx, course, _unit = _authored_unit(request, org_slug, course_slug, unit_id)
    track = access_caption_track(ctx, course=course, unit_id=unit_id, language=language)
    remove_caption_track(ctx=ctx, track=track)
    messages.success(request, f"The captions “{track.label}” ({track.language}) were removed.")
    return _edit_page(ctx, course, track.unit)


@login_required
@require_safe
def caption_file(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int, language: str
) -> HttpResponse:
    """A track for the player's ``<track>``: the stored sanitized WebVTT file."""
    ctx = org_context(request, org_slug)
    course = access_course(ctx, slug=course_slug)
    track = access_caption_track(ctx, course=course, unit_id=unit_id, language=language)
    return webvtt_response(track.vtt)
