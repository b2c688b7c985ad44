"""Courses and their structure: course -> ordered modules -> ordered units; enrolments.

Draft and published: a course, module or unit with no ``published_at`` is a draft that only
its staff see. Learners see a unit only when it, its module and its course are published.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cadenza.orgs.models import Organization


def open_to_learners(path: str = "") -> Q:
    """The one rule of what learners see: a unit that is published, in a published module of
    a published course. ``path`` leads from the queried model to the unit (``"unit__"`` for a
    live session or a progress row), so every reader filters with this same condition.
    Staff (``Permission.VIEW_DRAFTS``) see drafts too; ``UnitQuerySet.visible_to`` says so."""
    return Q(
        **{
            f"{path}published_at__isnull": False,
            f"{path}module__published_at__isnull": False,
            f"{path}course__published_at__isnull": False,
        }
    )


class UnitQuerySet(models.QuerySet["Unit"]):
    def open_to_learners(self) -> UnitQuerySet:
        """Units a learner may see (``open_to_learners``)."""
        return self.filter(open_to_learners())

    def visible_to(self, *, sees_drafts: bool) -> UnitQuerySet:
        """Units a person may see: all for staff (``sees_drafts``), else the ones open to
        learners. Whether a learner is enrolled is the caller's second question."""
        return self if sees_drafts else self.open_to_learners()


class Course(models.Model):
    """A course in one organization."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="courses")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="Markdown.")
    open_enrolment = models.BooleanField(
        default=False, help_text="Learners of the organization may enrol themselves."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "slug"], name="course_slug_unique_in_org"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Module(models.Model):
    """An ordered part of a course."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="Markdown.")
    position = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class UnitKind(models.TextChoices):
    VIDEO = "video", "Video lecture"
    READING = "reading", "Reading"
    RESOURCE = "resource", "Downloadable resource"
    KNOWLEDGE_CHECK = "knowledge_check", "Knowledge check"
    LIVE_SESSION = "live_session", "Live session"
    ASSIGNMENT = "assignment", "Assignment"


class Unit(models.Model):
    """One step of a module: a video lecture, a reading, a download, a knowledge check, a
    live session or an assignment (whose settings are ``cadenza.assignments``' own rows).

    ``course`` repeats ``module.course`` so a whole outline is one query. Kind-specific
    fields are blank for the other kinds; the actions keep them consistent.
    """

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="units")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="units")
    kind = models.CharField(max_length=20, choices=UnitKind.choices)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    body = models.TextField(blank=True, help_text="Markdown: the reading, or notes for the unit.")
    estimated_minutes = models.PositiveIntegerField(default=5)

    # Video lecture: an uploaded file or an external URL.
    video_file = models.FileField(upload_to="videos/%Y/%m/", blank=True)
    video_url = models.URLField(blank=True)
    video_duration_seconds = models.FloatField(null=True, blank=True)

    # Downloadable resource.
    resource_file = models.FileField(upload_to="resources/%Y/%m/", blank=True)
    resource_name = models.CharField(max_length=255, blank=True)
    resource_content_type = models.CharField(max_length=100, blank=True)
    resource_size = models.PositiveBigIntegerField(default=0)

    # Knowledge check.
    pass_mark_percent = models.PositiveSmallIntegerField(default=70)
    max_attempts = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty for unlimited attempts."
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["course", "module", "position"], name="unit_outline")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_open_to_learners(self) -> bool:
        """``open_to_learners`` for one unit (its module and course loaded with it)."""
        return unit_open_to_learners(self, module=self.module, course=self.course)


def unit_open_to_learners(unit: Unit, *, module: Module, course: Course) -> bool:
    """``open_to_learners`` for one unit whose module and course the caller has at hand (no
    query): the unit, its module and its course are published."""
    return (
        unit.published_at is not None
        and module.published_at is not None
        and course.published_at is not None
    )


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Enrolment(models.Model):
    """A learner's place in a course."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(
        max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["enrolled_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["course", "user"], name="one_enrolment_per_course"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.course}"


MAX_CAPTION_BYTES = 512 * 1024
"""The largest caption file taken: about ten hours of ordinary captions."""


class CaptionTrackFields(models.Model):
    """What every caption track keeps, whatever video it belongs to: a video unit's
    (``CaptionTrack``) or a live session's recording (``live.ReplayCaptionTrack``).

    ``vtt`` is the file as Cadenza wrote it back after checking and sanitizing the upload
    (``cadenza.lib.webvtt``), never the upload itself: that is what the player's track is
    served from (decision 0013). ``transcript`` is the cues' plain text, one line per cue,
    for searching the text; ``transcript_cues`` the same lines with their times, which the
    page shows without parsing the file again. ``language`` is a BCP 47 tag in canonical
    case; a video has one track per language. Written only by ``caption_actions.checked_captions``'s
    callers, so every track is checked the same way.
    """

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=35, help_text="A BCP 47 language tag, such as pt-BR.")
    label = models.CharField(max_length=80, help_text="The name people choose it by.")
    vtt = models.TextField(help_text="The sanitized WebVTT file served to the player.")
    transcript = models.TextField(help_text="The cues' plain text, one line per cue.")
    transcript_cues = models.JSONField(
        default=list, help_text="[start ms, end ms, plain text] of each cue with text."
    )
    cue_count = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["label", "language"]

    def __str__(self) -> str:
        return f"{self.label} ({self.language})"


class CaptionTrack(CaptionTrackFields):
    """A video unit's captions in one language, with their transcript (``CaptionTrackFields``)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="caption_tracks")

    class Meta(CaptionTrackFields.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "language"], name="one_caption_track_per_language"
            ),
        ]
