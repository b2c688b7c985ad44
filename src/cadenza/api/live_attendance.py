"""After the call: the hosts' attendance (the table, a correction, a recount) and the
replay (chat transcript, Q&A with answers, poll results) as the session's pages show them.

Attendance is the hosts' and the organization's admins' (403 for others), counted by the
same selector as the attendance page and corrected through its form and action. The replay
is anyone's who may see the session, each seeing what they could see in the room
(``live.attendance.selectors.replay``): a private message only by its two people, an anonymous
question's author hidden from peers, who voted what only for hosts and never for an
anonymous poll.
"""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema

from cadenza.api.bodies import Body, CleanLine, Prose
from cadenza.api.common import PersonOut, cleaned, member_context, person_out
from cadenza.api.live_access import SESSION_ERRORS, explains_closed_session
from cadenza.lib.errors import DomainError
from cadenza.live.attendance.actions.attendance import (
    MAX_NOTE_LENGTH,
    compute_attendance,
    correct_attendance,
)
from cadenza.live.attendance.actions.replay import MAX_ANSWER_LENGTH, answer_question_later
from cadenza.live.attendance.forms import CorrectionForm
from cadenza.live.attendance.selectors.attendance import (
    AttendanceRow,
    access_session_attendance,
    attendance_report,
    session_length_seconds,
)
from cadenza.live.attendance.selectors.replay import access_session_question, replay_page
from cadenza.live.sessions.access import access_session

router = Router(tags=["live attendance and replay"])

SESSION = "/orgs/{org}/live-sessions/{session}"


class AttendanceOut(Schema):
    """One person: ``source`` is ``live``, ``replay``, ``corrected`` or empty for an
    enrolled learner who never connected (``source_label`` "Absent"). During the session
    the numbers are live (``connected``: a connection is open now)."""

    person: PersonOut
    first_joined: datetime | None
    last_left: datetime | None
    seconds_present: int
    minutes_present: int
    attended: bool
    source: str
    source_label: str
    corrected: bool
    corrected_by: PersonOut | None
    note: str
    updated_at: datetime | None
    connected: bool
    role: str = Field(
        description="``learner`` (actively enrolled, not a host: the people attendance "
        "counts), ``host`` or ``staff`` (a TA or an admin who connected)."
    )


class CorrectionIn(Body):
    attended: bool
    minutes_present: int | None = Field(
        None, ge=0, description="Empty: keep the counted time; at most the session's length."
    )
    note: CleanLine = Field("", max_length=MAX_NOTE_LENGTH, description="Why.")


class ChatLineOut(Schema):
    """``to``: the recipient of a private message; ``breakout``: a breakout room's chat."""

    author: str
    body: str
    created_at: datetime
    to: str
    breakout: str


class ReplayQuestionOut(Schema):
    """``author`` is "Anonymous" for an anonymous question, except to hosts and its author."""

    id: int
    body: str
    author: str
    anonymous: bool
    status: str
    answer: str
    answered_by: str
    answered_at: datetime | None
    votes: int


class PollOptionOut(Schema):
    id: int
    text: str
    votes: int
    percent: int
    is_correct: bool


class PollVoterOut(Schema):
    name: str
    options: list[str]


class PollResultOut(Schema):
    """``per_person`` (who voted what) for hosts only, never for an anonymous poll."""

    prompt: str
    multiple: bool
    anonymous: bool
    voters: int
    options: list[PollOptionOut]
    per_person: list[PollVoterOut] | None


class LaterAnswerIn(Body):
    answer: Prose = Field(max_length=MAX_ANSWER_LENGTH)


class ReplayRecordingOut(Schema):
    title: str
    url: str
    duration_seconds: float | None


class MyAttendanceOut(Schema):
    attended: bool
    minutes_present: int
    source: str


class ReplayOut(Schema):
    """The session's replay. ``recordings``: the uploaded file (served by Cadenza), the
    link a host gave, or the video service's recordings once the session is over
    (``recording_note`` says when those could not be fetched). Hosts find attendance at
    ``.../attendance``; ``unanswered`` lists, for hosts, the questions still open."""

    over: bool
    host_view: bool
    recordings: list[ReplayRecordingOut]
    recording_note: str
    duration_seconds: float | None
    chat: list[ChatLineOut]
    questions: list[ReplayQuestionOut]
    unanswered: list[int]
    polls: list[PollResultOut]
    my_attendance: MyAttendanceOut | None
    watched_percent: float


def _row_out(row: AttendanceRow) -> AttendanceOut:
    return AttendanceOut(
        person=person_out(row.user),
        first_joined=row.first_joined,
        last_left=row.last_left,
        seconds_present=row.seconds_present,
        minutes_present=row.minutes_present,
        attended=row.attended,
        source=row.source,
        source_label=row.source_label,
        corrected=row.source == "corrected",
        corrected_by=person_out(row.corrected_by) if row.corrected_by else None,
        note=row.note,
        updated_at=row.updated_at,
        connected=row.connected,
        role=row.role,
    )


@router.get(SESSION + "/attendance", response={200: list[AttendanceOut], **SESSION_ERRORS})
@explains_closed_session
def attendance(request: HttpRequest, org: str, session: int) -> list[AttendanceOut]:
    """Everyone who connected, has a stored row or is enrolled, by name (hosts, admins);
    ``role`` tells learners from hosts and staff."""
    ctx = member_context(request, org)
    found = access_session_attendance(ctx, session_id=session)
    return [_row_out(row) for row in attendance_report(found)]


@router.post(SESSION + "/attendance/recount", response={200: list[AttendanceOut], **SESSION_ERRORS})
@explains_closed_session
def recount(request: HttpRequest, org: str, session: int) -> list[AttendanceOut]:
    """Count and store everyone's attendance now; corrections are kept (hosts, admins)."""
    ctx = member_context(request, org)
    found = access_session_attendance(ctx, session_id=session)
    compute_attendance(session=found)
    return [_row_out(row) for row in attendance_report(found)]


@router.put(SESSION + "/attendance/{person}", response={200: AttendanceOut, **SESSION_ERRORS})
@explains_closed_session
def correct(
    request: HttpRequest, org: str, session: int, person: int, payload: CorrectionIn
) -> AttendanceOut:
    """Correct one person's attendance (hosts, admins), as on the attendance page: the row
    keeps who, when and why, and recounting never overwrites it. ``person``: a user id from
    the table (404 for anyone else); more minutes than the session lasts: 400."""
    ctx = member_context(request, org)
    found = access_session_attendance(ctx, session_id=session)
    rows = attendance_report(found)
    row = next((r for r in rows if r.user.pk == person), None)
    if row is None:
        raise Http404("This person is not in the session's attendance.")
    length = session_length_seconds(found)
    if payload.minutes_present is not None and payload.minutes_present > length // 60:
        # The page's form says the same as a field error; here it is the session's state.
        raise DomainError(f"The session lasts {length // 60} minutes: at most that many.")
    form = CorrectionForm({"person": person, **payload.model_dump()}, rows=rows, length=length)
    data = cleaned(form)
    minutes = data["minutes_present"]
    correct_attendance(
        session=found,
        user=row.user,
        attended=data["attended"],
        seconds_present=None if minutes is None else min(minutes * 60, length),
        note=data["note"],
        by=ctx.user,
    )
    return next(_row_out(r) for r in attendance_report(found) if r.user.pk == person)


@router.get(SESSION + "/replay", response={200: ReplayOut, **SESSION_ERRORS})
@explains_closed_session
def replay(request: HttpRequest, org: str, session: int) -> ReplayOut:
    """The replay as I may see it (anyone who may see the session)."""
    ctx = member_context(request, org)
    page = replay_page(ctx, access_session(ctx, session_id=session))
    recordings: list[ReplayRecordingOut] = []
    if page.has_file:
        url = reverse("live_recording", kwargs={"org_slug": ctx.org.slug, "session_id": session})
        recordings.append(ReplayRecordingOut(title="Recording", url=url, duration_seconds=None))
    if page.recording_url:
        recordings.append(
            ReplayRecordingOut(title="Recording", url=page.recording_url, duration_seconds=None)
        )
    recordings += [
        ReplayRecordingOut(title=r.title, url=r.url, duration_seconds=r.duration_seconds)
        for r in page.provider_recordings
    ]
    mine = page.my_attendance
    return ReplayOut(
        over=page.over,
        host_view=page.host_view,
        recordings=recordings,
        recording_note=page.recording_note,
        duration_seconds=page.duration_seconds,
        chat=[
            ChatLineOut(
                author=c.author, body=c.body, created_at=c.created_at, to=c.to, breakout=c.breakout
            )
            for c in page.chat
        ],
        questions=[
            ReplayQuestionOut(
                id=q.id,
                body=q.body,
                author=q.author,
                anonymous=q.anonymous,
                status=q.status,
                answer=q.answer,
                answered_by=q.answered_by,
                answered_at=q.answered_at,
                votes=q.votes,
            )
            for q in page.questions
        ],
        unanswered=[q.id for q in page.unanswered],
        polls=[
            PollResultOut(
                prompt=p.prompt,
                multiple=p.multiple,
                anonymous=p.anonymous,
                voters=p.voters,
                options=[
                    PollOptionOut(
                        id=o.id,
                        text=o.text,
                        votes=o.votes,
                        percent=o.percent,
                        is_correct=o.is_correct,
                    )
                    for o in p.options
                ],
                per_person=None
                if p.per_person is None
                else [PollVoterOut(name=name, options=chosen) for name, chosen in p.per_person],
            )
            for p in page.polls
        ],
        my_attendance=MyAttendanceOut(
            attended=mine.attended, minutes_present=mine.seconds_present // 60, source=mine.source
        )
        if mine is not None
        else None,
        watched_percent=page.watched_percent,
    )


@router.post(
    SESSION + "/replay/questions/{question}/answer",
    response={200: ReplayQuestionOut, **SESSION_ERRORS},
)
@explains_closed_session
def answer_later(
    request: HttpRequest, org: str, session: int, question: int, payload: LaterAnswerIn
) -> ReplayQuestionOut:
    """Answer, after the session, a question left open (hosts, admins; 403 for others). 400
    while the room is open (answer there), for an empty answer or one already given."""
    ctx = member_context(request, org)
    found = access_session(ctx, session_id=session)
    asked = access_session_question(ctx, session=found, question_id=question)
    answered = answer_question_later(question=asked, answer=payload.answer, by=ctx.user)
    return ReplayQuestionOut(
        id=answered.pk,
        body=answered.body,
        author=answered.author.name,
        anonymous=answered.anonymous,
        status=answered.status,
        answer=answered.answer,
        answered_by=answered.answered_by.name if answered.answered_by else "",
        answered_at=answered.answered_at,
        votes=answered.votes,
    )
