"""Every write of the forums: plain functions, one transaction each, named by what happens.

Each takes the acting person's ``OrgContext`` and objects already fetched through the
selectors' ``access_*`` (so tenancy and visibility are settled); the rules about who may do
what are asked of ``cadenza.orgs.policy``. A refusal raises before anything is written
(``PermissionDenied`` for the role, ``ForumRefusal`` for the state of things).

Notifications go through the one dispatcher (``cadenza.notifications``, ``forums.notices``),
in the action's transaction: a new post tells the followers of its thread (a new thread also
those of its topic), a mention tells the member named.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cadenza.activity.actions import LearningObject, record
from cadenza.activity.verbs import Verb
from cadenza.courses.models import Course, Unit
from cadenza.forums.mentions import mentioned_members
from cadenza.forums.models import (
    Follow,
    Mention,
    Post,
    PostRevision,
    ReadMarker,
    Report,
    Thread,
    ThreadKind,
    Topic,
    TopicKind,
    Vote,
)
from cadenza.forums.notices import mention_notice, new_post_notice
from cadenza.forums.selectors import ForumPlace
from cadenza.lib.errors import DomainError
from cadenza.notifications.actions.dispatch import dispatch
from cadenza.orgs.policy import (
    Permission,
    may_accept_answer,
    may_delete_post,
    may_edit_post,
    may_moderate_forums,
    may_post_in_thread,
)
from cadenza.orgs.selectors import OrgContext


class ForumRefusal(DomainError):
    """A forum write refused by the state of things (a locked thread, a closed topic ...)."""


def _require_moderator(ctx: OrgContext) -> None:
    if not may_moderate_forums(ctx.role):
        raise PermissionDenied("Your role does not allow this (moderate_forums).")


def _topic_row(place: ForumPlace) -> Topic:
    """The place's topic row, made on first use."""
    if place.topic is not None:
        return place.topic
    topic, _ = Topic.objects.get_or_create(
        org_id=place.course.org_id,
        course=place.course,
        kind=place.kind,
        module=place.module,
        unit=place.unit,
        defaults={"discussion_open": place.kind != TopicKind.UNIT},
    )
    place.topic = topic
    return topic


def _post_object(ctx: OrgContext, post: Post) -> LearningObject:
    return LearningObject(
        type="forum_post",
        id=str(post.pk),
        iri=f"urn:cadenza:{ctx.org.slug}:forum-post:{post.pk}",
        name=post.thread.title,
    )


def _after_writing(ctx: OrgContext, post: Post, *, course: Course, at: datetime) -> None:
    """What every new post brings: the author follows the thread and has read it, the
    members it mentions are recorded, and the learning record says who posted."""
    Follow.objects.get_or_create(org=ctx.org, user=ctx.user, thread=post.thread)
    ReadMarker.objects.update_or_create(
        org=ctx.org, user=ctx.user, thread=post.thread, defaults={"read_at": at}
    )
    dispatch(new_post_notice(post))
    _record_mentions(post, course=course)
    record(
        org=ctx.org,
        actor=ctx.user,
        verb=Verb.COMMENTED,
        obj=_post_object(ctx, post),
        event_key=f"forum-post:{post.pk}",
        context={"extensions": {"urn:cadenza:forum:thread": post.thread_id}},
        timestamp=at,
    )


def _record_mentions(post: Post, *, course: Course) -> None:
    """Record the course members the post names, and tell those named for the first time."""
    members = mentioned_members(course=course, body=post.body)
    known = set(Mention.objects.filter(post=post).values_list("user_id", flat=True))
    new = [user for user in members if user.pk not in known]
    Mention.objects.bulk_create(
        [Mention(org_id=post.org_id, post=post, user=user) for user in new],
        ignore_conflicts=True,
    )
    if new:
        dispatch(mention_notice(post, [user.pk for user in new]))


@transaction.atomic
def start_thread(
    ctx: OrgContext,
    *,
    place: ForumPlace,
    kind: ThreadKind,
    title: str,
    body: str,
    anonymous: bool = False,
) -> Thread:
    """Open a question or discussion in a topic; its author follows it."""
    if not place.discussion_open:
        raise ForumRefusal("Discussion is turned off for this unit.")
    now = timezone.now()
    topic = _topic_row(place)
    thread = Thread.objects.create(
        org=ctx.org,
        course=place.course,
        topic=topic,
        kind=kind,
        title=title,
        author=ctx.user,
        anonymous=anonymous,
        created_at=now,
        last_activity_at=now,
    )
    post = Post.objects.create(
        org=ctx.org,
        thread=thread,
        is_opening=True,
        author=ctx.user,
        anonymous=anonymous,
        body=body,
        created_at=now,
    )
    _after_writing(ctx, post, course=place.course, at=now)
    return thread


@transaction.atomic
def post_reply(
    ctx: OrgContext,
    *,
    thread: Thread,
    body: str,
    parent: Post | None = None,
    anonymous: bool = False,
) -> Post:
    """Reply to a thread, or comment on a reply (``parent``): one level of nesting."""
    if not may_post_in_thread(ctx.role, thread_locked=thread.locked):
        raise ForumRefusal("This thread is locked.")
    if parent is not None and (
        parent.thread_id != thread.pk
        or parent.is_opening
        or parent.parent_id is not None
        or parent.deleted_at is not None
    ):
        raise ForumRefusal("You can comment on a reply of this thread only.")
    now = timezone.now()
    post = Post.objects.create(
        org=ctx.org,
        thread=thread,
        parent=parent,
        author=ctx.user,
        anonymous=anonymous,
        body=body,
        created_at=now,
    )
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=F("reply_count") + 1, last_activity_at=now
    )
    thread.reply_count += 1
    thread.last_activity_at = now
    _after_writing(ctx, post, course=thread.course, at=now)
    return post


@transaction.atomic
def edit_post(ctx: OrgContext, *, post: Post, body: str, title: str | None = None) -> Post:
    """Change a post's text (and an opening post's thread title); what it said before is
    kept as a ``PostRevision``. Newly mentioned members are recorded."""
    thread = post.thread
    if not may_edit_post(
        ctx.role, is_author=post.author_id == ctx.user.pk, thread_locked=thread.locked
    ):
        raise PermissionDenied("You may not edit this post.")
    new_title = title if (title is not None and post.is_opening) else thread.title
    if body == post.body and new_title == thread.title:
        return post
    now = timezone.now()
    PostRevision.objects.create(
        org=post.org,
        post=post,
        title=thread.title if post.is_opening else "",
        body=post.body,
        written_at=post.edited_at or post.created_at,
        replaced_by=ctx.user,
        replaced_at=now,
    )
    post.body = body
    post.edited_at = now
    post.save(update_fields=["body", "edited_at"])
    if new_title != thread.title:
        thread.title = new_title
        thread.save(update_fields=["title"])
    _record_mentions(post, course=thread.course)
    return post


@transaction.atomic
def delete_post(ctx: OrgContext, *, post: Post) -> None:
    """Soft-delete a post (its row and history stay); deleting the opening post deletes the
    thread. An accepted or endorsed answer that goes leaves the question unanswered again
    unless another answer still counts."""
    if not may_delete_post(ctx.role, is_author=post.author_id == ctx.user.pk):
        raise PermissionDenied("You may not delete this post.")
    now = timezone.now()
    post.deleted_at = now
    post.deleted_by = ctx.user
    post.save(update_fields=["deleted_at", "deleted_by"])
    thread = post.thread
    if post.is_opening:
        thread.deleted_at = now
        thread.save(update_fields=["deleted_at"])
        return
    if post.parent_id is None:
        thread.reply_count = max(0, thread.reply_count - 1)
    if thread.accepted_post_id == post.pk:
        thread.accepted_post = None
    _refresh_answered(thread)
    thread.save(update_fields=["reply_count", "accepted_post", "answered"])


def _refresh_answered(thread: Thread) -> None:
    """A question is answered while a reply of it is endorsed or accepted (not deleted)."""
    endorsed = Post.objects.filter(
        thread=thread, endorsed_at__isnull=False, deleted_at__isnull=True, is_opening=False
    ).exists()
    thread.answered = thread.is_question and (thread.accepted_post_id is not None or endorsed)


def _reply_of(thread: Thread, post: Post) -> None:
    if post.is_opening or post.parent_id is not None or post.thread_id != thread.pk:
        raise ForumRefusal("Only a reply to the thread can be an answer.")


@transaction.atomic
def set_endorsed(ctx: OrgContext, *, post: Post, endorsed: bool) -> Post:
    """Staff endorse a reply (or take it back); an endorsed reply answers a question."""
    _require_moderator(ctx)
    thread = post.thread
    _reply_of(thread, post)
    post.endorsed_at = timezone.now() if endorsed else None
    post.endorsed_by = ctx.user if endorsed else None
    post.save(update_fields=["endorsed_at", "endorsed_by"])
    _refresh_answered(thread)
    thread.save(update_fields=["answered"])
    return post


@transaction.atomic
def set_accepted(ctx: OrgContext, *, post: Post, accepted: bool) -> Thread:
    """The asker accepts a reply as the answer to their question (one at a time), or takes
    the acceptance back."""
    thread = post.thread
    if not may_accept_answer(ctx.role, is_asker=thread.author_id == ctx.user.pk):
        raise PermissionDenied("Only the person who asked may accept an answer.")
    if not thread.is_question:
        raise ForumRefusal("Only a question has an accepted answer.")
    _reply_of(thread, post)
    if accepted:
        thread.accepted_post = post
    elif thread.accepted_post_id == post.pk:
        thread.accepted_post = None
    _refresh_answered(thread)
    thread.save(update_fields=["accepted_post", "answered"])
    return thread


@transaction.atomic
def set_vote(ctx: OrgContext, *, post: Post, voted: bool) -> Post:
    """Upvote a post or take the vote back: one vote per person, so repeating is a no-op."""
    if voted:
        _, made = Vote.objects.get_or_create(org=ctx.org, post=post, user=ctx.user)
        changed = 1 if made else 0
    else:
        deleted, _ = Vote.objects.filter(post=post, user=ctx.user).delete()
        changed = -deleted
    if changed:
        Post.objects.filter(pk=post.pk).update(upvote_count=F("upvote_count") + changed)
        post.refresh_from_db(fields=["upvote_count"])
    return post


@transaction.atomic
def set_pinned(ctx: OrgContext, *, thread: Thread, pinned: bool) -> Thread:
    """Staff pin a thread to the top of its topic, or unpin it."""
    _require_moderator(ctx)
    thread.pinned = pinned
    thread.save(update_fields=["pinned"])
    return thread


@transaction.atomic
def set_locked(ctx: OrgContext, *, thread: Thread, locked: bool) -> Thread:
    """Staff lock a thread (no new replies or edits by members), or open it again."""
    _require_moderator(ctx)
    thread.locked = locked
    thread.save(update_fields=["locked"])
    return thread


@transaction.atomic
def set_unit_discussion(ctx: OrgContext, *, place: ForumPlace, open: bool) -> Topic:
    """Staff turn a unit's thread list on or off (its threads stay; off hides them from
    learners)."""
    ctx.require(Permission.MODERATE_FORUMS)
    if place.kind != TopicKind.UNIT or not isinstance(place.unit, Unit):
        raise ForumRefusal("Only a unit's discussion can be turned on or off.")
    topic = _topic_row(place)
    topic.discussion_open = open
    topic.save(update_fields=["discussion_open"])
    return topic


@transaction.atomic
def set_following_thread(ctx: OrgContext, *, thread: Thread, following: bool) -> None:
    if following:
        Follow.objects.get_or_create(org=ctx.org, user=ctx.user, thread=thread)
    else:
        Follow.objects.filter(user=ctx.user, thread=thread).delete()


@transaction.atomic
def set_following_topic(ctx: OrgContext, *, place: ForumPlace, following: bool) -> None:
    if following:
        if not place.discussion_open:
            raise ForumRefusal("Discussion is turned off for this unit.")
        Follow.objects.get_or_create(org=ctx.org, user=ctx.user, topic=_topic_row(place))
    elif place.topic is not None:
        Follow.objects.filter(user=ctx.user, topic=place.topic).delete()


def mark_read(ctx: OrgContext, *, thread: Thread) -> None:
    """The person has seen the thread as it is now: one UPDATE once they have a marker."""
    now = timezone.now()
    if not ReadMarker.objects.filter(user=ctx.user, thread=thread).update(read_at=now):
        ReadMarker.objects.get_or_create(
            org=ctx.org, user=ctx.user, thread=thread, defaults={"read_at": now}
        )


@transaction.atomic
def report_post(ctx: OrgContext, *, post: Post, reason: str) -> Report:
    """Report a post to the moderators (once while the report is open)."""
    if post.author_id == ctx.user.pk:
        raise ForumRefusal("You cannot report your own post.")
    if Report.objects.filter(post=post, reporter=ctx.user, resolved_at__isnull=True).exists():
        raise ForumRefusal("You have already reported this post.")
    return Report.objects.create(
        org=ctx.org, post=post, reporter=ctx.user, reason=reason, created_at=timezone.now()
    )


@transaction.atomic
def resolve_report(ctx: OrgContext, *, report: Report, remove_post: bool) -> Report:
    """A moderator closes a report, removing the post or dismissing the report; every open
    report of the same post is closed with it."""
    _require_moderator(ctx)
    post = report.post
    if remove_post and post.deleted_at is None:
        delete_post(ctx, post=post)
    resolution = "removed" if remove_post else "dismissed"
    Report.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=ctx.user, resolution=resolution
    )
    report.refresh_from_db()
    return report
