"""What people are told about the forums, as events for the notification dispatcher
(``cadenza.notifications``): a new post in a thread or topic they follow, and a mention.

Anonymity holds here too: a peer reads "Anonymous" where staff read the author's name
(``sees_anonymous_authors``); the author is never told about their own post.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.courses.models import Enrolment, EnrolmentStatus
from cadenza.forums.models import Follow, Post
from cadenza.notifications.events import Notice, NotificationEvent
from cadenza.notifications.kinds import NotificationKind, register_kind
from cadenza.orgs.models import Membership, Organization
from cadenza.orgs.policy import Permission, roles_with

NEW_POST = register_kind(
    NotificationKind(key="forums.post", label="New posts in forum threads and topics you follow")
)
MENTIONED = register_kind(
    NotificationKind(key="forums.mention", label="Someone mentions you in a forum post")
)


def _staff_ids(org_id: int) -> set[int]:
    return set(
        Membership.objects.filter(
            org_id=org_id, role__in=roles_with(Permission.MODERATE_FORUMS)
        ).values_list("user_id", flat=True)
    )


def _course_members(post: Post, users: Q) -> list[User]:
    """The people ``users`` selects who still belong to the post's course (actively enrolled,
    or staff of its organization): one query."""
    thread = post.thread
    enrolled = Enrolment.objects.filter(
        course_id=thread.course_id, user=OuterRef("pk"), status=EnrolmentStatus.ACTIVE
    )
    staff = Membership.objects.filter(
        org_id=post.org_id, user=OuterRef("pk"), role__in=roles_with(Permission.VIEW_DRAFTS)
    )
    return list(
        User.objects.filter(users)
        .filter(Exists(enrolled) | Exists(staff))
        .exclude(pk=post.author_id)
        .order_by("pk")
    )


@dataclass(frozen=True, slots=True, eq=False)
class _PostNotice(NotificationEvent):
    post: Post
    people: tuple[User, ...]
    staff_ids: frozenset[int]

    @property
    def org(self) -> Organization:
        return self.post.thread.org

    @property
    def subject(self) -> str:
        return f"forums.thread:{self.post.thread_id}"

    def recipients(self) -> Iterable[User]:
        return self.people

    def _author_for(self, person: User) -> str:
        if self.post.anonymous and person.pk not in self.staff_ids:
            return "Anonymous"
        return self.post.author.name

    def _path(self) -> str:
        thread = self.post.thread
        path = reverse(
            "forum_thread",
            kwargs={
                "org_slug": thread.org.slug,
                "course_slug": thread.course.slug,
                "thread_id": thread.pk,
            },
        )
        return f"{path}#post-{self.post.pk}"


@dataclass(frozen=True, slots=True, eq=False)
class NewPostNotice(_PostNotice):
    kind = NEW_POST

    def notice_for(self, person: User) -> Notice:
        title = self.post.thread.title
        what = "started a thread" if self.post.is_opening else "replied"
        return Notice(
            title=f"{self._author_for(person)} {what}: “{title}”",
            body=self.post.body[:300],
            path=self._path(),
            bundled_title=f"{{count}} new posts in “{title}”",
        )

    def dedupe_key(self, person: User) -> str:
        return f"forums.post:{self.post.pk}:{person.pk}"


@dataclass(frozen=True, slots=True, eq=False)
class MentionNotice(_PostNotice):
    kind = MENTIONED

    def notice_for(self, person: User) -> Notice:
        return Notice(
            title=f"{self._author_for(person)} mentioned you in “{self.post.thread.title}”",
            body=self.post.body[:300],
            path=self._path(),
        )

    def dedupe_key(self, person: User) -> str:
        return f"forums.mention:{self.post.pk}:{person.pk}"


def new_post_notice(post: Post) -> NewPostNotice:
    """Everyone following the post's thread (or, for a new thread, its topic) but the
    author, among the course's members."""
    followed = Q(thread_id=post.thread_id)
    if post.is_opening:
        followed |= Q(topic_id=post.thread.topic_id)
    followers = Follow.objects.filter(followed)
    people = _course_members(post, Q(pk__in=followers.values("user_id")))
    return NewPostNotice(
        post=post, people=tuple(people), staff_ids=frozenset(_staff_ids(post.org_id))
    )


def mention_notice(post: Post, user_ids: list[int]) -> MentionNotice:
    """The members just mentioned in ``post`` (ids from new ``Mention`` rows)."""
    people = _course_members(post, Q(pk__in=user_ids))
    return MentionNotice(
        post=post, people=tuple(people), staff_ids=frozenset(_staff_ids(post.org_id))
    )
