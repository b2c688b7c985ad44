"""iCalendar (RFC 5545) for live sessions: a person's private feed and one session's ``.ics``.

Written by hand (no dependency) because the rules calendar clients are strict about are few and
testable: CRLF line endings, lines folded at 75 octets without splitting a UTF-8 character,
TEXT values escaped, a stable ``UID`` per session with a ``SEQUENCE`` that grows on every
change, ``STATUS:CANCELLED`` for a cancelled session, and a ``VTIMEZONE`` for every ``TZID``.

Occurrences of a weekly series are written in the series' zone (``DTSTART;TZID=...``) so a
client shows them at the local hour the series keeps across daylight-saving changes; single
sessions are written in UTC (``...Z``). The ``VTIMEZONE`` observances are computed from the
zone's own transitions (``zoneinfo``) over the years the events span.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings

from cadenza.accounts.models import User
from cadenza.live.models import LiveSession, SessionStatus
from cadenza.live.schedule.selectors import calendar_sessions, join_url, session_for_calendar

CRLF = "\r\n"
MAX_LINE_OCTETS = 75
PRODID = "-//Cadenza//Live sessions//EN"

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped;
    other control characters (not allowed in TEXT) dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\n", "\\n")
    return _CONTROL_CHARACTERS.sub("", value)


def fold(line: str) -> str:
    """One content line folded at 75 octets (RFC 5545 3.1): each continuation starts with a
    space, which counts, and a multi-byte UTF-8 character is never split."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for character in line:
        octets = len(character.encode("utf-8"))
        if size + octets > MAX_LINE_OCTETS:
            parts.append("".join(current))
            current, size = [" "], 1
        current.append(character)
        size += octets
    parts.append("".join(current))
    return CRLF.join(parts)


def person_feed(user: User, *, site_url: str | None = None) -> str:
    """Every live session the person is enrolled in or hosts, across organizations and courses;
    cancelled sessions stay in, with ``STATUS:CANCELLED``, so calendars drop them."""
    sessions = list(calendar_sessions(user))
    return _calendar(sessions, name=f"Live sessions of {user.name}", site_url=site_url)


def session_ics(session: LiveSession, *, site_url: str | None = None) -> str:
    """One session as a calendar file to download."""
    return _calendar(
        [session_for_calendar(session_id=session.pk)], name=session.title, site_url=site_url
    )


def _calendar(sessions: list[LiveSession], *, name: str, site_url: str | None) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for zone_name, (first_year, last_year) in sorted(_zone_years(sessions).items()):
        lines.extend(vtimezone(zone_name, first_year=first_year, last_year=last_year))
    for session in sessions:
        lines.extend(_vevent(session, site_url=site_url))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def _zone_of(session: LiveSession) -> ZoneInfo | None:
    """The zone an event is written in: its series' zone, None (UTC) for a single session."""
    if session.series is None:
        return None
    return ZoneInfo(session.series.time_zone)


def _zone_years(sessions: Iterable[LiveSession]) -> dict[str, tuple[int, int]]:
    years: dict[str, tuple[int, int]] = {}
    for session in sessions:
        zone = _zone_of(session)
        if zone is None:
            continue
        span = (session.starts_at.astimezone(zone).year, session.ends_at.astimezone(zone).year)
        known = years.get(zone.key)
        years[zone.key] = (
            span if known is None else (min(known[0], span[0]), max(known[1], span[1]))
        )
    return years


def _vevent(session: LiveSession, *, site_url: str | None) -> list[str]:
    url = join_url(session, site_url=site_url)
    description = session.agenda.strip()
    description = f"{description}\n\nJoin: {url}" if description else f"Join: {url}"
    status = "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED"
    zone = _zone_of(session)
    return [
        "BEGIN:VEVENT",
        f"UID:{session.ical_uid}@cadenza",
        f"DTSTAMP:{_utc(session.updated_at)}",
        _moment("DTSTART", session.starts_at, zone),
        _moment("DTEND", session.ends_at, zone),
        f"SEQUENCE:{session.ical_sequence}",
        f"STATUS:{status}",
        f"SUMMARY:{escape_text(session.title)}",
        _organizer(session),
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        f"LAST-MODIFIED:{_utc(session.updated_at)}",
        "END:VEVENT",
    ]


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%S}Z"


def _moment(name: str, moment: datetime, zone: ZoneInfo | None) -> str:
    """``DTSTART``/``DTEND`` in the series' zone; in UTC when there is no zone, or when the local
    time is the second of an ambiguous pair (a TZID time means the first one, RFC 5545 3.3.5)."""
    if zone is None:
        return f"{name}:{_utc(moment)}"
    local = moment.astimezone(zone)
    if local.replace(fold=0).utcoffset() != local.utcoffset():
        return f"{name}:{_utc(moment)}"
    return f"{name};TZID={zone.key}:{local:%Y%m%dT%H%M%S}"


def _organizer(session: LiveSession) -> str:
    hosts = list(session.hosts.all())
    if hosts:
        name, address = hosts[0].user.name, hosts[0].user.email
    else:
        name, address = session.org.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    common_name = _CONTROL_CHARACTERS.sub("", name.replace('"', "")).replace("\t", " ")
    return f'ORGANIZER;CN="{common_name}":mailto:{address}'


@dataclass(frozen=True, slots=True)
class Observance:
    """One STANDARD or DAYLIGHT component: from ``starts`` (local wall time before the change)
    the zone's offset is ``offset_to``."""

    kind: str
    starts: datetime
    offset_from: timedelta
    offset_to: timedelta
    name: str


def vtimezone(zone_name: str, *, first_year: int, last_year: int) -> list[str]:
    """The VTIMEZONE of a zone for events from ``first_year`` to ``last_year``: one observance
    per transition, starting with the year before so the first event is covered too."""
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone_name}"]
    for observance in observances(zone_name, first_year=first_year, last_year=last_year):
        lines += [
            f"BEGIN:{observance.kind}",
            f"DTSTART:{observance.starts:%Y%m%dT%H%M%S}",
            f"TZOFFSETFROM:{_offset(observance.offset_from)}",
            f"TZOFFSETTO:{_offset(observance.offset_to)}",
            f"TZNAME:{escape_text(observance.name)}",
            f"END:{observance.kind}",
        ]
    lines.append("END:VTIMEZONE")
    return lines


@lru_cache(maxsize=256)
def observances(zone_name: str, *, first_year: int, last_year: int) -> tuple[Observance, ...]:
    """The zone's transitions from 1 January of ``first_year - 1`` to the end of ``last_year``,
    found day by day and pinned to the second. When none falls before ``first_year`` (a zone
    without daylight saving), an observance at the start of the scan says which offset holds."""
    zone = ZoneInfo(zone_name)
    scan_start = datetime(first_year - 1, 1, 1, tzinfo=UTC)
    scan_end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    found: list[Observance] = []
    day = scan_start
    while day < scan_end:
        following = day + timedelta(days=1)
        if _state(zone, day) != _state(zone, following):
            found.append(_observance(zone, _first_second_of(zone, day, following)))
        day = following
    if not found or found[0].starts.year >= first_year:
        local = scan_start.astimezone(zone)
        offset = local.utcoffset() or timedelta(0)
        initial = Observance(
            kind="DAYLIGHT" if local.dst() else "STANDARD",
            starts=local.replace(tzinfo=None),
            offset_from=offset,
            offset_to=offset,
            name=local.tzname() or zone_name,
        )
        found.insert(0, initial)
    return tuple(found)


def _state(
    zone: ZoneInfo, moment: datetime
) -> tuple[timedelta | None, timedelta | None, str | None]:
    local = moment.astimezone(zone)
    return local.utcoffset(), local.dst(), local.tzname()


def _first_second_of(zone: ZoneInfo, before: datetime, after: datetime) -> datetime:
    """The first UTC second at which the zone is in ``after``'s state (a binary search)."""
    low, high = int(before.timestamp()), int(after.timestamp())
    old = _state(zone, before)
    while high - low > 1:
        middle = (low + high) // 2
        if _state(zone, datetime.fromtimestamp(middle, UTC)) == old:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


def _observance(zone: ZoneInfo, change: datetime) -> Observance:
    before = (change - timedelta(seconds=1)).astimezone(zone)
    after = change.astimezone(zone)
    offset_from = before.utcoffset() or timedelta(0)
    return Observance(
        kind="DAYLIGHT" if after.dst() else "STANDARD",
        starts=(change + offset_from).replace(tzinfo=None),
        offset_from=offset_from,
        offset_to=after.utcoffset() or timedelta(0),
        name=after.tzname() or zone.key,
    )


def _offset(offset: timedelta) -> str:
    """A UTC offset as RFC 5545 writes it: +0100, -0500, +0545 (seconds only when not zero)."""
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")
