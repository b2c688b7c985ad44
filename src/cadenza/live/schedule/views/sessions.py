"""Scheduling pages: schedule a live session in a module, edit, move or cancel a session, and
the list of a live-session unit's sessions. Mounted under /o/<org_slug>/.

Only people who author courses schedule (403 for others); another organization's session or
module is 404. Times are entered in the viewer's zone and shown with ``|local_time``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cadenza.accounts.models import User
from cadenza.live.models import LiveSession
from cadenza.live.schedule.actions.scheduling import (
    cancel_session,
    edit_live_session,
    move_occurrence,
    schedule_live_session,
)
from cadenza.live.schedule.forms import EditSessionForm, ScheduleForm, SessionTimeForm
from cadenza.live.schedule.selectors import (
    access_module_for_scheduling,
    access_session_for_scheduling,
    default_provider,
    hosts_of,
    unit_schedule,
)
from cadenza.live.sessions.access import is_moderator
from cadenza.live.sessions.prepared_polls import session_polls
from cadenza.orgs.selectors import OrgContext, access_org


def org_context(request: HttpRequest, org_slug: str) -> OrgContext:
    """The organization of the URL as the signed-in person sees it (404 for non-members)."""
    assert isinstance(request.user, User)
    return access_org(user=request.user, slug=org_slug)


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _to_sessions(session: LiveSession) -> HttpResponse:
    return redirect(
        "live_unit_sessions",
        org_slug=session.org.slug,
        course_slug=session.course.slug,
        unit_id=session.unit_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule_new(
    request: HttpRequest, org_slug: str, course_slug: str, module_id: int
) -> HttpResponse:
    ctx = org_context(request, org_slug)
    module = access_module_for_scheduling(ctx, course_slug=course_slug, module_id=module_id)
    data = request.POST if request.method == "POST" else None
    form = ScheduleForm(
        data,
        module=module,
        org=ctx.org,
        by=ctx.user,
        time_zone=ctx.user.time_zone,
        initial={"hosts": [ctx.user.pk], "provider": default_provider(ctx.org)},
    )
    if data is not None and form.is_valid():
        try:
            scheduled = schedule_live_session(
                module=module,
                hosts=form.ordered_hosts(),
                weekly_occurrences=form.cleaned_data["weekly_occurrences"],
                created_by=ctx.user,
                publish=form.publishing_session(),
                publish_course_and_module=form.publishing_course(),
                **form.options(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            count = len(scheduled.sessions)
            messages.success(
                request,
                f"“{scheduled.unit.title}” was scheduled"
                + (f" ({count} weekly sessions)." if count > 1 else "."),
            )
            return _to_sessions(scheduled.sessions[0])
    return render(
        request,
        "live/schedule_form.html",
        {"ctx": ctx, "form": form, "module": module, "course": module.course, "session": None},
        status=400 if data is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, org_slug: str, session_id: int) -> HttpResponse:
    ctx = org_context(request, org_slug)
    session = access_session_for_scheduling(ctx, session_id=session_id)
    data = request.POST if request.method == "POST" else None
    form = EditSessionForm(
        data, org=ctx.org, by=ctx.user, time_zone=ctx.user.time_zone, session=session
    )
    if data is not None and form.is_valid():
        try:
            edit_live_session(
                session=session,
                by=ctx.user,
                hosts=form.ordered_hosts(hosts_of(session)),
                whole_series=bool(form.cleaned_data.get("whole_series")),
                publish_course_and_module=form.publishing_course(),
                **form.options(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            saved = "The session was saved."
            if form.publishing_course():
                verb = "are" if " and " in form.drafts else "is"
                saved = f"The session was saved; {form.drafts} {verb} now published."
            messages.success(request, saved)
            return _to_sessions(session)
    return render(
        request,
        "live/schedule_form.html",
        {
            "ctx": ctx,
            "form": form,
            "module": session.unit.module,
            "course": session.course,
            "session": session,
            "can_prepare_polls": is_moderator(ctx, session),
            "polls": session_polls(session),
        },
        status=400 if data is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_move(request: HttpRequest, org_slug: str, session_id: int) -> HttpResponse:
    ctx = org_context(request, org_slug)
    session = access_session_for_scheduling(ctx, session_id=session_id)
    data = request.POST if request.method == "POST" else None
    form = SessionTimeForm(data, time_zone=ctx.user.time_zone)
    if data is None:
        form.initial_from(session)
    elif form.is_valid():
        try:
            move_occurrence(
                session=session,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                by=ctx.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "The session was moved.")
            return _to_sessions(session)
    return render(
        request,
        "live/schedule_move.html",
        {"ctx": ctx, "form": form, "session": session},
        status=400 if data is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, org_slug: str, session_id: int) -> HttpResponse:
    ctx = org_context(request, org_slug)
    session = access_session_for_scheduling(ctx, session_id=session_id)
    if request.method == "POST":
        cancel_session(session=session, by=ctx.user)
        messages.success(request, f"“{session.title}” was cancelled; participants were told.")
        return _to_sessions(session)
    return render(request, "live/schedule_cancel.html", {"ctx": ctx, "session": session})


@login_required
@require_GET
def unit_sessions(
    request: HttpRequest, org_slug: str, course_slug: str, unit_id: int
) -> HttpResponse:
    ctx = org_context(request, org_slug)
    schedule = unit_schedule(ctx, course_slug=course_slug, unit_id=unit_id)
    return render(
        request,
        "live/schedule_sessions.html",
        {"ctx": ctx, "schedule": schedule},
    )
