"""Live sessions: a course's sessions, my upcoming ones, one session, and scheduling (one
session or a weekly series), editing, moving one occurrence and cancelling.

The writes go through the scheduling pages' own forms (``live.schedule.forms``) and actions,
so a value the page refuses is refused here with the same message (422, by field). The pages
take a date and a time in the person's zone; the API takes ``starts_at`` with its offset and
hands the form that moment in UTC. A weekly series keeps the local hour of its first host's
zone, as on the page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, P, QueryEx, Router, Schema, Status
from pydantic import AwareDatetime

from cadenza.api.bodies import Body, CleanText, Name, PatchBody, unset
from cadenza.api.common import ERRORS, PersonOut, cleaned, html, member_context, person_out
from cadenza.api.live_access import SESSION_ERRORS, explains_closed_session
from cadenza.courses.selectors import access_course
from cadenza.lib.errors import DomainError
from cadenza.live.attendance.selectors.api_views import course_sessions, load_hosts
from cadenza.live.models import (
    LiveSession,
    PrivateChat,
    SessionFormat,
    SessionStatus,
    VideoProvider,
)
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
    upcoming_sessions,
)
from cadenza.live.sessions.access import access_session

router = Router(tags=["live sessions"])

SESSION = "/orgs/{org}/live-sessions/{session}"
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2999, 12, 31, tzinfo=UTC)


class LiveSessionOut(Schema):
    """One session (one occurrence of a weekly series has its ``series_id`` and number).
    Times are UTC; ``time_zone`` is the zone the session is defined in (its series' zone,
    else its first host's). ``hosts`` in the order named: the first is the organizer."""

    id: int
    course: str = Field(description="The course's slug.")
    unit_id: int
    title: str
    agenda: str = Field(description="Markdown.")
    agenda_html: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    format: SessionFormat
    provider: VideoProvider
    capacity: int | None
    lobby_minutes: int
    private_chat: PrivateChat
    learners_may_share_screen: bool = Field(
        description="Learners may share their screen in the built-in video (hosts always may)."
    )
    status: SessionStatus
    moved: bool = Field(description="This occurrence left its series' time.")
    series_id: int | None
    occurrence: int | None
    hosts: list[PersonOut]
    is_host: bool = Field(description="I host this session.")


class ScheduledOut(Schema):
    """What was scheduled: the new (draft) live-session unit and its sessions in order."""

    unit_id: int
    series_id: int | None
    sessions: list[LiveSessionOut]


Duration = Annotated[int, Field(ge=5, le=720, description="Minutes, 5 to 720.")]
Capacity = Annotated[int, Field(ge=1, le=100_000)]
Lobby = Annotated[int, Field(ge=0, le=120, description="Minutes before the start, 0 to 120.")]
Hosts = Annotated[
    list[int],
    Field(
        min_length=1,
        max_length=50,
        description="User ids of instructors, TAs or admins; the first is the organizer.",
    ),
]


class SessionTimeIn(Body):
    starts_at: AwareDatetime = Field(description="ISO 8601 with its offset, e.g. ...Z.")
    duration_minutes: Duration = 60


class SessionIn(SessionTimeIn):
    title: Name = Field(max_length=200)
    agenda: CleanText = Field("", description="Markdown.")
    hosts: Hosts = unset(description="Not given: me.")
    format: SessionFormat = SessionFormat.CLASS
    provider: VideoProvider = unset(description="Not given: the org's default.")
    capacity: Capacity | None = unset(description="Empty: no limit.")
    lobby_minutes: Lobby = 10
    private_chat: PrivateChat = PrivateChat.HOSTS
    learners_may_share_screen: bool = False
    weekly_occurrences: int = Field(
        1, ge=1, le=52, description="1: one session; 2 to 52: a weekly series."
    )
    publish: bool = Field(
        False,
        description="Publish the session's unit: learners of a published course and module "
        "see it at once. False: a draft unit, published later as any unit.",
    )
    publish_course_and_module: bool = Field(
        False, description="Also publish the course and the module if either is a draft."
    )


class SessionPatch(PatchBody):
    """Only the fields sent change (``capacity: null`` removes the limit). With
    ``whole_series`` the title, agenda, hosts and settings go to every scheduled occurrence;
    a new time is this occurrence's only. ``publish_course_and_module`` publishes the
    session's draft course, module and unit with it, as the edit page's offer does."""

    title: Name = unset(max_length=200)
    agenda: CleanText = unset()
    starts_at: AwareDatetime = unset()
    duration_minutes: Duration = unset()
    hosts: Hosts = unset()
    format: SessionFormat = unset()
    provider: VideoProvider = unset()
    capacity: Capacity | None = None
    lobby_minutes: Lobby = unset()
    private_chat: PrivateChat = unset()
    learners_may_share_screen: bool = unset()
    whole_series: bool = False
    publish_course_and_module: bool = False


def session_out(session: LiveSession, *, viewer_id: int) -> LiveSessionOut:
    """``session`` with its hosts loaded (``load_hosts``)."""
    hosts = [row.user for row in session.hosts.all()]
    zone = session.series.time_zone if session.series is not None else ""
    return LiveSessionOut(
        id=session.pk,
        course=session.course.slug,
        unit_id=session.unit_id,
        title=session.title,
        agenda=session.agenda,
        agenda_html=html(session.agenda),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        time_zone=zone or (hosts[0].time_zone if hosts else "UTC"),
        format=SessionFormat(session.format),
        provider=VideoProvider(session.provider),
        capacity=session.capacity,
        lobby_minutes=session.lobby_minutes,
        private_chat=PrivateChat(session.private_chat),
        learners_may_share_screen=session.learners_may_share_screen,
        status=SessionStatus(session.status),
        moved=session.moved,
        series_id=session.series_id,
        occurrence=session.occurrence,
        hosts=[person_out(user) for user in hosts],
        is_host=any(user.pk == viewer_id for user in hosts),
    )


def _one(session: LiveSession, viewer_id: int) -> LiveSessionOut:
    fresh = LiveSession.objects.select_related("course").get(pk=session.pk)
    load_hosts([fresh])
    return session_out(fresh, viewer_id=viewer_id)


def _time_fields(starts_at: datetime, duration_minutes: int) -> dict[str, Any]:
    """The page form's date, start time and duration for a moment, in UTC."""
    if not EARLIEST <= starts_at <= LATEST:
        raise DomainError("Schedule a session between the years 2000 and 2999.")
    start = starts_at.astimezone(UTC)
    return {
        "date": start.date().isoformat(),
        "start_time": start.time().isoformat(),
        "duration_minutes": duration_minutes,
    }


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    """The page form's fields for the API's values (``starts_at`` and ``duration_minutes``
    become date and start time in UTC; no capacity is the form's empty field)."""
    data = {key: value for key, value in values.items() if key != "starts_at"}
    data |= _time_fields(values["starts_at"], values["duration_minutes"])
    data["capacity"] = "" if values.get("capacity") is None else values["capacity"]
    return data


@router.get("/orgs/{org}/live-sessions", response={200: list[LiveSessionOut], **ERRORS})
def my_upcoming(
    request: HttpRequest,
    org: str,
    limit: QueryEx[int, P(ge=1, le=100, description="At most this many.")] = 10,
) -> list[LiveSessionOut]:
    """My next scheduled sessions in the organization (those I host, and those of published
    units in courses I am enrolled in), soonest first, one under way included."""
    ctx = member_context(request, org)
    sessions = upcoming_sessions(ctx, now=timezone.now(), limit=limit)
    load_hosts(sessions)
    return [session_out(s, viewer_id=ctx.user.pk) for s in sessions]


@router.get(
    "/orgs/{org}/courses/{course}/live-sessions", response={200: list[LiveSessionOut], **ERRORS}
)
def list_course_sessions(request: HttpRequest, org: str, course: str) -> list[LiveSessionOut]:
    """The course's live sessions as its outline lists them (staff: all, drafts too;
    learners: those of published units), cancelled ones included, soonest first."""
    ctx = member_context(request, org)
    sessions = course_sessions(ctx, access_course(ctx, slug=course))
    return [session_out(s, viewer_id=ctx.user.pk) for s in sessions]


@router.get(SESSION, response={200: LiveSessionOut, **SESSION_ERRORS})
@explains_closed_session
def get_session(request: HttpRequest, org: str, session: int) -> LiveSessionOut:
    """One session: staff any; a learner one of a published unit of a course they are
    enrolled in (404 otherwise)."""
    ctx = member_context(request, org)
    return _one(access_session(ctx, session_id=session), ctx.user.pk)


@router.post(
    "/orgs/{org}/courses/{course}/modules/{module}/live-sessions",
    response={201: ScheduledOut, **ERRORS},
)
def schedule(
    request: HttpRequest, org: str, course: str, module: int, payload: SessionIn
) -> Status[ScheduledOut]:
    """Schedule a live session, or a weekly series, as a new live-session unit at the end of
    the module (instructors, admins): a draft unless ``publish`` (then learners of a
    published course see it at once; ``publish_course_and_module`` publishes those too)."""
    ctx = member_context(request, org)
    found = access_module_for_scheduling(ctx, course_slug=course, module_id=module)
    values = payload.model_dump(exclude={"publish", "publish_course_and_module"})
    values["hosts"] = values["hosts"] if values["hosts"] is not None else [ctx.user.pk]
    values["provider"] = values["provider"] or default_provider(ctx.org)
    form = ScheduleForm(_form_data(values), module=found, org=ctx.org, by=ctx.user, time_zone="UTC")
    cleaned(form)
    scheduled = schedule_live_session(
        module=found,
        hosts=form.ordered_hosts(),
        weekly_occurrences=form.cleaned_data["weekly_occurrences"],
        created_by=ctx.user,
        publish=payload.publish,
        publish_course_and_module=payload.publish_course_and_module,
        **form.options(),
    )
    sessions = [_one(s, ctx.user.pk) for s in scheduled.sessions]
    series_id = scheduled.series.pk if scheduled.series is not None else None
    return Status(
        201, ScheduledOut(unit_id=scheduled.unit.pk, series_id=series_id, sessions=sessions)
    )


@router.patch(SESSION, response={200: LiveSessionOut, **SESSION_ERRORS})
@explains_closed_session
def edit(request: HttpRequest, org: str, session: int, payload: SessionPatch) -> LiveSessionOut:
    """Change a session (instructors, admins); a new time marks an occurrence moved. A
    cancelled session cannot be changed (422)."""
    ctx = member_context(request, org)
    found = access_session_for_scheduling(ctx, session_id=session)
    hosts = hosts_of(found)
    current: dict[str, Any] = {
        "title": found.title,
        "agenda": found.agenda,
        "starts_at": found.starts_at,
        "duration_minutes": int((found.ends_at - found.starts_at).total_seconds() // 60),
        "hosts": [user.pk for user in hosts],
        "format": found.format,
        "provider": found.provider,
        "capacity": found.capacity,
        "lobby_minutes": found.lobby_minutes,
        "private_chat": found.private_chat,
        "learners_may_share_screen": found.learners_may_share_screen,
    }
    values = current | payload.changes()
    form = EditSessionForm(
        _form_data(values), org=ctx.org, by=ctx.user, time_zone="UTC", session=found
    )
    cleaned(form)
    edit_live_session(
        session=found,
        by=ctx.user,
        hosts=form.ordered_hosts(hosts),
        whole_series=bool(form.cleaned_data.get("whole_series")),
        publish_course_and_module=payload.publish_course_and_module,
        **form.options(),
    )
    return _one(found, ctx.user.pk)


@router.post(SESSION + "/move", response={200: LiveSessionOut, **SESSION_ERRORS})
@explains_closed_session
def move(request: HttpRequest, org: str, session: int, payload: SessionTimeIn) -> LiveSessionOut:
    """Give one session (often one occurrence of a series) another time (instructors,
    admins); it is marked moved and participants' calendars follow."""
    ctx = member_context(request, org)
    found = access_session_for_scheduling(ctx, session_id=session)
    form = SessionTimeForm(
        _time_fields(payload.starts_at, payload.duration_minutes), time_zone="UTC"
    )
    data = cleaned(form)
    move_occurrence(
        session=found, starts_at=data["starts_at"], ends_at=data["ends_at"], by=ctx.user
    )
    return _one(found, ctx.user.pk)


@router.post(SESSION + "/cancel", response={200: LiveSessionOut, **SESSION_ERRORS})
@explains_closed_session
def cancel(request: HttpRequest, org: str, session: int) -> LiveSessionOut:
    """Cancel one session (instructors, admins): everyone taking part is told once;
    cancelling again changes nothing."""
    ctx = member_context(request, org)
    found = access_session_for_scheduling(ctx, session_id=session)
    cancel_session(session=found, by=ctx.user)
    return _one(found, ctx.user.pk)
