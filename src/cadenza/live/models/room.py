"""What happens in a live room and must outlive the call: the numbered event log and the
state it describes (chat, questions, polls, hands, breakouts, moderation)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet

from cadenza.live.models.sessions import LiveSession
from cadenza.orgs.models import Organization
from cadenza.realtime.audience import HOSTS


class RoomEvent(models.Model):
    """One durable room event, numbered per session (1, 2, 3 ... with no gap).

    ``frame`` is the JSON the clients receive, encoded once by the action. A client write
    carries ``client_event_id``; a retry with the same id finds this row and changes nothing.
    """

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    client_event_id = models.CharField(max_length=64, blank=True)
    audience = models.JSONField(
        default=list,
        blank=True,
        help_text="User ids who may see it (private chat, a breakout room); empty for all.",
    )
    frame = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["session", "seq"], name="room_event_seq_unique"),
            models.UniqueConstraint(
                fields=["session", "actor", "client_event_id"],
                condition=~Q(client_event_id=""),
                name="room_event_client_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.seq} {self.type}"


class BreakoutRoom(models.Model):
    """A named breakout room of a session, with its own chat and video room."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="breakouts")
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    provider_room = models.CharField(max_length=120)
    opened_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class BreakoutAssignment(models.Model):
    """Who is in which breakout room (one room per person per session)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(BreakoutRoom, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_breakout_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.room_id}"


class ChatMessageQuerySet(models.QuerySet["ChatMessage"]):
    def visible_to(
        self, *, user_id: int, moderator: bool, breakouts: Iterable[int] | QuerySet[Any] = ()
    ) -> ChatMessageQuerySet:
        """The messages a person may read: the one chat rule for the room's snapshot and
        the replay. A message to everyone: everyone. A private message (with a recipient):
        its author and its recipient only, hosts included (private is private). A message
        in a breakout room: the hosts (``moderator``) and the people of ``breakouts`` (the
        rooms whose chat the person reads: in the room, the open one they are in; in the
        replay, every one they were in). A message's live event carries the same rule as its
        audience (``ChatMessage.audience``); tests/live/test_room_event_harness.py checks
        that a connected client and a fresh snapshot agree."""
        everyone = Q(recipient__isnull=True, breakout__isnull=True)
        private = Q(recipient__isnull=False) & (Q(author_id=user_id) | Q(recipient_id=user_id))
        in_breakout = Q(recipient__isnull=True, breakout__isnull=False)
        if not moderator:
            in_breakout &= Q(breakout__in=breakouts)
        return self.filter(everyone | private | in_breakout)


class ChatMessage(models.Model):
    """A chat message: to everyone, privately to one person, or inside a breakout room."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="chat")
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    breakout = models.ForeignKey(
        BreakoutRoom, on_delete=models.CASCADE, null=True, blank=True, related_name="chat"
    )
    body = models.TextField()
    created_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ChatMessageQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return self.body[:60]

    @staticmethod
    def audience(
        *, author_id: int, recipient_id: int | None, breakout_members: Iterable[int] | None
    ) -> list[int | str]:
        """Who receives a message's live event, by ``ChatMessageQuerySet.visible_to``'s rule:
        a private message its two people; a breakout room's message the room's members (the
        author included) and the hosts; anything else everyone (an empty audience)."""
        if recipient_id is not None:
            return [author_id, recipient_id]
        if breakout_members is not None:
            members: list[int | str] = [*breakout_members, HOSTS]
            return members if author_id in members else [*members, author_id]
        return []


class QuestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"
    ANSWERED_LIVE = "answered_live", "Answered live"
    DISMISSED = "dismissed", "Dismissed"


class RoomQuestion(models.Model):
    """A learner's question in the session's Q&A, ordered by votes."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="questions")
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    anonymous = models.BooleanField(default=False, help_text="Hidden from peers, not from hosts.")
    status = models.CharField(
        max_length=16, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    votes = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-votes", "seq"]

    def __str__(self) -> str:
        return self.body[:60]


class QuestionVote(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(RoomQuestion, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_vote_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} votes for {self.question_id}"


class PollStatus(models.TextChoices):
    PREPARED = "prepared", "Prepared"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Poll(models.Model):
    """A poll, prepared before the session or made on the spot; optionally a quiz."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="polls")
    prompt = models.CharField(max_length=500)
    multiple = models.BooleanField(default=False, help_text="Several choices allowed.")
    anonymous = models.BooleanField(default=False)
    status = models.CharField(
        max_length=12, choices=PollStatus.choices, default=PollStatus.PREPARED
    )
    position = models.PositiveSmallIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.prompt[:60]


class PollOption(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=300)
    is_correct = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class PollVote(models.Model):
    """A person's current vote in a poll (changeable while the poll is open)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    option_ids = models.JSONField(default=list)
    voted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="one_vote_per_poll"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} votes {self.option_ids} in {self.poll_id}"


class RaisedHand(models.Model):
    """A raised hand, in the queue until the host calls the person or lowers it."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="hands")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    raised_at = models.DateTimeField()
    lowered_at = models.DateTimeField(null=True, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(lowered_at__isnull=True),
                name="one_raised_hand_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"hand of {self.user_id} in {self.session_id}"


class ParticipantRestriction(models.Model):
    """Moderation: a person muted in chat, or removed from the session."""

    class Kind(models.TextChoices):
        MUTED = "muted", "Muted in chat"
        REMOVED = "removed", "Removed from the session"

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user", "kind"], name="one_restriction_of_a_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} in {self.session_id}"
