"""Reading the replay: what a session page shows once the call is over.

Nothing is lost when the call ends: the recording, the chat transcript, the Q&A with its
answers, poll results and (for hosts) attendance stay on the session's page. Each viewer sees
what they could see in the room:
- chat: messages not deleted; to everyone, to all; a private message only to its two people
  (hosts included: private is private); a breakout room's chat to its members and the hosts;
- Q&A: an anonymous question's author is hidden from peers (shown to hosts and to the author);
  dismissed questions only to hosts; open questions are listed for hosts to answer later;
- polls that ran: counts per option for all; who voted what only for hosts, never for an
  anonymous poll;
- attendance: hosts (and the organization's admins) only;
- the recording's captions and their transcripts: everyone who sees the recording.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.http import Http404
from django.utils import timezone

from cadenza.accounts.models import User
from cadenza.courses.selectors import transcript_of
from cadenza.learning.views.transcript import TranscriptPanel, panels_of
from cadenza.lib.language_tags import InvalidLanguageTag, canonical_language_tag
from cadenza.live.attendance.selectors.attendance import (
    AttendanceRow,
    attendance_report,
    is_enrolled_learner,
    may_manage_attendance,
)
from cadenza.live.models import (
    Attendance,
    BreakoutAssignment,
    ChatMessage,
    LiveSession,
    Poll,
    PollStatus,
    PollVote,
    QuestionStatus,
    ReplayCaptionTrack,
    ReplayViewing,
    RoomQuestion,
)
from cadenza.live.sessions.hooks import session_hooks
from cadenza.live.sessions.stage import is_over
from cadenza.orgs.selectors import OrgContext, scoped

logger = logging.getLogger(__name__)

ANONYMOUS = "Anonymous"


def room_is_open(session: LiveSession, *, now: datetime) -> bool:
    """The room was opened, not closed, and the session has not reached its end."""
    return session.opened_at is not None and session.closed_at is None and now < session.ends_at


def replay_duration(session: LiveSession, reported: float | None = None) -> float | None:
    """The recording's length to measure watching against: the session's own when known (a
    browser cannot shorten it to complete), else what the player reported."""
    if session.recording_duration_seconds:
        return session.recording_duration_seconds
    return reported or None


@dataclass(frozen=True, slots=True)
class ChatLine:
    author: str
    body: str
    created_at: datetime
    to: str = ""
    breakout: str = ""


@dataclass(frozen=True, slots=True)
class QuestionView:
    id: int
    body: str
    author: str
    anonymous: bool
    status: str
    status_label: str
    answer: str
    answered_by: str
    answered_at: datetime | None
    votes: int

    @property
    def is_open(self) -> bool:
        return self.status == QuestionStatus.OPEN


@dataclass(frozen=True, slots=True)
class OptionResult:
    id: int
    text: str
    votes: int
    percent: int
    is_correct: bool


@dataclass(frozen=True, slots=True)
class PollResult:
    prompt: str
    multiple: bool
    anonymous: bool
    voters: int
    options: list[OptionResult]
    per_person: list[tuple[str, list[str]]] | None


@dataclass(frozen=True, slots=True)
class ProviderRecording:
    title: str
    url: str
    duration_seconds: float | None


@dataclass(slots=True)
class ReplayPage:
    session: LiveSession
    over: bool
    host_view: bool
    tracked: bool
    has_file: bool
    recording_url: str
    provider_recordings: list[ProviderRecording]
    recording_note: str
    duration_seconds: float | None
    chat: list[ChatLine]
    questions: list[QuestionView]
    polls: list[PollResult]
    attendance: list[AttendanceRow] | None
    my_attendance: Attendance | None
    viewing: ReplayViewing | None
    unanswered: list[QuestionView] = field(default_factory=list)
    transcripts: list[TranscriptPanel] = field(default_factory=list)

    @property
    def watched_percent(self) -> float:
        if self.viewing is None or not self.duration_seconds:
            return 0.0
        return round(min(100.0, 100 * self.viewing.watched_seconds / self.duration_seconds), 1)


def visible_chat(session: LiveSession, *, user: User, host_view: bool) -> list[ChatLine]:
    """The chat transcript as ``user`` may read it (see the module's docstring)."""
    rooms = BreakoutAssignment.objects.filter(session=session, user=user).values("room_id")
    messages = (
        ChatMessage.objects.visible_to(user_id=user.pk, moderator=host_view, breakouts=rooms)
        .filter(session=session, deleted_at__isnull=True)
        .select_related("author", "recipient", "breakout")
        .order_by("seq")
    )
    return [
        ChatLine(
            author=m.author.name,
            body=m.body,
            created_at=m.created_at,
            to=m.recipient.name if m.recipient else "",
            breakout=m.breakout.name if m.breakout else "",
        )
        for m in messages
    ]


def visible_questions(session: LiveSession, *, user: User, host_view: bool) -> list[QuestionView]:
    """The Q&A by votes; anonymous authors hidden from peers, dismissed ones only for hosts."""
    questions = RoomQuestion.objects.filter(session=session).select_related("author", "answered_by")
    if not host_view:
        questions = questions.exclude(status=QuestionStatus.DISMISSED)
    return [
        QuestionView(
            id=q.pk,
            body=q.body,
            author=(
                ANONYMOUS
                if q.anonymous and not host_view and q.author_id != user.pk
                else q.author.name
            ),
            anonymous=q.anonymous,
            status=q.status,
            status_label=QuestionStatus(q.status).label,
            answer=q.answer,
            answered_by=q.answered_by.name if q.answered_by else "",
            answered_at=q.answered_at,
            votes=q.votes,
        )
        for q in questions.order_by("-votes", "seq")
    ]


def poll_results(session: LiveSession, *, host_view: bool) -> list[PollResult]:
    """Polls that ran (opened at least once), with counts per option; who voted what for hosts,
    never for an anonymous poll."""
    polls = list(
        Poll.objects.filter(session=session)
        .exclude(status=PollStatus.PREPARED)
        .prefetch_related("options")
    )
    votes = list(PollVote.objects.filter(poll__in=polls).select_related("user").order_by("id"))
    results: list[PollResult] = []
    for poll in polls:
        options = list(poll.options.all())
        names = {option.pk: option.text for option in options}
        own_votes = [vote for vote in votes if vote.poll_id == poll.pk]
        counts: Counter[int] = Counter()
        for vote in own_votes:
            counts.update({int(option_id) for option_id in vote.option_ids})
        voters = len(own_votes)
        per_person = None
        if host_view and not poll.anonymous:
            per_person = sorted(
                (
                    vote.user.name,
                    [names[int(o)] for o in vote.option_ids if int(o) in names],
                )
                for vote in own_votes
            )
        results.append(
            PollResult(
                prompt=poll.prompt,
                multiple=poll.multiple,
                anonymous=poll.anonymous,
                voters=voters,
                options=[
                    OptionResult(
                        id=option.pk,
                        text=option.text,
                        votes=counts[option.pk],
                        percent=counts[option.pk] * 100 // voters if voters else 0,
                        is_correct=option.is_correct,
                    )
                    for option in options
                ],
                per_person=per_person,
            )
        )
    return results


def provider_recordings(session: LiveSession) -> tuple[list[ProviderRecording], str]:
    """The video provider's recordings of the session, and a note to show when they could
    not be fetched (the provider's server down, its settings missing): the page still
    renders, with the rest of the replay. Only web links are kept."""
    try:
        found = session_hooks().video_recordings(session)
    except Exception:
        logger.warning("Recordings of live session %s could not be fetched", session.pk)
        return [], "The video service's recordings could not be fetched just now; try later."
    recordings = [
        ProviderRecording(
            title=item.title or "Recording", url=item.url, duration_seconds=item.duration_seconds
        )
        for item in found
        if item.url.startswith(("https://", "http://"))
    ]
    return recordings, ""


def replay_page(
    ctx: OrgContext, session: LiveSession, *, now: datetime | None = None
) -> ReplayPage:
    """Everything the replay part of a session's page shows to the viewer (``ctx.user``)."""
    now = now or timezone.now()
    user = ctx.user
    host_view = may_manage_attendance(session=session, user=user)
    has_file = bool(session.recording_file)
    over = is_over(session, now=now)
    recordings: list[ProviderRecording] = []
    note = ""
    if over and not has_file and not session.recording_url:
        recordings, note = provider_recordings(session)
    questions = visible_questions(session, user=user, host_view=host_view)
    tracked = not host_view and is_enrolled_learner(session, user)
    return ReplayPage(
        session=session,
        over=over,
        host_view=host_view,
        tracked=tracked,
        has_file=has_file,
        recording_url=session.recording_url,
        provider_recordings=recordings,
        recording_note=note,
        duration_seconds=replay_duration(session),
        chat=visible_chat(session, user=user, host_view=host_view),
        questions=questions,
        polls=poll_results(session, host_view=host_view),
        attendance=attendance_report(session, now=now) if host_view else None,
        my_attendance=scoped(
            Attendance.objects.filter(session=session, user=user), ctx.org
        ).first(),
        viewing=scoped(ReplayViewing.objects.filter(session=session, user=user), ctx.org).first(),
        unanswered=[q for q in questions if q.is_open] if host_view else [],
        transcripts=panels_of(transcript_of(track) for track in replay_caption_tracks(session)),
    )


def replay_caption_tracks(session: LiveSession) -> list[ReplayCaptionTrack]:
    """The recording's caption tracks by label, without their files (one query): the
    player's ``<track>`` elements, the transcript panel, the hosts' list and the API's."""
    return list(
        ReplayCaptionTrack.objects.filter(session=session)
        .defer("vtt", "transcript")
        .order_by("label", "id")
    )


def access_replay_caption_track(
    ctx: OrgContext, *, session: LiveSession, language: str
) -> ReplayCaptionTrack:
    """One language's captions of ``session`` (already authorized with ``access_session``):
    404 for a malformed tag, a language it has no captions in, or another organization's."""
    try:
        language = canonical_language_tag(language)
    except InvalidLanguageTag as malformed:
        raise Http404("No such captions.") from malformed
    track = scoped(
        ReplayCaptionTrack.objects.filter(session=session, language=language), ctx.org
    ).first()
    if track is None:
        raise Http404("No such captions.")
    track.session = session
    return track


def access_session_question(
    ctx: OrgContext, *, session: LiveSession, question_id: int
) -> RoomQuestion:
    """A question of ``session`` (already authorized with ``access_session``), for answering
    it after the session on the replay page or through the API: 404 for another session's or
    organization's question."""
    question = (
        scoped(RoomQuestion.objects.filter(session=session), ctx.org)
        .select_related("session", "session__org")
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        raise Http404("No such question.")
    return question
