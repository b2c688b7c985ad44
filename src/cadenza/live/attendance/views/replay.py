"""The replay: a session's page after the call (recording, chat, Q&A, polls, attendance for
hosts), the replay player's progress reports, the recording file, hosts attaching or removing
the recording, and answering later.

Anyone who may see the session (``access_session``) opens the replay; what it shows depends
on the viewer (``selectors.replay``). Progress is recorded only for learners enrolled in the
course; the player is learning's ``unit_progress.js``, so the report has the same fields.
"""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST, require_safe

from cadenza.accounts.models import User
from cadenza.courses.forms import CaptionTrackForm
from cadenza.lib.errors import DomainError
from cadenza.lib.ranged_file import ranged_file_response
from cadenza.lib.report_numbers import report_numbers
from cadenza.live.attendance.actions.replay import (
    answer_question_later,
    attach_recording,
    record_replay_watching,
    remove_recording,
)
from cadenza.live.attendance.recording_forms import RecordingForm
from cadenza.live.attendance.selectors.attendance import is_enrolled_learner, may_manage_attendance
from cadenza.live.attendance.selectors.replay import (
    ReplayPage,
    access_session_question,
    replay_duration,
    replay_page,
)
from cadenza.live.models import Attendance
from cadenza.live.sessions.access import access_session
from cadenza.orgs.selectors import OrgContext, access_org, scoped

_REPORT_FIELDS = ("played_seconds", "position_seconds", "duration_seconds", "active_seconds")


def _ctx(request: HttpRequest, org_slug: str) -> OrgContext:
    assert isinstance(request.user, User)
    return access_org(user=request.user, slug=org_slug)


def _recording_type(name: str | None) -> str:
    guessed, _encoding = mimetypes.guess_type(name or "")
    if guessed and (guessed.startswith("video/") or guessed.startswith("audio/")):
        return guessed
    return "application/octet-stream"


@login_required
@require_GET
def replay(request: HttpRequest, org_slug: str, session_id: int) -> HttpResponse:
    """The session's replay, as the viewer may see it."""
    ctx = _ctx(request, org_slug)
    session = access_session(ctx, session_id=session_id)
    return render_replay(request, ctx, replay_page(ctx, session))


def render_replay(
    request: HttpRequest,
    ctx: OrgContext,
    page: ReplayPage,
    *,
    status: int = 200,
    answer_errors: dict[int, str] | None = None,
    recording_form: RecordingForm | None = None,
    caption_form: CaptionTrackForm | None = None,
) -> HttpResponse:
    """The replay page, with a refused form's errors (answer, recording or captions)."""
    return render(
        request,
        "live/replay.html",
        {
            "ctx": ctx,
            "session": page.session,
            "replay": page,
            "recording_type": _recording_type(page.session.recording_file.name)
            if page.has_file
            else "",
            "answer_errors": answer_errors or {},
            "recording_form": recording_form,
            "caption_form": caption_form,
        },
        status=status,
    )


@login_required
@require_POST
def replay_progress(request: HttpRequest, org_slug: str, session_id: int) -> JsonResponse:
    """The replay player's periodic report: ``{watched_percent, position_seconds, completed,
    attended}``; 400 ``{"detail"}`` for bad numbers or before the session ends, 403 for
    someone whose progress is not recorded (hosts, staff, people not enrolled)."""
    ctx = _ctx(request, org_slug)
    session = access_session(ctx, session_id=session_id)
    numbers = report_numbers(request, _REPORT_FIELDS)
    if isinstance(numbers, str):
        return JsonResponse({"detail": numbers}, status=400)
    if not is_enrolled_learner(session, ctx.user):
        return JsonResponse(
            {"detail": "Replay progress is recorded only for learners enrolled in the course."},
            status=403,
        )
    try:
        viewing = record_replay_watching(
            session=session,
            user=ctx.user,
            played_seconds=numbers["played_seconds"],
            position_seconds=numbers["position_seconds"],
            duration_seconds=numbers["duration_seconds"],
        )
    except DomainError as refused:
        return JsonResponse({"detail": str(refused)}, status=400)
    duration = replay_duration(session, numbers["duration_seconds"])
    attended = (
        scoped(Attendance.objects.filter(session=session, user=ctx.user), ctx.org)
        .filter(attended=True)
        .exists()
    )
    percent = round(min(100.0, 100 * viewing.watched_seconds / duration), 1) if duration else 0.0
    return JsonResponse(
        {
            "watched_percent": percent,
            "position_seconds": viewing.position_seconds,
            "completed": attended,
            "attended": attended,
        }
    )


@login_required
@require_safe
def recording(request: HttpRequest, org_slug: str, session_id: int) -> HttpResponseBase:
    """The session's uploaded recording, with Range support so the player can seek; never
    served as a page (only audio/video types, else an attachment)."""
    ctx = _ctx(request, org_slug)
    session = access_session(ctx, session_id=session_id)
    if not session.recording_file:
        raise Http404("This session has no recording file.")
    try:
        size = session.recording_file.size
        handle = session.recording_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The recording file is missing.") from missing
    content_type = _recording_type(session.recording_file.name)
    response = ranged_file_response(
        file=handle,
        size=size,
        content_type=content_type,
        range_header=request.headers.get("Range"),
        filename=f"live-session-{session.pk}-recording",
        as_attachment=content_type == "application/octet-stream",
    )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def answer_later(
    request: HttpRequest, org_slug: str, session_id: int, question_id: int
) -> HttpResponse:
    """A host answers an open question after the session; 400 with the replay page and the
    message when refused (nothing written), 403 for anyone but hosts and admins."""
    ctx = _ctx(request, org_slug)
    session = access_session(ctx, session_id=session_id)
    question = access_session_question(ctx, session=session, question_id=question_id)
    try:
        answer_question_later(question=question, answer=request.POST.get("answer", ""), by=ctx.user)
    except DomainError as refused:
        page = replay_page(ctx, session)
        return render_replay(
            request, ctx, page, status=400, answer_errors={question.pk: str(refused)}
        )
    messages.success(request, "The answer is saved on the replay.")
    return redirect("live_replay", org_slug=ctx.org.slug, session_id=session.pk)


@login_required
@require_POST
def recording_edit(request: HttpRequest, org_slug: str, session_id: int) -> HttpResponse:
    """A host attaches (or replaces) the session's recording, a file or an address, or with
    ``remove`` removes it: back to the replay with a message; 400 with the replay page and
    the form's errors when refused (nothing written); 403 for anyone but the session's hosts
    and the organization's admins."""
    ctx = _ctx(request, org_slug)
    session = access_session(ctx, session_id=session_id)
    if not may_manage_attendance(session=session, user=ctx.user):
        raise PermissionDenied(
            "Only the session's hosts and the organization's admins manage its recording."
        )
    if request.POST.get("remove"):
        form = RecordingForm(data={})
        form.full_clean()  # an empty form, bound so that the refusal can be added to it
        try:
            remove_recording(session=session, by=ctx.user)
        except DomainError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, "The recording is removed from the replay.")
            return redirect("live_replay", org_slug=ctx.org.slug, session_id=session.pk)
    else:
        form = RecordingForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attach_recording(
                    session=session,
                    by=ctx.user,
                    file=form.cleaned_data["file"],
                    url=form.cleaned_data["url"],
                    duration_seconds=form.cleaned_data["duration_seconds"],
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            except DomainError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, "The recording is attached to the replay.")
                return redirect("live_replay", org_slug=ctx.org.slug, session_id=session.pk)
    page = replay_page(ctx, session)
    return render_replay(request, ctx, page, status=400, recording_form=form)
