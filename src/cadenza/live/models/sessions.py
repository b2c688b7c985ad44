"""Live sessions at a set time (one class, or the occurrences of a weekly series), their
hosts, and the organization's video settings."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

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
    learners_may_share_screen = models.BooleanField(
        default=False,
        help_text="Learners may share their screen in the built-in video (hosts always may).",
    )
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
