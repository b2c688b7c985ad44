"""Editing a course's outline: modules and units, their order, state and removal.

Every change is a POST form that works without JavaScript (answered with a redirect to the
builder) and, sent by htmx, is answered with the refreshed outline. Only people who author
courses may change anything; teaching assistants get 403, learners 403 from the builder.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cadenza.courses.actions import (
    Direction,
    add_module,
    add_unit,
    delete_module,
    delete_unit,
    edit_module,
    edit_unit,
    move_module,
    move_unit,
    move_unit_to_module,
    set_module_published,
    set_unit_published,
)
from cadenza.courses.forms import UNIT_FORMS, ModuleForm
from cadenza.courses.models import Course, UnitKind
from cadenza.courses.selectors import access_course_for_teaching, access_module, access_unit
from cadenza.courses.views.captions import captions_section
from cadenza.courses.views.common import (
    add_action_errors,
    is_htmx,
    org_context,
    outline_changed,
    posted,
)
from cadenza.orgs.policy import Permission
from cadenza.orgs.selectors import OrgContext


def _authoring(request: HttpRequest, org_slug: str, course_slug: str) -> tuple[OrgContext, Course]:
    ctx = org_context(request, org_slug)
    course = access_course_for_teaching(ctx, slug=course_slug)
    ctx.require(Permission.AUTHOR_COURSES)
    return ctx, course


def _bad_request(request: HttpRequest, detail: str) -> HttpResponse:
    if is_htmx(request):
        return JsonResponse({"detail": detail}, status=400)
    return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")


def _direction(request: HttpRequest) -> Direction | None:
    match request.POST.get("direction"):
        case "up":
            return "up"
        case "down":
            return "down"
    return None


def _builder(ctx: OrgContext, course: Course) -> HttpResponse:
    return redirect("course_builder", org_slug=ctx.org.slug, course_slug=course.slug)


@login_required
@require_http_methods(["GET", "POST"])
def module_new(request: HttpRequest, org_slug: str, course_slug: str) -> HttpResponse:
    ctx, course = _authoring(request, org_slug, course_slug)
    form = ModuleForm(posted(request))
    if request.method == "POST" and form.is_valid():
        module = add_module(course=course, **form.cleaned_data)
        return outline_changed(request, ctx, course, f"Module “{module.title}” was added.")
    if request.method == "POST" and is_htmx(request):
        return _bad_request(request, "Give the module a title (at most 200 characters).")
    return render(
        request,
        "courses/module_form.html",
        {"ctx": ctx, "course": course, "form": form, "module": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def module_edit(
    request: HttpRequest, org_slug: str, course_slug: str, module_id: int
) -> HttpResponse:
    ctx, course = _authoring(request, org_slug, course_slug)
    module = access_module(ctx, course=course, module_id=module_id)
    initial = {"title": module.title, "summary": module.summary}
    form = ModuleForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        edit_module(module=module, **form.cleaned_data)
        messages.success(request, "The module was saved.")
        return _builder(ctx, course)
    return render(
        request,
        "courses/module_form.html",
        {"ctx": ctx, "course": course, "form": form, "module": module},
    )


@login_required
@require_POST
def module_move(
    request: HttpRequest, org_slug: str, course_slug: str, module_id: int
) -> HttpResponse:
    ctx, course = _authoring(request, org_slug, course_slug)
    module = access_module(ctx, course=course, module_id=module_id)
    direction = _direction(request)
    if direction is None:
        return _bad_request(request, "Say which way to move the module: up or down.")
    move_module(module=module, direction=direction)
    return outline_changed(request, ctx, course, f"Module “{module.title}” moved {direction}.")


@login_required
@require_POST
def module_publish(
    request: HttpRequest, org_slug: str, course_slug: str, module_id: int
) -> HttpResponse:
    ctx, course = _authoring(request, org_slug, course_slug)
    module = access_module(ctx, course=course, module_id=module_id)
    published = request.POST.get("published") == "1"
    include_units = request.POST.get("include_units") == "1"
    set_module_published(module=module, published=published, include_units=include_units)
    state = "published" if published else "a draft again"
    return outline_changed(request, ctx, course, f"Module “{module.title}” is {state}.")


@login_required
@require_http_methods(["GET", "POST"])
def module_delete(
    request: HttpRequest, org_slug: str, course_slug: str, module_id: int
) -> HttpResponse:
    """GET asks for confirmation; POST deletes the module and its units."""
    ctx, course = _authoring(request, org_slug, course_slug)
    module = access_module(ctx, course=course, module_id=module_id)
    if request.method == "POST":
        delete_module(module=module)
        return outline_changed(request, ctx, course, f"Module “{module.title}” was deleted.")
    return render(
        request,
        "courses/confirm_delete.html",
        {
            "ctx": ctx,
            "course": course,
            "thing": f"the module “{module.title}” and its {module.units.count()} units",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_new(request: HttpRequest, org_slug: str, course_slug: str, module_id: int) -> HttpResponse:
    """Add a unit of ``?kind=`` (video, reading, resource, knowledge_check) to a module. A
    live session is scheduled on its own page (``live_schedule_new``), an assignment set up
    on its own (``assignment_new``), by URL name: courses imports neither app."""
    ctx, course = _authoring(request, org_slug, course_slug)
    module = access_module(ctx, course=course, module_id=module_id)
    kind = request.GET.get("kind", "")
    if kind == UnitKind.LIVE_SESSION:
        return redirect(
            "live_schedule_new", org_slug=ctx.org.slug, course_slug=course.slug, module_id=module.pk
        )
    if kind == UnitKind.ASSIGNMENT:
        return redirect(
            "assignment_new", org_slug=ctx.org.slug, course_slug=course.slug, module_id=module.pk
        )
    if kind not in UNIT_FORMS:
        return _bad_request(request, "Choose a kind of unit: " + ", ".join(UNIT_FORMS) + ".")
    form = UNIT_FORMS[kind](posted(request), request.FILES or None)
    preview = request.method == "POST" and "preview" in request.POST
    if request.method == "POST" and not preview and form.is_valid():
        unit = add_unit(
            module=module,
            kind=UnitKind(kind),
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            estimated_minutes=form.cleaned_data["estimated_minutes"],
            **form.kind_fields(),
        )
        messages.success(request, f"“{unit.title}” was added to “{module.title}”.")
        return _builder(ctx, course)
    return render(
        request,
        "courses/unit_form.html",
        {
            "ctx": ctx,
            "course": course,
            "module": module,
            "form": form,
            "kind": UnitKind(kind),
            "unit": None,
            "preview": request.POST.get("body", "") if preview else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, org_slug: str, course_slug: str, unit_id: int) -> HttpResponse:
    """Edit a unit; a live-session unit is edited through its sessions (``live_unit_sessions``),
    an assignment on its settings page (``assignment_settings``)."""
    ctx, course = _authoring(request, org_slug, course_slug)
    unit = access_unit(ctx, course=course, unit_id=unit_id)
    if unit.kind == UnitKind.LIVE_SESSION:
        return redirect(
            "live_unit_sessions", org_slug=ctx.org.slug, course_slug=course.slug, unit_id=unit.pk
        )
    if unit.kind == UnitKind.ASSIGNMENT:
        return redirect(
            "assignment_settings", org_slug=ctx.org.slug, course_slug=course.slug, unit_id=unit.pk
        )
    form = UNIT_FORMS[unit.kind](posted(request), request.FILES or None, unit=unit)
    preview = request.method == "POST" and "preview" in request.POST
    if request.method == "POST" and not preview and form.is_valid():
        try:
            edit_unit(
                unit=unit,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                estimated_minutes=form.cleaned_data["estimated_minutes"],
                **form.kind_fields(),
            )
        except ValidationError as error:
            add_action_errors(form, error)
        else:
            messages.success(request, f"“{unit.title}” was saved.")
            return _builder(ctx, course)
    return render(
        request,
        "courses/unit_form.html",
        {
            "ctx": ctx,
            "course": course,
            "module": unit.module,
            "form": form,
            "kind": UnitKind(unit.kind),
            "unit": unit,
            "preview": request.POST.get("body", "") if preview else unit.body,
            **captions_section(unit),
        },
    )


@login_required
@require_POST
def unit_move(request: HttpRequest, org_slug: str, course_slug: str, unit_id: int) -> HttpResponse:
    """``direction=up|down`` moves within the module; ``module=<id>`` to another module."""
    ctx, course = _authoring(request, org_slug, course_slug)
    unit = access_unit(ctx, course=course, unit_id=unit_id)
    direction = _direction(request)
    target = request.POST.get("module", "")
    if direction is not None:
        move_unit(unit=unit, direction=direction)
        return outline_changed(request, ctx, course, f"“{unit.title}” moved {direction}.")
    if target.isdigit():
        module = access_module(ctx, course=course, module_id=int(target))
        move_unit_to_module(unit=unit, module=module)
        return outline_changed(request, ctx, course, f"“{unit.title}” moved to “{module.title}”.")
    return _bad_request(request, "Say where to move the unit: up, down or to a module.")


@login_required
@require_POST
def unit_publish(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> HttpResponse:
    ctx, course = _authoring(request, org_slug, course_slug)
    unit = access_unit(ctx, course=course, unit_id=unit_id)
    published = request.POST.get("published") == "1"
    set_unit_published(unit=unit, published=published)
    state = "published" if published else "a draft again"
    return outline_changed(request, ctx, course, f"“{unit.title}” is {state}.")


@login_required
@require_http_methods(["GET", "POST"])
def unit_delete(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> HttpResponse:
    """GET asks for confirmation; POST deletes the unit."""
    ctx, course = _authoring(request, org_slug, course_slug)
    unit = access_unit(ctx, course=course, unit_id=unit_id)
    if request.method == "POST":
        delete_unit(unit=unit)
        return outline_changed(request, ctx, course, f"“{unit.title}” was deleted.")
    return render(
        request,
        "courses/confirm_delete.html",
        {"ctx": ctx, "course": course, "thing": f"the unit “{unit.title}”"},
    )
