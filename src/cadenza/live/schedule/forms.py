"""Forms of the scheduling pages: they parse and check input; the actions decide and write.

A person enters a date and a time in their own zone (the label names it); the form turns it
into an aware datetime. A wall-clock time that does not exist that day (inside a
spring-forward gap) is refused with a clear message rather than silently shifted.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django import forms

from cadenza.accounts.models import User
from cadenza.courses.models import Course, Module, Unit
from cadenza.live.models import LiveSession, PrivateChat, SessionFormat, VideoProvider
from cadenza.live.schedule.selectors import host_candidates, hosts_of
from cadenza.orgs.models import Organization


class HostChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, User)
        return f"{obj.name} ({obj.email})"


def local_moment(day: date, at: time, zone_name: str) -> datetime | None:
    """``day`` at ``at`` on the wall clock of ``zone_name`` as an aware datetime (an ambiguous
    time is its first instance); None when that wall-clock time does not exist there."""
    zone = zoneinfo.ZoneInfo(zone_name)
    wall = datetime.combine(day, at)
    moment = wall.replace(tzinfo=zone, fold=0)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        return None
    return moment


class SessionTimeForm(forms.Form):
    """A date, a start time in the person's zone and a duration."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(
        min_value=5, max_value=720, initial=60, label="Duration (minutes)"
    )

    def __init__(self, *args: Any, time_zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        self.fields["start_time"].label = f"Start time ({time_zone})"
        self.fields["date"].label = f"Date ({time_zone})"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, at, minutes = data.get("date"), data.get("start_time"), data.get("duration_minutes")
        if day is None or at is None or minutes is None:
            return data
        start = local_moment(day, at, self.time_zone)
        if start is None:
            self.add_error(
                "start_time",
                f"{at:%H:%M} does not exist on {day:%-d %b %Y} in {self.time_zone} "
                "(the clocks change); choose another time.",
            )
            return data
        data["starts_at"] = start
        data["ends_at"] = start + timedelta(minutes=minutes)
        return data

    def initial_from(self, session: LiveSession) -> None:
        local = session.starts_at.astimezone(zoneinfo.ZoneInfo(self.time_zone))
        self.initial.update(
            date=local.date(),
            start_time=local.time().replace(second=0, microsecond=0),
            duration_minutes=int((session.ends_at - session.starts_at).total_seconds() // 60),
        )


class SessionForm(SessionTimeForm):
    """Everything about a session (for scheduling one, or editing it)."""

    title = forms.CharField(max_length=200)
    agenda = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), required=False, help_text="Markdown."
    )
    hosts = HostChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Instructors, TAs and admins of the organization. The first is the organizer.",
    )
    format = forms.ChoiceField(
        choices=SessionFormat.choices, initial=SessionFormat.CLASS, widget=forms.RadioSelect
    )
    provider = forms.ChoiceField(choices=VideoProvider.choices, label="Video")
    capacity = forms.IntegerField(
        required=False, min_value=1, max_value=100_000, help_text="Empty: no limit."
    )
    lobby_minutes = forms.IntegerField(
        min_value=0,
        max_value=120,
        initial=10,
        label="Lobby opens (minutes before)",
    )
    private_chat = forms.ChoiceField(
        choices=PrivateChat.choices, initial=PrivateChat.HOSTS, label="Private messages"
    )
    publish_course = forms.BooleanField(required=False)
    drafts = ""
    """What keeps the session from learners, in words ("the course “Triage” and the module
    “Week 1”"); empty when nothing does. The page says it and offers ``publish_course``."""
    learners_may_share_screen = forms.BooleanField(
        required=False,
        label="Learners may share their screen",
        help_text="Built-in video. Hosts always may; a host can change this in the room.",
    )

    field_order = [  # noqa: RUF012 - Django's own option, read once per form
        "title",
        "agenda",
        "date",
        "start_time",
        "duration_minutes",
        "weekly_occurrences",
        "whole_series",
        "hosts",
        "format",
        "provider",
        "capacity",
        "lobby_minutes",
        "private_chat",
        "learners_may_share_screen",
    ]

    def __init__(
        self, *args: Any, org: Organization, by: User, time_zone: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, time_zone=time_zone, **kwargs)
        self.by = by
        hosts = self.fields["hosts"]
        assert isinstance(hosts, HostChoiceField)
        hosts.queryset = host_candidates(org)

    def offer_publishing(self, *, course: Course, module: Module, unit: Unit | None = None) -> None:
        """Name the drafts that hide the session from learners (its course, its module, and
        for an existing session its unit) and offer to publish them with it; without any,
        the offer is not on the form."""
        drafts = [
            f"the course “{course.title}”" if course.published_at is None else "",
            f"the module “{module.title}”" if module.published_at is None else "",
            f"the unit “{unit.title}”" if unit is not None and unit.published_at is None else "",
        ]
        named = [name for name in drafts if name]
        self.drafts = " and ".join([", ".join(named[:-1]), named[-1]] if len(named) > 2 else named)
        if self.drafts:
            self.fields["publish_course"].label = f"Publish {self.drafts} now"
        else:
            del self.fields["publish_course"]

    def publishing_course(self) -> bool:
        """Whether the drafts named in ``drafts`` are published with the session."""
        return bool(self.cleaned_data.get("publish_course"))

    def ordered_hosts(self, current: list[User] | None = None) -> list[User]:
        """The chosen hosts in a stable order: the current ones as they were, then the person
        filling the form, then the others as listed."""
        chosen: list[User] = list(self.cleaned_data["hosts"])
        rank = {user.pk: index for index, user in enumerate(current or [])}
        rank.setdefault(self.by.pk, len(rank))
        return sorted(chosen, key=lambda user: (rank.get(user.pk, len(rank) + 1), user.email))

    def options(self) -> dict[str, Any]:
        """The cleaned values the scheduling actions take as keyword arguments."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "agenda": data["agenda"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "format": SessionFormat(data["format"]),
            "provider": VideoProvider(data["provider"]),
            "capacity": data["capacity"],
            "lobby_minutes": data["lobby_minutes"],
            "private_chat": PrivateChat(data["private_chat"]),
            "learners_may_share_screen": bool(data["learners_may_share_screen"]),
        }


class ScheduleForm(SessionForm):
    """Scheduling a session: learners see it at once (``publish``) when its course and module
    are published; when either is a draft, the form offers to publish them
    (``publish_course``), else it waits for them."""

    weekly_occurrences = forms.IntegerField(
        min_value=1,
        max_value=52,
        initial=1,
        label="Number of weekly occurrences",
        help_text="1 for a single session. A weekly series keeps the local hour of its "
        "first host's zone across daylight-saving changes.",
    )
    publish = forms.BooleanField(
        required=False,
        initial=True,
        label="Learners of the course see this session as soon as it is scheduled",
    )

    def __init__(self, *args: Any, module: Module, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_publishing(course=module.course, module=module)

    def publishing_session(self) -> bool:
        """Whether the session's unit is published with it."""
        return bool(self.cleaned_data.get("publish"))


class EditSessionForm(SessionForm):
    """Editing a session; while its course, module or unit is a draft the form says so and
    offers to publish them, as the scheduling form does."""

    whole_series = forms.BooleanField(
        required=False,
        label="Apply the title, agenda, hosts and settings to every scheduled occurrence",
    )

    def __init__(self, *args: Any, session: LiveSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offer_publishing(course=session.course, module=session.unit.module, unit=session.unit)
        if session.series_id is None:
            del self.fields["whole_series"]
        if not self.is_bound:
            self.initial_from(session)
            self.initial.update(
                title=session.title,
                agenda=session.agenda,
                hosts=[user.pk for user in hosts_of(session)],
                format=session.format,
                provider=session.provider,
                capacity=session.capacity,
                lobby_minutes=session.lobby_minutes,
                private_chat=session.private_chat,
                learners_may_share_screen=session.learners_may_share_screen,
            )
