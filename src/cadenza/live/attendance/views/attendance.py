"""The hosts' attendance page: the table (live numbers during the session), corrections, a
recount, and the CSV export. Hosts of the session and the organization's admins only: a
learner gets 403, another organization's session 404."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cadenza.accounts.models import User
from cadenza.lib.csv_safe import csv_text
from cadenza.lib.errors import DomainError
from cadenza.live.attendance.actions.attendance import compute_attendance, correct_attendance
from cadenza.live.attendance.forms import CorrectionForm
from cadenza.live.attendance.selectors.attendance import (
    AttendanceRow,
    access_session_attendance,
    attendance_report,
    attendance_window,
    session_length_seconds,
)
from cadenza.live.models import LiveSession
from cadenza.orgs.selectors import OrgContext, access_org


def _ctx(request: HttpRequest, org_slug: str) -> OrgContext:
    assert isinstance(request.user, User)
    return access_org(user=request.user, slug=org_slug)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attendance(request: HttpRequest, org_slug: str, session_id: int) -> HttpResponse:
    """GET: the table (``?format=csv`` for the file); POST: a correction (400 with the form's
    errors and nothing written when the input is wrong)."""
    ctx = _ctx(request, org_slug)
    session = access_session_attendance(ctx, session_id=session_id)
    rows = attendance_report(session)
    length = session_length_seconds(session)
    if request.method == "POST":
        form = CorrectionForm(request.POST, rows=rows, length=length)
        if form.is_valid():
            person = next(row.user for row in rows if row.user.pk == form.cleaned_data["person"])
            minutes = form.cleaned_data["minutes_present"]
            try:
                correct_attendance(
                    session=session,
                    user=person,
                    attended=form.cleaned_data["attended"],
                    seconds_present=None if minutes is None else min(minutes * 60, length),
                    note=form.cleaned_data["note"],
                    by=ctx.user,
                )
            except (DomainError, PermissionDenied) as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, f"Attendance of {person.name} is corrected.")
                return redirect("live_attendance", org_slug=ctx.org.slug, session_id=session.pk)
        return _page(request, ctx, session, rows, form, status=400)
    if request.GET.get("format") == "csv":
        response = HttpResponse(csv_text(csv_rows(rows)), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="live-session-{session.pk}-attendance.csv"'
        )
        return response
    return _page(request, ctx, session, rows, CorrectionForm(rows=rows, length=length))


def _page(
    request: HttpRequest,
    ctx: OrgContext,
    session: LiveSession,
    rows: list[AttendanceRow],
    form: CorrectionForm,
    status: int = 200,
) -> HttpResponse:
    learners = [row for row in rows if row.is_learner]
    length = session_length_seconds(session)
    return render(
        request,
        "live/attendance.html",
        {
            "ctx": ctx,
            "session": session,
            "rows": rows,
            "learners": learners,
            "staff": [row for row in rows if not row.is_learner],
            "form": form,
            "attended_count": sum(1 for row in learners if row.attended),
            "counted_minutes": length // 60,
            "ended_early": attendance_window(session)[1] < session.ends_at,
            "threshold_minutes": length * session.attendance_threshold_percent // 6000,
        },
        status=status,
    )


@login_required
@require_POST
def recount(request: HttpRequest, org_slug: str, session_id: int) -> HttpResponse:
    """Count and store everyone's attendance now (corrections kept)."""
    ctx = _ctx(request, org_slug)
    session = access_session_attendance(ctx, session_id=session_id)
    compute_attendance(session=session)
    messages.success(request, "Attendance is counted and saved.")
    return redirect("live_attendance", org_slug=ctx.org.slug, session_id=session.pk)


def _utc(moment: datetime | None) -> str:
    return moment.astimezone(UTC).isoformat() if moment else ""


def csv_rows(rows: list[AttendanceRow]) -> Iterator[list[object]]:
    """Header and one line per person, learners first, then hosts and staff (``Role``);
    times in UTC (ISO 8601), minutes as whole numbers."""
    yield [
        "Role",
        "Name",
        "E-mail",
        "Time zone",
        "Joined first (UTC)",
        "Left last (UTC)",
        "Minutes present",
        "Attended",
        "Source",
        "Corrected by",
    ]
    for row in sorted(rows, key=lambda row: not row.is_learner):
        yield [
            row.role_label,
            row.user.name,
            row.user.email,
            row.user.time_zone,
            _utc(row.first_joined),
            _utc(row.last_left),
            row.minutes_present,
            "yes" if row.attended else "no",
            row.source_label,
            row.corrected_by.email if row.corrected_by else "",
        ]
