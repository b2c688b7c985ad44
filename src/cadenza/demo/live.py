"""The demo's live sessions, scheduled and run through the live actions.

The course gains a fourth module, "Live simulation", with three live-session units:
- a simulation briefing that ended yesterday, with its replay: a recording (the demo video),
  chat, a question answered and one left for the hosts, a quiz poll closed with its votes,
  and attendance counted from presence (some learners attended, some left early, one
  reconnected, one caught up by watching the replay);
- the weekly sepsis Q&A webinar: four Tuesdays at 12:00 in Chicago, defined in Chicago's zone
  so it keeps its local hour whatever the learners' own daylight-saving changes;
- the live simulation itself, a class in a few days with built-in video, hosted by the
  instructor and the teaching assistant.

Everything in the briefing is dated yesterday, inside its hour: presence, and the room's
chat, Q&A and poll (each room action takes ``at``, so their rows, numbered events and
learning-record statements carry the minute they happened, from the ``*_MINUTES``
constants). The room is closed at the session's end, the instructor attaches the recording an
hour later through the hosts' action, and the replay is watched in the evening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from cadenza.accounts.models import User
from cadenza.courses.actions import add_module, publish_course
from cadenza.demo.content import VIDEO_ASSET, VIDEO_DURATION_SECONDS, DemoCourse, asset_bytes
from cadenza.demo.people import INSTRUCTOR, LEARNERS, TEACHING_ASSISTANT, DemoPerson
from cadenza.live.attendance.actions.attendance import join_room, leave_room
from cadenza.live.attendance.actions.replay import attach_recording, record_replay_watching
from cadenza.live.models import LiveSession, Poll, RoomQuestion, SessionFormat, VideoProvider
from cadenza.live.room.actions.chat import post_chat_message
from cadenza.live.room.actions.polls import close_poll, create_poll, vote_in_poll
from cadenza.live.room.actions.questions import answer_question, ask_question, vote_for_question
from cadenza.live.room.actions.state import close_room
from cadenza.live.schedule.actions.scheduling import schedule_live_session
from cadenza.orgs.models import Role
from cadenza.orgs.selectors import OrgContext

LIVE_TIME_ZONE = "America/Chicago"
LIVE_MODULE_TITLE = "Live simulation"
WEBINAR_OCCURRENCES = 4
TUESDAY = 1
SIMULATION_IN_DAYS = 3

BRIEFING_AGENDA = """\
The roles in the sepsis team during the simulation: who calls the sepsis alert, who runs the
bundle checklist, who takes cultures and who draws up the antibiotics.
"""

WEBINAR_AGENDA = """\
Bring your questions about screening and the Hour-1 bundle. Dr. Okafor answers them live;
ask in the Q&A and upvote the questions you want answered first.
"""

SIMULATION_AGENDA = """\
A deteriorating patient on a high-fidelity manikin. You run the Hour-1 bundle against the
clock, then we debrief together. Have the screening checklist at hand.
"""

# (index in LEARNERS, [(joined, left) in minutes after the start]): who came to the briefing.
BRIEFING_PRESENCE: tuple[tuple[int, tuple[tuple[int, int], ...]], ...] = (
    (22, ((0, 60),)),  # stayed throughout
    (6, ((2, 58),)),
    (13, ((0, 20), (19, 55))),  # reconnected: the overlap counts once
    (16, ((5, 50),)),  # exactly 45 of 60 minutes: 75 %, attended
    (25, ((30, 60),)),  # came late: not attended
    (3, ((0, 10),)),  # left early: not attended
)
STAFF_PRESENCE: tuple[tuple[DemoPerson, tuple[int, int]], ...] = (
    (INSTRUCTOR, (-5, 65)),
    (TEACHING_ASSISTANT, (0, 60)),
)
# The learner who missed the briefing and watched its replay.
REPLAY_WATCHER = 14
# When things happened in the briefing, in minutes after its start (each speaker was present).
CHAT_MINUTES: tuple[float, ...] = (1, 2, 4, 12, 14, 21)
QUESTION_MINUTES: tuple[float, ...] = (25, 35)
QUESTION_VOTE_MINUTES: tuple[float, ...] = (26, 27)
ANSWER_MINUTE = 40.0
POLL_OPEN_MINUTE = 45.0
POLL_VOTE_MINUTES: tuple[float, ...] = (46, 46.5, 47, 47.5, 48)
POLL_CLOSE_MINUTE = 49.0


@dataclass(frozen=True, slots=True)
class DemoLive:
    """The demo's sessions by their role in the story."""

    briefing: LiveSession
    webinar: list[LiveSession]
    simulation: LiveSession


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(LIVE_TIME_ZONE))


def _next_weekday(after: date, weekday: int) -> date:
    """The first ``weekday`` strictly after ``after``."""
    return after + timedelta(days=(weekday - after.weekday() - 1) % 7 + 1)


@transaction.atomic
def build_live_sessions(
    *, course: DemoCourse, users: dict[DemoPerson, User], now: datetime
) -> DemoLive:
    """Schedule the three live sessions in a new module and publish them; run yesterday's
    briefing (see the module's docstring)."""
    instructor, ta = users[INSTRUCTOR], users[TEACHING_ASSISTANT]
    module = add_module(
        course=course.course,
        title=LIVE_MODULE_TITLE,
        summary="The live sessions with the sepsis team, shown in your own time zone.",
    )
    today = now.astimezone(ZoneInfo(LIVE_TIME_ZONE)).date()
    yesterday = today - timedelta(days=1)
    briefing = schedule_live_session(
        module=module,
        title="Simulation briefing: roles in the sepsis team",
        agenda=BRIEFING_AGENDA,
        starts_at=_local(yesterday, 10),
        ends_at=_local(yesterday, 11),
        hosts=[instructor, ta],
        format=SessionFormat.CLASS,
        provider=VideoProvider.BUILTIN,
        created_by=instructor,
    ).sessions[0]
    tuesday = _next_weekday(today, TUESDAY)
    webinar = schedule_live_session(
        module=module,
        title="Sepsis Q&A webinar",
        agenda=WEBINAR_AGENDA,
        starts_at=_local(tuesday, 12),
        ends_at=_local(tuesday, 12, 45),
        hosts=[instructor],
        format=SessionFormat.WEBINAR,
        provider=VideoProvider.BUILTIN,
        created_by=instructor,
        weekly_occurrences=WEBINAR_OCCURRENCES,
        series_time_zone=LIVE_TIME_ZONE,
    ).sessions
    simulation_day = today + timedelta(days=SIMULATION_IN_DAYS)
    simulation = schedule_live_session(
        module=module,
        title="Live simulation: the deteriorating patient",
        agenda=SIMULATION_AGENDA,
        starts_at=_local(simulation_day, 9),
        ends_at=_local(simulation_day, 10, 30),
        hosts=[instructor, ta],
        format=SessionFormat.CLASS,
        provider=VideoProvider.BUILTIN,
        capacity=12,
        lobby_minutes=15,
        created_by=instructor,
    ).sessions[0]
    publish_course(course=course.course, include_contents=True)
    _run_briefing(briefing, users)
    return DemoLive(briefing=briefing, webinar=webinar, simulation=simulation)


def _ctx(user: User, role: Role, session: LiveSession) -> OrgContext:
    return OrgContext(org=session.org, user=user, role=role)


def _minute(session: LiveSession, minutes: float) -> datetime:
    """The moment ``minutes`` after the session's start."""
    return session.starts_at + timedelta(minutes=minutes)


def _run_briefing(session: LiveSession, users: dict[DemoPerson, User]) -> None:
    """Yesterday's briefing: presence, chat, Q&A, a quiz poll, attendance, the recording and
    a replay watched by a learner who missed it."""
    end = session.ends_at
    host = _ctx(users[INSTRUCTOR], Role.INSTRUCTOR, session)
    assistant = _ctx(users[TEACHING_ASSISTANT], Role.TA, session)
    learner = {
        index: _ctx(users[LEARNERS[index]], Role.LEARNER, session) for index, _ in BRIEFING_PRESENCE
    }

    for person, (joined, left) in STAFF_PRESENCE:
        _present(session, users[person], [(joined, left)])
    for index, spans in BRIEFING_PRESENCE:
        _present(session, users[LEARNERS[index]], list(spans))

    said = [
        (host, "Welcome, everyone. We start with the roles, then a quick quiz."),
        (learner[22], "Good morning from the ICU!"),
        (assistant, "The screening checklist is in module 2 if you want it open."),
        (learner[6], "Who calls the sepsis alert if the doctor is not on the ward?"),
        (host, "Any nurse who screens positive calls it. Do not wait."),
        (learner[13], "Sorry, my connection dropped. Back now."),
    ]
    for number, ((ctx, body), minute) in enumerate(zip(said, CHAT_MINUTES, strict=True), 1):
        post_chat_message(
            ctx=ctx,
            session=session,
            body=body,
            client_event_id=f"demo-chat-{number}",
            at=_minute(session, minute),
        )

    ask_question(
        ctx=learner[16],
        session=session,
        body="If the cultures are delayed, do we still wait before giving antibiotics?",
        client_event_id="demo-question-1",
        at=_minute(session, QUESTION_MINUTES[0]),
    )
    ask_question(
        ctx=learner[25],
        session=session,
        body="Is the lactate repeated at 2 hours or at 4 hours in our protocol?",
        client_event_id="demo-question-2",
        anonymous=True,
        at=_minute(session, QUESTION_MINUTES[1]),
    )
    # The second (anonymous) question stays open, for the hosts to answer after the session.
    cultures = RoomQuestion.objects.filter(session=session).order_by("seq")[0]
    for index, minute in zip((22, 6), QUESTION_VOTE_MINUTES, strict=True):
        vote_for_question(
            ctx=learner[index],
            session=session,
            question_id=cultures.pk,
            client_event_id=f"demo-question-vote-{index}",
            at=_minute(session, minute),
        )
    answer_question(
        ctx=host,
        session=session,
        question_id=cultures.pk,
        client_event_id="demo-answer-1",
        answer="No: take the cultures if you can within minutes, but never delay antibiotics "
        "for them.",
        at=_minute(session, ANSWER_MINUTE),
    )

    create_poll(
        ctx=host,
        session=session,
        prompt="When does the hour of the Hour-1 bundle start?",
        options=[
            "When the doctor first sees the patient",
            "At triage, or when sepsis is first recognised",
            "When the lactate result comes back",
        ],
        correct=[1],
        open_now=True,
        client_event_id="demo-poll-1",
        at=_minute(session, POLL_OPEN_MINUTE),
    )
    poll = Poll.objects.get(session=session)
    options = list(poll.options.order_by("position").values_list("pk", flat=True))
    choices = ((22, 1), (6, 1), (13, 1), (16, 0), (25, 1))
    for (index, choice), minute in zip(choices, POLL_VOTE_MINUTES, strict=True):
        vote_in_poll(
            ctx=learner[index],
            session=session,
            poll_id=poll.pk,
            option_ids=[options[choice]],
            client_event_id=f"demo-poll-vote-{index}",
            at=_minute(session, minute),
        )
    close_poll(
        ctx=host,
        session=session,
        poll_id=poll.pk,
        client_event_id="demo-poll-close",
        at=_minute(session, POLL_CLOSE_MINUTE),
    )

    # Closing the room counts attendance, as of its end.
    close_room(ctx=host, session=session, client_event_id="demo-close", at=end)

    session.refresh_from_db()
    session = attach_recording(
        session=session,
        by=host.user,
        file=SimpleUploadedFile(VIDEO_ASSET, asset_bytes(VIDEO_ASSET), content_type="video/webm"),
        duration_seconds=VIDEO_DURATION_SECONDS,
        now=end + timedelta(hours=1),
    )
    _watch_replay(session, users[LEARNERS[REPLAY_WATCHER]], at=end + timedelta(hours=8))


def _present(session: LiveSession, user: User, spans: list[tuple[int, int]]) -> None:
    """``user`` in the room for each (joined, left) span, in minutes after the start."""
    for number, (joined, left) in enumerate(spans, start=1):
        connection = f"demo-{session.pk}-{user.pk}-{number}"
        join_room(
            session=session,
            user=user,
            connection_id=connection,
            at=session.starts_at + timedelta(minutes=joined),
        )
        leave_room(connection_id=connection, at=session.starts_at + timedelta(minutes=left))


def _watch_replay(session: LiveSession, user: User, *, at: datetime) -> None:
    """Play the whole recording, reporting every 10 s like the replay page does."""
    record_replay_watching(
        session=session, user=user, played_seconds=None, position_seconds=0.0, now=at
    )
    played = 0.0
    while played < VIDEO_DURATION_SECONDS:
        step = min(10.0, VIDEO_DURATION_SECONDS - played)
        played += step
        at += timedelta(seconds=step)
        record_replay_watching(
            session=session, user=user, played_seconds=step, position_seconds=played, now=at
        )
