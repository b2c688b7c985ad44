"""The demo's live sessions: a briefing that ended yesterday with its replay, a weekly
webinar that keeps noon in Chicago, and the upcoming simulation."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cadenza.activity.models import Statement
from cadenza.courses.models import Unit
from cadenza.demo.builder import DemoSummary
from cadenza.demo.content import VIDEO_ASSET, VIDEO_DURATION_SECONDS, asset_bytes
from cadenza.learning.models import UnitProgress
from cadenza.live.models import (
    Attendance,
    ChatMessage,
    LiveSeries,
    LiveSession,
    LiveSessionHost,
    Poll,
    PollVote,
    RoomEvent,
    RoomQuestion,
)

pytestmark = pytest.mark.django_db


def _local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%a %d %b %H:%M")


def test_demo_schedules_a_briefing_a_weekly_webinar_and_a_simulation(demo: DemoSummary) -> None:
    sessions = [
        (s.title, s.format, s.provider, s.occurrence, s.status)
        for s in LiveSession.objects.order_by("unit__position", "starts_at")
    ]
    assert sessions == [
        ("Simulation briefing: roles in the sepsis team", "class", "builtin", None, "scheduled"),
        *[("Sepsis Q&A webinar", "webinar", "builtin", n, "scheduled") for n in (1, 2, 3, 4)],
        ("Live simulation: the deteriorating patient", "class", "builtin", None, "scheduled"),
    ]
    hosts = {
        title: [row.user.email for row in LiveSessionHost.objects.filter(session__title=title)]
        for title in LiveSession.objects.values_list("title", flat=True).distinct()
    }
    assert hosts == {
        "Simulation briefing: roles in the sepsis team": [
            "amara.okafor@riverside.example",
            "daniel.kowalski@riverside.example",
        ],
        "Sepsis Q&A webinar": ["amara.okafor@riverside.example"] * 4,
        "Live simulation: the deteriorating patient": [
            "amara.okafor@riverside.example",
            "daniel.kowalski@riverside.example",
        ],
    }


def test_the_simulation_is_a_class_in_three_days_in_chicago(demo: DemoSummary) -> None:
    simulation = LiveSession.objects.get(title__startswith="Live simulation")
    assert (simulation.starts_at, simulation.ends_at) == (
        datetime(2025, 3, 23, 14, 0, tzinfo=UTC),
        datetime(2025, 3, 23, 15, 30, tzinfo=UTC),
    )
    assert _local(simulation.starts_at, "America/Chicago") == "Sun 23 Mar 09:00"
    assert (simulation.capacity, simulation.lobby_minutes) == (12, 15)


def test_the_webinar_keeps_noon_in_chicago_while_london_changes_its_clocks(
    demo: DemoSummary,
) -> None:
    series = LiveSeries.objects.get()
    webinar = list(LiveSession.objects.filter(series=series).order_by("occurrence"))
    assert (series.time_zone, str(series.local_start), series.occurrences) == (
        "America/Chicago",
        "12:00:00",
        4,
    )
    assert [_local(s.starts_at, "America/Chicago") for s in webinar] == [
        "Tue 25 Mar 12:00",
        "Tue 01 Apr 12:00",
        "Tue 08 Apr 12:00",
        "Tue 15 Apr 12:00",
    ]
    # Britain moves its clocks on 30 March 2025: the same noon in Chicago is an hour later there.
    assert [_local(s.starts_at, "Europe/London") for s in webinar] == [
        "Tue 25 Mar 17:00",
        "Tue 01 Apr 18:00",
        "Tue 08 Apr 18:00",
        "Tue 15 Apr 18:00",
    ]
    assert {s.ends_at - s.starts_at for s in webinar} == {timedelta(minutes=45)}


def test_the_briefing_ended_yesterday_and_kept_its_chat_questions_and_poll(
    demo: DemoSummary,
) -> None:
    briefing = LiveSession.objects.get(title__startswith="Simulation briefing")
    assert (briefing.starts_at, briefing.ends_at) == (
        datetime(2025, 3, 19, 15, 0, tzinfo=UTC),
        datetime(2025, 3, 19, 16, 0, tzinfo=UTC),
    )
    assert briefing.closed_at == briefing.ends_at
    assert ChatMessage.objects.filter(session=briefing).count() == 6
    questions = RoomQuestion.objects.filter(session=briefing).order_by("seq")
    assert [(q.status, q.votes, q.anonymous) for q in questions] == [
        ("answered", 2, False),
        ("open", 0, True),
    ]
    poll = Poll.objects.get(session=briefing)
    correct = poll.options.get(is_correct=True).pk
    votes = Counter(
        option == correct
        for choice in PollVote.objects.filter(poll=poll).values_list("option_ids", flat=True)
        for option in choice
    )
    assert (poll.status, votes) == ("closed", {True: 4, False: 1})
    assert RoomEvent.objects.filter(session=briefing).count() == briefing.last_seq == 20


def test_the_briefings_chat_qa_and_poll_happened_during_the_briefing(demo: DemoSummary) -> None:
    briefing = LiveSession.objects.get(title__startswith="Simulation briefing")
    start = briefing.starts_at
    chat = ChatMessage.objects.filter(session=briefing).order_by("seq")
    assert [(_local(m.created_at, "America/Chicago"), m.body[:22]) for m in chat] == [
        ("Wed 19 Mar 10:01", "Welcome, everyone. We "),
        ("Wed 19 Mar 10:02", "Good morning from the "),
        ("Wed 19 Mar 10:04", "The screening checklis"),
        ("Wed 19 Mar 10:12", "Who calls the sepsis a"),
        ("Wed 19 Mar 10:14", "Any nurse who screens "),
        ("Wed 19 Mar 10:21", "Sorry, my connection d"),
    ]
    questions = RoomQuestion.objects.filter(session=briefing).order_by("seq")
    assert [(q.created_at - start, q.answered_at) for q in questions] == [
        (timedelta(minutes=25), start + timedelta(minutes=40)),
        (timedelta(minutes=35), None),
    ]
    poll = Poll.objects.get(session=briefing)
    assert (poll.opened_at, poll.closed_at) == (
        start + timedelta(minutes=45),
        start + timedelta(minutes=49),
    )
    assert sorted(vote - start for vote in PollVote.objects.values_list("voted_at", flat=True)) == [
        timedelta(seconds=s) for s in (2760, 2790, 2820, 2850, 2880)
    ]
    events = list(RoomEvent.objects.filter(session=briefing).values_list("created_at", flat=True))
    assert (min(events), max(events)) == (start + timedelta(minutes=1), briefing.ends_at)


def test_the_briefings_recording_is_the_demo_video(demo: DemoSummary) -> None:
    briefing = LiveSession.objects.get(title__startswith="Simulation briefing")
    assert briefing.recording_duration_seconds == VIDEO_DURATION_SECONDS
    assert briefing.recording_url == ""
    name = briefing.recording_file.name
    assert name is not None
    assert re.fullmatch(r"recordings/\d{4}/\d{2}/[0-9a-f]{32}\.webm", name)
    with briefing.recording_file.open("rb") as stored:
        assert stored.read() == asset_bytes(VIDEO_ASSET)


def test_briefing_attendance_counts_presence_and_the_replay(demo: DemoSummary) -> None:
    rows = {
        row.user.email.removesuffix("@riverside.example"): (
            row.seconds_present,
            row.attended,
            row.source,
        )
        for row in Attendance.objects.select_related("user")
    }
    assert rows == {
        "amara.okafor": (3600, True, "live"),
        "daniel.kowalski": (3600, True, "live"),
        "chinedu.eze": (3600, True, "live"),
        "emily.carter": (3360, True, "live"),
        "jonas.becker": (3300, True, "live"),  # reconnected: the overlap counted once
        "priya.nair": (2700, True, "live"),  # exactly 75 %
        "ngozi.obi": (1800, False, "live"),
        "hannah.lindqvist": (600, False, "live"),
        "lena.vogel": (0, True, "replay"),
    }
    attended = Statement.objects.filter(verb__endswith="/attended")
    assert sorted(attended.values_list("actor__email", flat=True)) == [
        "chinedu.eze@riverside.example",
        "emily.carter@riverside.example",
        "jonas.becker@riverside.example",
        "lena.vogel@riverside.example",
        "priya.nair@riverside.example",
    ]
    briefing_unit = Unit.objects.get(title__startswith="Simulation briefing")
    assert UnitProgress.objects.filter(unit=briefing_unit, status="completed").count() == 5
