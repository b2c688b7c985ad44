"""What people are told about their live sessions, as events for the notifications dispatcher:
the kinds (reminders, starting now, cancelled) and ``SessionNotice``, one event per session
and kind of notice, worded in each person's own zone."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from cadenza.accounts.models import User
from cadenza.live.models import LiveSession
from cadenza.live.schedule.selectors import join_path, participants
from cadenza.notifications.events import Notice, NotificationEvent
from cadenza.notifications.kinds import NotificationKind, register_kind
from cadenza.orgs.models import Organization

REMINDER = register_kind(
    NotificationKind(key="live.reminder", label="Reminders before your live sessions")
)
STARTING = register_kind(
    NotificationKind(key="live.starting", label="A live session you take part in has started")
)
CANCELLED = register_kind(
    NotificationKind(key="live.cancelled", label="A live session you take part in is cancelled")
)


def time_in_zone(moment: datetime, zone_name: str) -> str:
    """A moment as a person reads it: "25 Nov 2026, 15:33 (Europe/Paris)" (as ``|local_time``).
    An unknown zone falls back to UTC, named."""
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone, zone_name = zoneinfo.ZoneInfo("UTC"), "UTC"
    local = moment.astimezone(zone)
    return f"{local:%-d %b %Y, %H:%M} ({zone_name})"


@dataclass(frozen=True, slots=True, eq=False)
class SessionNotice(NotificationEvent):
    """One notice about ``session`` to everyone taking part (hosts, enrolled learners once it
    is published) but ``left_out``. ``text`` may name ``{title}``, ``{course}`` and
    ``{when}`` (the start in the reader's zone). ``key`` tells this notice from the session's
    others in the dedupe key (``live:<session>:<key>:<person>``)."""

    kind: NotificationKind  # type: ignore[misc]  # per instance: one class, three kinds
    session: LiveSession
    key: str
    heading: str
    text: str
    left_out: int | None = None
    link_in_email: bool = True

    @property
    def org(self) -> Organization:
        return self.session.org

    @property
    def subject(self) -> str:
        # Each notice about a session is news of its own (the day-before reminder and the
        # fifteen-minute one are two): never bundled, so the subject names the notice too.
        return f"live.session:{self.session.pk}:{self.key}"

    def recipients(self) -> Iterable[User]:
        return [p for p in participants(self.session) if p.pk != self.left_out]

    def notice_for(self, person: User) -> Notice:
        session = self.session
        title = f"{self.heading}: {session.title}"
        return Notice(
            title=title,
            body=self.text.format(
                title=session.title,
                course=session.course.title,
                when=time_in_zone(session.starts_at, person.time_zone),
            ),
            path=join_path(session),
            email_link_label="Join" if self.link_in_email else "",
            bundled_title=title,
        )

    def dedupe_key(self, person: User) -> str:
        return f"live:{self.session.pk}:{self.key}:{person.pk}"
