"""Who was there: each connection's presence, attendance per person, replay watching; and the
recording's captions, which the replay shows."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cadenza.courses.models import CaptionTrackFields
from cadenza.live.models.sessions import LiveSession
from cadenza.orgs.models import Organization


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


class ReplayCaptionTrack(CaptionTrackFields):
    """The captions of a session's recording in one language, with their transcript: the
    same fields and checks as a video unit's (``courses.CaptionTrackFields``, decision 0013),
    for the replay's player and its transcript panel."""

    session = models.ForeignKey(
        LiveSession, on_delete=models.CASCADE, related_name="caption_tracks"
    )

    class Meta(CaptionTrackFields.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["session", "language"], name="one_replay_caption_track_per_language"
            ),
        ]
