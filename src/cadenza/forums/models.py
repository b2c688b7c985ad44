"""Discussion forums: a course's topics, their threads, posts, votes, follows and reports.

A course has a general topic, one topic per module and, where its staff turn discussion on,
one beside a unit. Topic rows are made on the first write that needs one (a thread, a follow,
the unit switch), so a course without discussion has no forum rows at all.

A thread's opening text is its first ``Post`` (``parent`` empty, ``is_opening``); replies are
posts with an empty ``parent`` and comments on a reply name it as ``parent`` (one level of
nesting, which the actions keep). Nothing here is ever deleted by a person: a deleted post or
thread keeps its row with ``deleted_at`` (soft delete), and an edit appends a ``PostRevision``
with the text it replaced (append-only history).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from cadenza.courses.models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    Module,
    Unit,
    open_to_learners,
)
from cadenza.orgs.models import Organization


class TopicKind(models.TextChoices):
    GENERAL = "general", "General"
    MODULE = "module", "Module"
    UNIT = "unit", "Unit"


class Topic(models.Model):
    """Where threads are started: the course's general topic, a module's or a unit's.

    ``discussion_open`` is the staff's switch for a unit's thread list; general and module
    topics are always open.
    """

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="forum_topics")
    kind = models.CharField(max_length=10, choices=TopicKind.choices)
    module = models.ForeignKey(Module, on_delete=models.CASCADE, null=True, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, related_name="+")
    discussion_open = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(kind="general"),
                name="forum_one_general_topic_per_course",
            ),
            models.UniqueConstraint(
                fields=["module"], condition=Q(kind="module"), name="forum_one_topic_per_module"
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(kind="unit"), name="forum_one_topic_per_unit"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="general", module__isnull=True, unit__isnull=True)
                    | Q(kind="module", module__isnull=False, unit__isnull=True)
                    | Q(kind="unit", unit__isnull=False)
                ),
                name="forum_topic_kind_matches_its_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} topic of {self.course_id}"

    @property
    def key(self) -> str:
        """The topic as its URL names it: ``general``, ``module-<id>``, ``unit-<id>``."""
        if self.kind == TopicKind.MODULE:
            return f"module-{self.module_id}"
        if self.kind == TopicKind.UNIT:
            return f"unit-{self.unit_id}"
        return "general"


class ThreadKind(models.TextChoices):
    QUESTION = "question", "Question"
    DISCUSSION = "discussion", "Discussion"


class ThreadQuerySet(models.QuerySet["Thread"]):
    def visible_to(self, *, user_id: int, staff: bool) -> ThreadQuerySet:
        """The one rule of who sees a thread (every page, API answer and search uses it):
        never a deleted one; staff (``Permission.VIEW_DRAFTS``) every other thread of their
        organization's courses; a learner those of published courses they are actively
        enrolled in, in the general topic, a published module's topic, or the topic of a
        unit open to learners whose discussion is on. The caller scopes to the organization.
        """
        threads = self.filter(deleted_at__isnull=True)
        if staff:
            return threads
        enrolled = Enrolment.objects.filter(
            course=OuterRef("course"), user_id=user_id, status=EnrolmentStatus.ACTIVE
        )
        return threads.filter(
            Exists(enrolled),
            Q(topic__kind=TopicKind.GENERAL)
            | Q(topic__kind=TopicKind.MODULE, topic__module__published_at__isnull=False)
            | (
                Q(topic__kind=TopicKind.UNIT, topic__discussion_open=True)
                & open_to_learners("topic__unit__")
            ),
            course__published_at__isnull=False,
        )


class Thread(models.Model):
    """A question or a discussion in a topic.

    ``course`` repeats ``topic.course`` so that a course's or an organization's threads are
    one indexed query. ``answered`` is true once a reply is endorsed by staff or accepted by
    the asker (the actions keep it); ``last_activity_at`` moves with every new post and is
    what unread markers compare against.
    """

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="threads")
    kind = models.CharField(max_length=12, choices=ThreadKind.choices)
    title = models.CharField(max_length=200)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    anonymous = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    answered = models.BooleanField(default=False)
    accepted_post = models.ForeignKey(
        "Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reply_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-last_activity_at", "-id"]
        indexes = [
            models.Index(fields=["topic", "pinned", "last_activity_at"], name="forum_topic_list"),
            models.Index(fields=["org", "kind", "answered", "created_at"], name="forum_unanswered"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_question(self) -> bool:
        return self.kind == ThreadKind.QUESTION


class Post(models.Model):
    """A thread's opening text, a reply (no ``parent``) or a comment on a reply (``parent``)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    is_opening = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    anonymous = models.BooleanField(default=False)
    body = models.TextField(help_text="Markdown, as the author wrote it.")
    upvote_count = models.PositiveIntegerField(default=0)
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    endorsed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="forum_thread_posts")]
        constraints = [
            models.UniqueConstraint(
                fields=["thread"],
                condition=Q(is_opening=True),
                name="forum_one_opening_post_per_thread",
            ),
        ]

    def __str__(self) -> str:
        return f"post {self.pk} in thread {self.thread_id}"


class PostRevision(models.Model):
    """What a post (and, for an opening post, its thread's title) said before an edit.
    Append-only: rows are written by ``edit_post`` and never changed."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    written_at = models.DateTimeField(help_text="When this text was written (post or last edit).")
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["replaced_at", "id"]

    def __str__(self) -> str:
        return f"revision of post {self.post_id}"


class Vote(models.Model):
    """One person's upvote of a post (one per person; pressing again takes it back)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="forum_one_vote_per_person"),
        ]

    def __str__(self) -> str:
        return f"vote of {self.user_id} for post {self.post_id}"


class Follow(models.Model):
    """A person follows a thread or a whole topic (exactly one of the two)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, null=True, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=False, topic__isnull=True)
                | Q(thread__isnull=True, topic__isnull=False),
                name="forum_follow_thread_or_topic",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="forum_one_follow_per_thread",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"],
                condition=Q(topic__isnull=False),
                name="forum_one_follow_per_topic",
            ),
        ]

    def __str__(self) -> str:
        return f"follow by {self.user_id}"


class ReadMarker(models.Model):
    """Until when a person has read a thread: newer activity shows it unread to them."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_markers")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="forum_one_marker_per_thread"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read thread {self.thread_id}"


class Mention(models.Model):
    """A course member named with ``@`` in a post: recorded for the notification centre."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="forum_one_mention_per_post"),
        ]

    def __str__(self) -> str:
        return f"mention of {self.user_id} in post {self.post_id}"


class Report(models.Model):
    """A member's report of a post to the moderators; open until a moderator resolves it."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolution = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="forum_one_open_report_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"report of post {self.post_id}"
