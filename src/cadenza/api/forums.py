"""A course's discussion forum: topics, threads, posts, votes, answers, follows, reports,
search, and the staff's unanswered and moderation queues.

The same selectors and actions as the forum's pages, so the API sees and does no more:
another organization's thread, a course the learner is not enrolled in or a unit whose
discussion is off all answer 404; a role that may not moderate answers 403. An anonymous
post's author is ``null`` (named "Anonymous") to peers, never to staff.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Field as SchemaField
from ninja import P, QueryEx, Router, Schema, Status

from cadenza.api.bodies import Body, Name, PatchBody, Prose, unset
from cadenza.api.common import ERRORS, member_context
from cadenza.forums import actions, selectors
from cadenza.forums.forms import MAX_BODY
from cadenza.forums.models import Post, Report, Thread, ThreadKind
from cadenza.forums.selectors import Author, ForumPlace, Listing, PostView, ThreadRow
from cadenza.orgs.selectors import OrgContext

router = Router(tags=["forums"])

COURSE_FORUM = "/orgs/{org}/courses/{course}/forum"
TOPIC = COURSE_FORUM + "/topics/{topic}"
THREAD = "/orgs/{org}/forum/threads/{thread}"
POST = "/orgs/{org}/forum/posts/{post}"
PageNumber = QueryEx[int, P(ge=1, le=1_000_000, description="The page, from 1.")]


class AuthorOut(Schema):
    """``id`` null and ``name`` "Anonymous" when the post is anonymous and you are a peer."""

    id: int | None
    name: str
    anonymous: bool


class TopicOut(Schema):
    key: str = SchemaField(description="general, module-<id> or unit-<id>.")
    kind: str
    title: str
    discussion_open: bool
    thread_count: int
    unread_count: int


class ThreadSummaryOut(Schema):
    id: int
    course: str
    topic: str
    kind: str
    title: str
    author: AuthorOut
    pinned: bool
    locked: bool
    answered: bool
    reply_count: int
    created_at: datetime
    last_activity_at: datetime
    unread: bool


class ThreadListOut(Schema):
    count: int
    page: int
    pages: int
    threads: list[ThreadSummaryOut]


class PostOut(Schema):
    """A post; a deleted one keeps its place (``deleted``) without author or text."""

    id: int
    parent: int | None
    opening: bool
    author: AuthorOut | None
    body: str
    body_html: str
    upvotes: int
    voted: bool
    endorsed: bool
    accepted: bool
    deleted: bool
    created_at: datetime
    edited_at: datetime | None
    comments: list[PostOut]


class ThreadOut(Schema):
    id: int
    course: str
    topic: str
    kind: str
    title: str
    pinned: bool
    locked: bool
    answered: bool
    following: bool
    opening: PostOut
    replies: list[PostOut]


class RevisionOut(Schema):
    title: str
    body: str
    written_at: datetime
    replaced_by: AuthorOut | None


class SearchHitOut(Schema):
    post: int
    thread: int
    title: str
    author: AuthorOut
    snippet_html: str = SchemaField(description="Escaped text; matches inside <mark>.")
    created_at: datetime


class SearchOut(Schema):
    count: int
    page: int
    pages: int
    results: list[SearchHitOut]


class ReportOut(Schema):
    id: int
    post: int
    thread: int
    course: str
    post_author: AuthorOut
    post_body: str
    reporter: AuthorOut
    reason: str
    created_at: datetime
    resolution: str


class ThreadIn(Body):
    kind: ThreadKind
    title: Name = SchemaField(max_length=200)
    body: Prose = SchemaField(max_length=MAX_BODY, description="Markdown.")
    anonymous: bool = SchemaField(False, description="Anonymous to other learners, not staff.")


class ReplyIn(Body):
    body: Prose = SchemaField(max_length=MAX_BODY, description="Markdown.")
    parent: int | None = SchemaField(
        None, ge=1, le=2**62, description="A reply to comment on (one level)."
    )
    anonymous: bool = False


class ThreadPatch(PatchBody):
    """Staff: ``pinned``, ``locked``. Anyone who sees the thread: ``following``, ``read``
    (true: you have read it as it is now)."""

    pinned: bool = unset()
    locked: bool = unset()
    following: bool = unset()
    read: bool = unset()


class PostPatch(PatchBody):
    body: Prose = unset(max_length=MAX_BODY, description="Markdown.")
    title: Name = unset(max_length=200, description="Only an opening post's thread has one.")


class SwitchIn(Body):
    on: bool


class ReportIn(Body):
    reason: Prose = SchemaField(max_length=1000)


class ResolveIn(Body):
    remove_post: bool


def _author(author: Author) -> AuthorOut:
    return AuthorOut(id=author.id, name=author.name, anonymous=author.anonymous)


def _summary(row: ThreadRow) -> ThreadSummaryOut:
    thread = row.thread
    return ThreadSummaryOut(
        id=thread.pk,
        course=thread.course.slug,
        topic=thread.topic.key,
        kind=thread.kind,
        title=thread.title,
        author=_author(row.author),
        pinned=thread.pinned,
        locked=thread.locked,
        answered=thread.answered,
        reply_count=thread.reply_count,
        created_at=thread.created_at,
        last_activity_at=thread.last_activity_at,
        unread=row.unread,
    )


def _thread_list(found: Listing[ThreadRow]) -> ThreadListOut:
    return ThreadListOut(
        count=found.count,
        page=found.number,
        pages=found.num_pages,
        threads=[_summary(row) for row in found.items],
    )


def _post_out(view: PostView) -> PostOut:
    post = view.post
    return PostOut(
        id=post.pk,
        parent=post.parent_id,
        opening=post.is_opening,
        author=_author(view.author) if view.author else None,
        body="" if view.deleted else post.body,
        body_html=str(view.body_html),
        upvotes=post.upvote_count,
        voted=view.voted,
        endorsed=view.endorsed,
        accepted=view.accepted,
        deleted=view.deleted,
        created_at=post.created_at,
        edited_at=post.edited_at,
        comments=[_post_out(comment) for comment in view.comments],
    )


def _thread_out(ctx: OrgContext, thread: Thread) -> ThreadOut:
    page = selectors.thread_page(ctx, thread)
    return ThreadOut(
        id=thread.pk,
        course=thread.course.slug,
        topic=thread.topic.key,
        kind=thread.kind,
        title=thread.title,
        pinned=thread.pinned,
        locked=thread.locked,
        answered=thread.answered,
        following=bool(getattr(thread, "following", False)),
        opening=_post_out(page.opening),
        replies=[_post_out(reply) for reply in page.replies],
    )


def _place(
    request: HttpRequest, org: str, course: str, topic: str
) -> tuple[OrgContext, ForumPlace]:
    ctx = member_context(request, org)
    found = selectors.access_forum_course(ctx, slug=course)
    return ctx, selectors.access_place(ctx, course=found, key=topic)


def _thread(request: HttpRequest, org: str, thread: int) -> tuple[OrgContext, Thread]:
    ctx = member_context(request, org)
    return ctx, selectors.access_thread(ctx, thread_id=thread)


def _post(request: HttpRequest, org: str, post: int) -> tuple[OrgContext, Post]:
    ctx = member_context(request, org)
    return ctx, selectors.access_post(ctx, post_id=post)


@router.get(COURSE_FORUM + "/topics", response={200: list[TopicOut], **ERRORS})
def list_topics(request: HttpRequest, org: str, course: str) -> list[TopicOut]:
    """The course's topics: general, each module, and the units (for learners, those whose
    discussion is on), with thread and unread counts."""
    ctx = member_context(request, org)
    found = selectors.access_forum_course(ctx, slug=course)
    return [
        TopicOut(
            key=entry.place.key,
            kind=entry.place.kind,
            title=entry.place.title,
            discussion_open=entry.place.discussion_open,
            thread_count=entry.thread_count,
            unread_count=entry.unread_count,
        )
        for entry in selectors.topic_list(ctx, found)
    ]


@router.get(TOPIC + "/threads", response={200: ThreadListOut, **ERRORS})
def list_threads(
    request: HttpRequest, org: str, course: str, topic: str, page: PageNumber = 1
) -> ThreadListOut:
    """A topic's threads, pinned first, then the latest active; 25 a page."""
    ctx, place = _place(request, org, course, topic)
    return _thread_list(selectors.topic_threads(ctx, place, page=page))


@router.post(TOPIC + "/threads", response={201: ThreadOut, **ERRORS})
def start_thread(
    request: HttpRequest, org: str, course: str, topic: str, payload: ThreadIn
) -> Status[ThreadOut]:
    """Start a question or a discussion; you follow it."""
    ctx, place = _place(request, org, course, topic)
    thread = actions.start_thread(
        ctx,
        place=place,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        anonymous=payload.anonymous,
    )
    return Status(201, _thread_out(ctx, selectors.access_thread(ctx, thread_id=thread.pk)))


@router.put(TOPIC + "/discussion", response={200: TopicOut, **ERRORS})
def set_discussion(
    request: HttpRequest, org: str, course: str, topic: str, payload: SwitchIn
) -> TopicOut:
    """Staff: turn a unit's discussion on or off."""
    ctx, place = _place(request, org, course, topic)
    actions.set_unit_discussion(ctx, place=place, open=payload.on)
    return TopicOut(
        key=place.key,
        kind=place.kind,
        title=place.title,
        discussion_open=place.discussion_open,
        thread_count=0,
        unread_count=0,
    )


@router.put(TOPIC + "/following", response={204: None, **ERRORS})
def follow_topic(
    request: HttpRequest, org: str, course: str, topic: str, payload: SwitchIn
) -> Status[None]:
    """Follow a topic (every new thread in it), or stop."""
    ctx, place = _place(request, org, course, topic)
    actions.set_following_topic(ctx, place=place, following=payload.on)
    return Status(204, None)


@router.get(COURSE_FORUM + "/search", response={200: SearchOut, **ERRORS})
def search(
    request: HttpRequest,
    org: str,
    course: str,
    q: QueryEx[str, P(min_length=1, max_length=200, pattern=r"\S", description="Words.")],
    page: PageNumber = 1,
) -> SearchOut:
    """Posts matching ``q`` in threads you see: ranked full-text search on PostgreSQL, a
    substring match (newest first) on SQLite; 20 a page."""
    ctx = member_context(request, org)
    found = selectors.access_forum_course(ctx, slug=course)
    hits = selectors.search_posts(ctx, found, q, page=page)
    return SearchOut(
        count=hits.count,
        page=hits.number,
        pages=hits.num_pages,
        results=[
            SearchHitOut(
                post=hit.post.pk,
                thread=hit.thread.pk,
                title=hit.thread.title,
                author=_author(hit.author),
                snippet_html=str(hit.snippet),
                created_at=hit.post.created_at,
            )
            for hit in hits.items
        ],
    )


@router.get(THREAD, response={200: ThreadOut, **ERRORS})
def read_thread(request: HttpRequest, org: str, thread: int) -> ThreadOut:
    """A thread with its replies and their comments (reading it here does not mark it
    read: ``PATCH`` with ``read: true``)."""
    ctx, found = _thread(request, org, thread)
    return _thread_out(ctx, found)


@router.patch(THREAD, response={200: ThreadOut, **ERRORS})
def change_thread(request: HttpRequest, org: str, thread: int, payload: ThreadPatch) -> ThreadOut:
    """Pin or lock (staff), follow, or mark read."""
    ctx, found = _thread(request, org, thread)
    changes = payload.changes()
    if "pinned" in changes:
        actions.set_pinned(ctx, thread=found, pinned=changes["pinned"])
    if "locked" in changes:
        actions.set_locked(ctx, thread=found, locked=changes["locked"])
    if "following" in changes:
        actions.set_following_thread(ctx, thread=found, following=changes["following"])
    if changes.get("read"):
        actions.mark_read(ctx, thread=found)
    return _thread_out(ctx, selectors.access_thread(ctx, thread_id=found.pk))


@router.post(THREAD + "/posts", response={201: PostOut, **ERRORS})
def reply(request: HttpRequest, org: str, thread: int, payload: ReplyIn) -> Status[PostOut]:
    """Reply to the thread, or comment on one of its replies (``parent``)."""
    ctx, found = _thread(request, org, thread)
    parent = selectors.access_post(ctx, post_id=payload.parent) if payload.parent else None
    post = actions.post_reply(
        ctx, thread=found, body=payload.body, parent=parent, anonymous=payload.anonymous
    )
    return Status(201, _one_post(ctx, post.pk))


def _one_post(ctx: OrgContext, post_id: int) -> PostOut:
    post = selectors.access_post(ctx, post_id=post_id)
    thread = selectors.access_thread(ctx, thread_id=post.thread_id)
    page = selectors.thread_page(ctx, thread)
    every = [page.opening, *page.replies, *(c for r in page.replies for c in r.comments)]
    view = next(view for view in every if view.post.pk == post_id)
    return _post_out(view)


@router.patch(POST, response={200: PostOut, **ERRORS})
def edit(request: HttpRequest, org: str, post: int, payload: PostPatch) -> PostOut:
    """Edit a post (the text it replaces is kept in its history)."""
    ctx, found = _post(request, org, post)
    changes = payload.changes()
    actions.edit_post(
        ctx, post=found, body=changes.get("body", found.body), title=changes.get("title")
    )
    return _one_post(ctx, found.pk)


@router.delete(POST, response={204: None, **ERRORS})
def delete(request: HttpRequest, org: str, post: int) -> Status[None]:
    """Delete a post (an opening post deletes its thread)."""
    ctx, found = _post(request, org, post)
    actions.delete_post(ctx, post=found)
    return Status(204, None)


@router.get(POST + "/history", response={200: list[RevisionOut], **ERRORS})
def history(request: HttpRequest, org: str, post: int) -> list[RevisionOut]:
    """What the post said before each edit, oldest first."""
    ctx, found = _post(request, org, post)
    return [
        RevisionOut(
            title=revision.title,
            body=revision.body,
            written_at=revision.written_at,
            replaced_by=_author(revision.replaced_by) if revision.replaced_by else None,
        )
        for revision in selectors.post_history(ctx, found)
    ]


@router.put(POST + "/vote", response={200: PostOut, **ERRORS})
def vote(request: HttpRequest, org: str, post: int, payload: SwitchIn) -> PostOut:
    """Upvote (``on``) or take your vote back: one per person."""
    ctx, found = _post(request, org, post)
    actions.set_vote(ctx, post=found, voted=payload.on)
    return _one_post(ctx, found.pk)


@router.put(POST + "/endorsement", response={200: PostOut, **ERRORS})
def endorse(request: HttpRequest, org: str, post: int, payload: SwitchIn) -> PostOut:
    """Staff: endorse a reply as a good answer, or withdraw it."""
    ctx, found = _post(request, org, post)
    actions.set_endorsed(ctx, post=found, endorsed=payload.on)
    return _one_post(ctx, found.pk)


@router.put(POST + "/acceptance", response={200: PostOut, **ERRORS})
def accept(request: HttpRequest, org: str, post: int, payload: SwitchIn) -> PostOut:
    """The asker: accept a reply as the answer to the question, or withdraw it."""
    ctx, found = _post(request, org, post)
    actions.set_accepted(ctx, post=found, accepted=payload.on)
    return _one_post(ctx, found.pk)


@router.post(POST + "/reports", response={201: ReportOut, **ERRORS})
def report(request: HttpRequest, org: str, post: int, payload: ReportIn) -> Status[ReportOut]:
    """Report a post to the moderators."""
    ctx, found = _post(request, org, post)
    made = actions.report_post(ctx, post=found, reason=payload.reason)
    return Status(201, _report_out(ctx, made))


def _report_out(ctx: OrgContext, report: Report) -> ReportOut:
    post = report.post
    return ReportOut(
        id=report.pk,
        post=post.pk,
        thread=post.thread_id,
        course=post.thread.course.slug,
        post_author=_author(
            selectors.shown_author(ctx, author=post.author, anonymous=post.anonymous)
        ),
        post_body=post.body,
        reporter=_author(selectors.shown_author(ctx, author=report.reporter, anonymous=False)),
        reason=report.reason,
        created_at=report.created_at,
        resolution=report.resolution,
    )


@router.get("/orgs/{org}/forum/reports", response={200: list[ReportOut], **ERRORS})
def moderation_queue(request: HttpRequest, org: str) -> list[ReportOut]:
    """Staff: open reports, oldest first (at most 200)."""
    ctx = member_context(request, org)
    return [_report_out(ctx, found) for found in selectors.open_reports(ctx)[:200]]


@router.post("/orgs/{org}/forum/reports/{report}/resolve", response={200: ReportOut, **ERRORS})
def resolve(request: HttpRequest, org: str, report: int, payload: ResolveIn) -> ReportOut:
    """Staff: remove the reported post, or dismiss the report."""
    ctx = member_context(request, org)
    found = selectors.access_report(ctx, report_id=report)
    return _report_out(
        ctx, actions.resolve_report(ctx, report=found, remove_post=payload.remove_post)
    )


@router.get("/orgs/{org}/forum/unanswered", response={200: ThreadListOut, **ERRORS})
def unanswered(request: HttpRequest, org: str, page: PageNumber = 1) -> ThreadListOut:
    """Staff: questions with no endorsed or accepted answer in the organization's courses,
    oldest first; 25 a page."""
    ctx = member_context(request, org)
    return _thread_list(selectors.unanswered_questions(ctx, page=page))
