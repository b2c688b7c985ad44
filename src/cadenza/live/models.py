"""Live sessions: scheduling, the room's durable events and state, attendance, calendar feeds.

A live-session unit (``UnitKind.LIVE_SESSION``) holds one or more ``LiveSession`` rows: one
for a single class, one per occurrence for a weekly series. Everything that happens in a room
and must survive the call (chat, questions, votes, polls, hands, breakouts, state changes) is
a row written in the action's transaction, and each such change also appends a ``RoomEvent``
with the session's next sequence number: a client that reconnects with the last number it saw
receives exactly the events it missed (DESIGN section 4, "Live rooms").
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cadenza.accounts.models import validate_time_zone
from cadenza.courses.models import Course, Unit
from cadenza.orgs.models import Organization


class SessionFormat(models.TextChoices):
    CLASS = "class", "Class (everyone may speak)"
    WEBINAR = "webinar", "Webinar (a few on stage; chat, Q&A, polls and hands for the rest)"


class VideoProvider(models.TextChoices):
    BUILTIN = "builtin", "Built-in video (peer to peer, small rooms)"
    JITSI = "jitsi", "Jitsi Meet"
    BIGBLUEBUTTON = "bigbluebutton", "BigBlueButton"
    NONE = "none", "No video (chat, Q&A and polls only)"


class PrivateChat(models.TextChoices):
    OFF = "off", "Off"
    HOSTS = "hosts", "To hosts only"
    ON = "on", "On"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class LiveVideoSettings(models.Model):
    """An organization's video defaults and provider credentials."""

    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="+")
    default_provider = models.CharField(
        max_length=20, choices=VideoProvider.choices, default=VideoProvider.BUILTIN
    )
    jitsi_domain = models.CharField(max_length=200, blank=True)
    jitsi_app_id = models.CharField(max_length=200, blank=True)
    jitsi_app_secret = models.CharField(max_length=200, blank=True)
    bbb_url = models.URLField(blank=True, help_text="e.g. https://bbb.example.org/bigbluebutton/")
    bbb_secret = models.CharField(max_length=200, blank=True)
    stun_urls = models.TextField(blank=True, help_text="One STUN/TURN URL per line.")
    turn_username = models.CharField(max_length=200, blank=True)
    turn_credential = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"video settings of {self.org_id}"


class LiveSeries(models.Model):
    """A weekly series, defined in its host's zone: every occurrence keeps its local hour
    across daylight-saving changes. Occurrences are ``LiveSession`` rows."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="live_series")
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    first_date = models.DateField()
    local_start = models.TimeField()
    duration_minutes = models.PositiveIntegerField()
    occurrences = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"weekly series of unit {self.unit_id}"


class LiveSession(models.Model):
    """One live meeting at a set time (a single class, or one occurrence of a series)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="live_sessions")
    series = models.ForeignKey(
        LiveSeries, on_delete=models.CASCADE, null=True, blank=True, related_name="sessions"
    )
    occurrence = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1, 2, ... within the series."
    )
    title = models.CharField(max_length=200)
    agenda = models.TextField(blank=True, help_text="Markdown.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    moved = models.BooleanField(default=False, help_text="This occurrence left the series' time.")
    ical_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ical_sequence = models.PositiveIntegerField(default=0)
    format = models.CharField(
        max_length=16, choices=SessionFormat.choices, default=SessionFormat.CLASS
    )
    provider = models.CharField(max_length=20, choices=VideoProvider.choices)
    provider_room = models.CharField(
        max_length=120, help_text="The room name the server made; never chosen by a client."
    )
    capacity = models.PositiveIntegerField(null=True, blank=True)
    lobby_minutes = models.PositiveSmallIntegerField(default=10)
    private_chat = models.CharField(
        max_length=8, choices=PrivateChat.choices, default=PrivateChat.HOSTS
    )
    chat_locked = models.BooleanField(default=False)
    attendance_threshold_percent = models.PositiveSmallIntegerField(default=75)
    replay_counts_as_attendance = models.BooleanField(default=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    last_seq = models.PositiveBigIntegerField(
        default=0, help_text="The room's last event number; the next event takes last_seq + 1."
    )
    recording_file = models.FileField(upload_to="recordings/%Y/%m/", blank=True)
    recording_url = models.URLField(blank=True)
    recording_duration_seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["org", "starts_at"], name="live_session_start")]

    def __str__(self) -> str:
        return self.title


class LiveSessionHost(models.Model):
    """An instructor or TA who hosts a session (moderator rights in the room and video)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="hosts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_host_row_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} hosts {self.session_id}"


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

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return self.body[:60]


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


class PresenceInterval(models.Model):
    """One connection's time in the room: joined, and left (NULL while connected).

    Overlapping intervals of one person (two tabs, a reconnect) are merged when minutes
    present are counted, so every reconnect counts once.
    """

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="presence")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    connection_id = models.CharField(max_length=64, unique=True)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The connection's last heartbeat (NULL until the first one). An interval "
        "left open by a server that died is closed at this time, not at the room's close.",
    )

    class Meta:
        ordering = ["joined_at", "id"]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.session_id} from {self.joined_at:%H:%M}"


class Attendance(models.Model):
    """A person's attendance of one session: minutes present and whether it counts."""

    class Source(models.TextChoices):
        LIVE = "live", "Present live"
        REPLAY = "replay", "Attended by replay"
        CORRECTED = "corrected", "Corrected by a host"

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seconds_present = models.PositiveIntegerField(default=0)
    attended = models.BooleanField(default=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.LIVE)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_attendance_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.session_id}: {self.seconds_present} s"


class ReplayViewing(models.Model):
    """How much of a session's recording a person actually played (the replay's progress).

    ``watched_seconds`` grows only by played time bounded by the wall clock between two
    reports (the rule of learning's videos), so seeking to the end never counts as watching.
    """

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="replay_viewings"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    watched_seconds = models.FloatField(default=0.0)
    position_seconds = models.FloatField(default=0.0)
    started_at = models.DateTimeField()
    last_report_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_replay_viewing_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} watched {self.watched_seconds:.0f} s of {self.session_id}"


class CalendarFeed(models.Model):
    """A person's private iCalendar feed: a secret URL, revocable (a new token replaces it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"
