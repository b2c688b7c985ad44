"""Scheduling live sessions: making the unit and its sessions, editing, moving and cancelling.

Times are aware datetimes, stored in UTC. A weekly series is defined in its host's zone: each
occurrence is the first one's local date plus N weeks at the same local hour, turned into UTC
with ``fold=0``. So the local hour survives a daylight-saving change; a local time that does not
exist that day (inside a spring-forward gap) is read with the offset before the change, which
puts it one hour later on the wall clock, and an ambiguous one (autumn) is its first instance.

Every change a calendar shows (title, agenda, times, hosts, status) adds one to the session's
``ical_sequence``, so subscribed calendars replace their copy. Saves name their fields: the
room's actions update ``last_seq`` on the same row, and a stale whole-row save would undo them.
"""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cadenza.accounts.models import User
from cadenza.courses.actions import add_unit, edit_unit, set_course_published
from cadenza.courses.models import Module, Unit, UnitKind
from cadenza.courses.outline_actions import set_module_published, set_unit_published
from cadenza.live.models import (
    LiveSeries,
    LiveSession,
    LiveSessionHost,
    PrivateChat,
    SessionFormat,
    SessionStatus,
    VideoProvider,
)
from cadenza.live.schedule.actions.reminders import notify_session_cancelled
from cadenza.live.schedule.selectors import default_provider, hosts_of
from cadenza.orgs.models import Membership, Organization
from cadenza.orgs.policy import Permission, may, roles_with

MAX_OCCURRENCES = 52
MAX_DURATION = timedelta(hours=12)
MAX_LOBBY_MINUTES = 120
MAX_CAPACITY = 100_000


@dataclass(frozen=True, slots=True)
class ScheduledSessions:
    """What ``schedule_live_session`` made: the unit, the series (if weekly) and its sessions
    in order."""

    unit: Unit
    series: LiveSeries | None
    sessions: list[LiveSession]


def provider_room_name(org: Organization) -> str:
    """A room name made by the server (never taken from input), unguessable and unique."""
    return f"cadenza-{org.slug}-{uuid.uuid4().hex}"


def weekly_starts(*, first: datetime, time_zone: str, occurrences: int) -> list[datetime]:
    """The UTC starts of a weekly series whose first occurrence is ``first``: every later one
    on the same weekday at the same local hour in ``time_zone`` (``fold=0``)."""
    zone = zoneinfo.ZoneInfo(time_zone)
    local = first.astimezone(zone).replace(tzinfo=None)
    starts = [first.astimezone(UTC)]
    for week in range(1, occurrences):
        wall = (local + timedelta(weeks=week)).replace(tzinfo=zone, fold=0)
        starts.append(wall.astimezone(UTC))
    return starts


@transaction.atomic
def schedule_live_session(
    *,
    module: Module,
    title: str,
    agenda: str,
    starts_at: datetime,
    ends_at: datetime,
    hosts: Sequence[User],
    format: SessionFormat,
    created_by: User,
    provider: VideoProvider | None = None,
    capacity: int | None = None,
    lobby_minutes: int = 10,
    private_chat: PrivateChat = PrivateChat.HOSTS,
    learners_may_share_screen: bool = False,
    weekly_occurrences: int | None = None,
    series_time_zone: str | None = None,
    publish: bool = False,
    publish_course_and_module: bool = False,
) -> ScheduledSessions:
    """Add a live-session unit at the end of ``module`` with its session, or with
    ``weekly_occurrences`` = N (2 or more) a weekly series of N sessions defined in
    ``series_time_zone`` (default: the first host's zone).

    The unit is a draft unless ``publish``: then learners of a published course and module
    see the session at once. ``publish_course_and_module`` also publishes a draft course and
    module (their other contents keep their own states), through the courses' actions.

    Hosts must be admins, instructors or TAs of the organization; ``created_by`` must author
    courses there (``PermissionDenied`` otherwise). Invalid values raise ``ValidationError``
    naming the field, and nothing is written."""
    org = module.org
    _require_author(org, created_by)
    errors = _check_fields(
        org=org,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        hosts=hosts,
        capacity=capacity,
        lobby_minutes=lobby_minutes,
    )
    if weekly_occurrences is not None and not 1 <= weekly_occurrences <= MAX_OCCURRENCES:
        errors["weekly_occurrences"] = f"Repeat between 1 and {MAX_OCCURRENCES} times."
    zone_name = series_time_zone or (hosts[0].time_zone if hosts else "UTC")
    if zone_name not in zoneinfo.available_timezones():
        errors["series_time_zone"] = f"{zone_name!r} is not a known time zone."
    if errors:
        raise ValidationError(errors)

    duration = ends_at - starts_at
    unit = add_unit(
        module=module,
        kind=UnitKind.LIVE_SESSION,
        title=title,
        estimated_minutes=max(1, int(duration.total_seconds() // 60)),
    )
    series: LiveSeries | None = None
    starts = [starts_at]
    if weekly_occurrences is not None and weekly_occurrences > 1:
        starts = weekly_starts(first=starts_at, time_zone=zone_name, occurrences=weekly_occurrences)
        local_first = starts_at.astimezone(zoneinfo.ZoneInfo(zone_name))
        series = LiveSeries(
            org=org,
            unit=unit,
            time_zone=zone_name,
            first_date=local_first.date(),
            local_start=local_first.time().replace(tzinfo=None),
            duration_minutes=int(duration.total_seconds() // 60),
            occurrences=weekly_occurrences,
        )
        series.full_clean()
        series.save()
    chosen_provider = provider or default_provider(org)
    sessions = []
    for number, start in enumerate(starts, start=1):
        session = LiveSession(
            org=org,
            course=module.course,
            unit=unit,
            series=series,
            occurrence=number if series is not None else None,
            title=title.strip(),
            agenda=agenda,
            starts_at=start,
            ends_at=start + duration,
            format=format,
            provider=chosen_provider,
            provider_room=provider_room_name(org),
            capacity=capacity,
            lobby_minutes=lobby_minutes,
            private_chat=private_chat,
            learners_may_share_screen=learners_may_share_screen,
        )
        session.full_clean()
        session.save()
        _set_hosts(session, hosts)
        sessions.append(session)
    if publish_course_and_module:
        set_course_published(course=module.course, published=True)
        set_module_published(module=module, published=True)
    if publish or publish_course_and_module:
        set_unit_published(unit=unit, published=True)
    return ScheduledSessions(unit=unit, series=series, sessions=sessions)


@transaction.atomic
def edit_live_session(
    *,
    session: LiveSession,
    by: User,
    title: str,
    agenda: str,
    starts_at: datetime,
    ends_at: datetime,
    hosts: Sequence[User],
    format: SessionFormat,
    provider: VideoProvider,
    capacity: int | None,
    lobby_minutes: int,
    private_chat: PrivateChat,
    learners_may_share_screen: bool = False,
    whole_series: bool = False,
    publish_course_and_module: bool = False,
) -> LiveSession:
    """Change a session. With ``whole_series`` the title, agenda, hosts and room settings go
    to every scheduled occurrence of its series too (the times stay theirs). A new time for
    an occurrence of a series marks it moved. A cancelled session cannot be changed.
    ``publish_course_and_module`` publishes its draft course, module and unit, as scheduling
    does (their other contents keep their own states).

    Each session whose calendar entry changes gets ``ical_sequence`` + 1, exactly once."""
    _require_author(session.org, by)
    current = _locked(session)
    if current.status == SessionStatus.CANCELLED:
        raise ValidationError("A cancelled session cannot be changed.")
    errors = _check_fields(
        org=session.org,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        hosts=hosts,
        capacity=capacity,
        lobby_minutes=lobby_minutes,
    )
    if errors:
        raise ValidationError(errors)

    targets = [current]
    if whole_series and current.series_id is not None:
        others = LiveSession.objects.select_for_update().filter(
            series_id=current.series_id, status=SessionStatus.SCHEDULED
        )
        targets += list(others.exclude(pk=current.pk).order_by("starts_at", "id"))
    for target in targets:
        fields = ["format", "provider", "capacity", "lobby_minutes", "private_chat"]
        fields.append("learners_may_share_screen")
        target.learners_may_share_screen = learners_may_share_screen
        visible = target.title != title.strip() or target.agenda != agenda
        target.title, target.agenda = title.strip(), agenda
        target.format, target.provider, target.capacity = format, provider, capacity
        target.lobby_minutes, target.private_chat = lobby_minutes, private_chat
        fields += ["title", "agenda"]
        if target.pk == current.pk and (starts_at, ends_at) != (target.starts_at, target.ends_at):
            target.starts_at, target.ends_at = starts_at, ends_at
            target.moved = target.moved or target.series_id is not None
            fields += ["starts_at", "ends_at", "moved"]
            visible = True
        visible = _set_hosts(target, hosts) or visible
        if visible:
            target.ical_sequence += 1
            fields.append("ical_sequence")
        target.full_clean()
        target.save(update_fields=[*fields, "updated_at"])
    unit = current.unit
    if unit.title != title.strip() and (current.series_id is None or whole_series):
        edit_unit(unit=unit, title=title, body=unit.body, estimated_minutes=unit.estimated_minutes)
    if publish_course_and_module:
        set_course_published(course=unit.course, published=True)
        set_module_published(module=unit.module, published=True)
        set_unit_published(unit=unit, published=True)
    _copy(current, session)
    return session


@transaction.atomic
def move_occurrence(
    *, session: LiveSession, starts_at: datetime, ends_at: datetime, by: User
) -> LiveSession:
    """Give one session (often one occurrence of a series) another time; it is marked moved
    and its calendar entry replaced (``ical_sequence`` + 1). The same time again changes
    nothing. Reminders follow the new time."""
    _require_author(session.org, by)
    current = _locked(session)
    if current.status == SessionStatus.CANCELLED:
        raise ValidationError("A cancelled session cannot be moved.")
    errors = _check_times(starts_at, ends_at)
    if errors:
        raise ValidationError(errors)
    if (current.starts_at, current.ends_at) != (starts_at, ends_at):
        current.starts_at, current.ends_at = starts_at, ends_at
        current.moved = True
        current.ical_sequence += 1
        current.save(update_fields=["starts_at", "ends_at", "moved", "ical_sequence", "updated_at"])
    _copy(current, session)
    return session


@transaction.atomic
def cancel_session(*, session: LiveSession, by: User) -> LiveSession:
    """Cancel one session: calendars mark it cancelled (``ical_sequence`` + 1) and everyone
    taking part except ``by`` gets an in-app notice and an e-mail, once. Cancelling a
    cancelled session changes nothing."""
    _require_author(session.org, by)
    current = _locked(session)
    if current.status != SessionStatus.CANCELLED:
        current.status = SessionStatus.CANCELLED
        current.ical_sequence += 1
        current.save(update_fields=["status", "ical_sequence", "updated_at"])
        notify_session_cancelled(session=current, by=by)
    _copy(current, session)
    return session


def _require_author(org: Organization, user: User) -> None:
    role = Membership.objects.filter(org=org, user=user).values_list("role", flat=True).first()
    if not may(role, Permission.AUTHOR_COURSES):
        raise PermissionDenied("Only instructors and admins schedule live sessions.")


def _locked(session: LiveSession) -> LiveSession:
    return (
        LiveSession.objects.select_for_update(of=("self",))
        .select_related("org", "course", "unit")
        .get(pk=session.pk)
    )


def _copy(source: LiveSession, target: LiveSession) -> None:
    """Hand the saved state back to the caller's object."""
    if source is not target:
        target.refresh_from_db()


def _check_times(starts_at: datetime, ends_at: datetime) -> dict[str, str]:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        return {"starts_at": "Give the time with its time zone."}
    if ends_at <= starts_at:
        return {"ends_at": "The session must end after it starts."}
    if ends_at - starts_at > MAX_DURATION:
        return {"ends_at": "A session lasts at most 12 hours."}
    return {}


def _check_fields(
    *,
    org: Organization,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    hosts: Sequence[User],
    capacity: int | None,
    lobby_minutes: int,
) -> dict[str, str]:
    errors = _check_times(starts_at, ends_at)
    if not title.strip():
        errors["title"] = "Give the session a title."
    elif len(title.strip()) > 200:
        errors["title"] = "A title has at most 200 characters."
    if not hosts:
        errors["hosts"] = "Choose at least one host."
    else:
        allowed = set(
            Membership.objects.filter(
                org=org,
                user__in=list(hosts),
                role__in=roles_with(Permission.HOST_LIVE_SESSIONS),
            ).values_list("user_id", flat=True)
        )
        refused = [host.name for host in hosts if host.pk not in allowed]
        if refused:
            errors["hosts"] = (
                "Hosts must be instructors, TAs or admins of the organization: "
                + ", ".join(refused)
                + "."
            )
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = f"Capacity is between 1 and {MAX_CAPACITY} (or empty: no limit)."
    if not 0 <= lobby_minutes <= MAX_LOBBY_MINUTES:
        errors["lobby_minutes"] = f"The lobby opens 0 to {MAX_LOBBY_MINUTES} minutes before."
    return errors


def _set_hosts(session: LiveSession, hosts: Sequence[User]) -> bool:
    """Make ``hosts`` (in order, the first is the organizer) the session's hosts; whether that
    changed anything."""
    wanted = list(dict.fromkeys(host.pk for host in hosts))
    if [host.pk for host in hosts_of(session)] == wanted:
        return False
    LiveSessionHost.objects.filter(session=session).delete()
    LiveSessionHost.objects.bulk_create(
        [LiveSessionHost(org=session.org, session=session, user_id=pk) for pk in wanted]
    )
    return True
