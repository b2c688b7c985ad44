"""Reading the forums: which topics and threads a person sees, a thread's page, search and the
staff's queues. ``access_*`` fetch one object *and* authorize it (404 for anything the person
may not see: another organization's, a course they are not enrolled in, a closed unit topic).

Who sees a thread is ``ThreadQuerySet.visible_to`` (models), the one rule; who may do what is
``cadenza.orgs.policy``. Who wrote an anonymous post is decided here once, by ``shown_author``:
every page, API answer and search result shows authors only through it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe

from cadenza.accounts.models import User
from cadenza.courses.models import Course, Module, Unit
from cadenza.courses.selectors import access_course, access_unit, active_enrolment, visible_units
from cadenza.forums.models import (
    Follow,
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
from cadenza.lib.markdown import USER_CONTENT_LINK_REL, render_markdown
from cadenza.orgs.policy import (
    Permission,
    may_delete_post,
    may_edit_post,
    may_moderate_forums,
    may_post_in_thread,
    sees_anonymous_authors,
)
from cadenza.orgs.selectors import OrgContext, scoped

THREADS_PER_PAGE = 25
RESULTS_PER_PAGE = 20
ANONYMOUS_NAME = "Anonymous"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """One page of a list, as pages and the API show it."""

    items: list[T]
    number: int
    num_pages: int
    count: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _page_of(rows: QuerySet[Any], per_page: int, page: Any) -> tuple[list[Any], Listing[None]]:
    """The rows of page ``page`` (a bad or too-large number gives the first or last page),
    with the page's numbers: two queries (the count and the page)."""
    found = Paginator(rows, per_page).get_page(page)
    numbers: Listing[None] = Listing(
        items=[],
        number=found.number,
        num_pages=found.paginator.num_pages,
        count=found.paginator.count,
    )
    return list(found.object_list), numbers


def _listing(items: list[T], numbers: Listing[None]) -> Listing[T]:
    return Listing(
        items=items, number=numbers.number, num_pages=numbers.num_pages, count=numbers.count
    )


def is_forum_staff(ctx: OrgContext) -> bool:
    """Staff see every thread of their organization's courses (drafts' topics included)."""
    return ctx.may(Permission.VIEW_DRAFTS)


def visible_threads(ctx: OrgContext) -> QuerySet[Thread]:
    """The organization's threads the person sees (``ThreadQuerySet.visible_to``)."""
    return scoped(
        Thread.objects.visible_to(user_id=ctx.user.pk, staff=is_forum_staff(ctx)), ctx.org
    )


@dataclass(frozen=True, slots=True)
class Author:
    """A post's author as one viewer may see them. ``id`` and ``name`` are None and
    "Anonymous" when the post is anonymous and the viewer is a peer; ``anonymous`` says the
    post was written anonymously (shown to its author and staff as "anonymous to peers")."""

    id: int | None
    name: str
    anonymous: bool


def shown_author(ctx: OrgContext, *, author: User, anonymous: bool) -> Author:
    """Anonymous to peers, never to staff, and never to the author themselves."""
    if anonymous and not (sees_anonymous_authors(ctx.role) or author.pk == ctx.user.pk):
        return Author(id=None, name=ANONYMOUS_NAME, anonymous=True)
    return Author(id=author.pk, name=author.name, anonymous=anonymous)


def render_post_body(body: str) -> SafeString:
    """A post's Markdown as sanitized HTML (nh3's allow-list; links ``nofollow ugc``)."""
    return mark_safe(render_markdown(body, link_rel=USER_CONTENT_LINK_REL))  # noqa: S308 - nh3


# Courses and topics -------------------------------------------------------------------------


def access_forum_course(ctx: OrgContext, *, slug: str) -> Course:
    """A course whose forum the person may read: staff any course they see; a learner a
    published course they are actively enrolled in (404 otherwise)."""
    course = access_course(ctx, slug=slug)
    if not is_forum_staff(ctx) and active_enrolment(ctx, course) is None:
        raise Http404("No such forum.")
    return course


@dataclass(slots=True)
class ForumPlace:
    """A topic of a course as the URL names it, whether or not its row exists yet."""

    course: Course
    kind: TopicKind
    module: Module | None = None
    unit: Unit | None = None
    topic: Topic | None = None

    @property
    def key(self) -> str:
        if self.module is not None:
            return f"module-{self.module.pk}"
        if self.unit is not None:
            return f"unit-{self.unit.pk}"
        return "general"

    @property
    def title(self) -> str:
        if self.module is not None:
            return self.module.title
        if self.unit is not None:
            return self.unit.title
        return "General"

    @property
    def kind_label(self) -> str:
        return TopicKind(self.kind).label

    @property
    def discussion_open(self) -> bool:
        """Unit topics are open only when staff turned them on; the others always are."""
        if self.kind != TopicKind.UNIT:
            return True
        return self.topic is not None and self.topic.discussion_open


_KEY = re.compile(r"^(?:(general)|module-([0-9]{1,18})|unit-([0-9]{1,18}))$")


def access_place(ctx: OrgContext, *, course: Course, key: str) -> ForumPlace:
    """The topic ``key`` (``general``, ``module-<id>``, ``unit-<id>``) of a course whose forum
    the person may read (``access_forum_course``): 404 for a module or unit learners may not
    see, and for a learner on a unit topic whose discussion is off."""
    parsed = _KEY.match(key)
    if parsed is None:
        raise Http404("No such topic.")
    general, module_id, unit_id = parsed.groups()
    topics = scoped(Topic.objects.filter(course=course), ctx.org)
    if general:
        return ForumPlace(
            course=course,
            kind=TopicKind.GENERAL,
            topic=topics.filter(kind=TopicKind.GENERAL).first(),
        )
    if module_id:
        modules = scoped(Module.objects.filter(course=course, pk=int(module_id)), ctx.org)
        if not is_forum_staff(ctx):
            modules = modules.filter(published_at__isnull=False)
        module = modules.first()
        if module is None:
            raise Http404("No such topic.")
        topic = topics.filter(kind=TopicKind.MODULE, module=module).first()
        return ForumPlace(course=course, kind=TopicKind.MODULE, module=module, topic=topic)
    unit = access_unit(ctx, course=course, unit_id=int(unit_id))
    place = ForumPlace(
        course=course,
        kind=TopicKind.UNIT,
        unit=unit,
        topic=topics.filter(kind=TopicKind.UNIT, unit=unit).first(),
    )
    if not place.discussion_open and not is_forum_staff(ctx):
        raise Http404("No discussion for this unit.")
    return place


@dataclass(slots=True)
class TopicEntry:
    """A topic in the forum's list, with the threads the viewer sees in it and how many of
    them are unread to the viewer."""

    place: ForumPlace
    thread_count: int = 0
    unread_count: int = 0


def _unread(ctx: OrgContext) -> Q:
    """A thread with activity after the viewer last read it (or never read)."""
    read = ReadMarker.objects.filter(
        thread=OuterRef("pk"), user=ctx.user, read_at__gte=OuterRef("last_activity_at")
    )
    return ~Q(Exists(read))


def topic_list(ctx: OrgContext, course: Course) -> list[TopicEntry]:
    """The course's topics as the forum's index lists them: general, each module the person
    sees, and the units (for learners only those whose discussion is on; staff see every
    unit, to turn its discussion on). Four queries whatever the course's size."""
    staff = is_forum_staff(ctx)
    modules = scoped(Module.objects.filter(course=course), ctx.org).order_by("position", "id")
    if not staff:
        modules = modules.filter(published_at__isnull=False)
    units = list(visible_units(ctx, course).select_related("module"))
    topics = list(scoped(Topic.objects.filter(course=course), ctx.org))
    counts = {
        row["topic_id"]: row
        for row in visible_threads(ctx)
        .filter(course=course)
        .order_by()
        .values("topic_id")
        .annotate(total=Count("pk"), unread=Count("pk", filter=_unread(ctx)))
    }
    by_place: dict[tuple[str, int | None], Topic] = {
        (topic.kind, topic.module_id or topic.unit_id): topic for topic in topics
    }

    def entry(place: ForumPlace) -> TopicEntry:
        found = counts.get(place.topic.pk) if place.topic is not None else None
        return TopicEntry(
            place=place,
            thread_count=found["total"] if found else 0,
            unread_count=found["unread"] if found else 0,
        )

    entries = [
        entry(
            ForumPlace(
                course=course,
                kind=TopicKind.GENERAL,
                topic=by_place.get((TopicKind.GENERAL, None)),
            )
        )
    ]
    for module in modules:
        topic = by_place.get((TopicKind.MODULE, module.pk))
        entries.append(
            entry(ForumPlace(course=course, kind=TopicKind.MODULE, module=module, topic=topic))
        )
    for unit in units:
        place = ForumPlace(
            course=course,
            kind=TopicKind.UNIT,
            unit=unit,
            topic=by_place.get((TopicKind.UNIT, unit.pk)),
        )
        if staff or place.discussion_open:
            entries.append(entry(place))
    return entries


@dataclass(frozen=True, slots=True)
class ThreadRow:
    """A thread in a list, with its author as the viewer may see them."""

    thread: Thread
    author: Author
    unread: bool


def thread_rows(ctx: OrgContext, threads: QuerySet[Thread], *, page: Any) -> Listing[ThreadRow]:
    """One page of ``threads`` (visible ones, pinned first, then by latest activity) with
    each one's unread state: two queries (the count and the page)."""
    read = ReadMarker.objects.filter(
        thread=OuterRef("pk"), user=ctx.user, read_at__gte=OuterRef("last_activity_at")
    )
    listed = threads.select_related("author", "course").annotate(is_read=Exists(read))
    rows, numbers = _page_of(listed, THREADS_PER_PAGE, page)
    return _listing(
        [
            ThreadRow(
                thread=thread,
                author=shown_author(ctx, author=thread.author, anonymous=thread.anonymous),
                unread=not thread.is_read,
            )
            for thread in rows
        ],
        numbers,
    )


def topic_threads(ctx: OrgContext, place: ForumPlace, *, page: Any) -> Listing[ThreadRow]:
    """One page of a topic's threads for its list (two queries; none for a topic without
    a row yet)."""
    if place.topic is None:
        return Listing(items=[], number=1, num_pages=1, count=0)
    threads = (
        visible_threads(ctx)
        .filter(topic=place.topic)
        .order_by("-pinned", "-last_activity_at", "-id")
    )
    return thread_rows(ctx, threads, page=page)


def is_following_topic(ctx: OrgContext, place: ForumPlace) -> bool:
    if place.topic is None:
        return False
    return Follow.objects.filter(user=ctx.user, topic=place.topic).exists()


# Threads and posts --------------------------------------------------------------------------


def access_thread(ctx: OrgContext, *, thread_id: int, course: Course | None = None) -> Thread:
    """One thread the person sees (in ``course`` when given), with its topic's module and
    unit, its course, and ``following`` (the person follows it). One query."""
    threads = visible_threads(ctx).filter(pk=thread_id)
    if course is not None:
        threads = threads.filter(course=course)
    followed = Follow.objects.filter(thread=OuterRef("pk"), user=ctx.user)
    thread = (
        threads.select_related("course", "topic", "topic__module", "topic__unit", "author")
        .annotate(following=Exists(followed))
        .order_by()
        .first()
    )
    if thread is None:
        raise Http404("No such thread.")
    return thread


def access_post(ctx: OrgContext, *, post_id: int, course: Course | None = None) -> Post:
    """One post (not deleted) of a thread the person sees, with its thread. One query."""
    posts = scoped(Post.objects.filter(pk=post_id, deleted_at__isnull=True), ctx.org).filter(
        thread__in=visible_threads(ctx)
    )
    if course is not None:
        posts = posts.filter(thread__course=course)
    post = posts.select_related("thread", "thread__course", "author").order_by().first()
    if post is None:
        raise Http404("No such post.")
    return post


def may_edit(ctx: OrgContext, post: Post) -> bool:
    """Whether the person may edit ``post`` (the policy's rule, with the post's facts)."""
    return may_edit_post(
        ctx.role, is_author=post.author_id == ctx.user.pk, thread_locked=post.thread.locked
    )


@dataclass(slots=True)
class PostView:
    """A post as one viewer sees it: its author per the anonymity rule, its body rendered
    (nothing of a deleted post), what the viewer may do with it, its comments."""

    post: Post
    author: Author | None
    body_html: SafeString
    voted: bool
    accepted: bool
    endorsed: bool
    deleted: bool
    may_edit: bool
    may_delete: bool
    comments: list[PostView] = field(default_factory=list)


@dataclass(slots=True)
class ThreadPage:
    thread: Thread
    opening: PostView
    replies: list[PostView]
    may_reply: bool
    may_moderate: bool
    may_accept: bool


def thread_page(ctx: OrgContext, thread: Thread) -> ThreadPage:
    """A thread's posts in order, replies with their comments under them: one query."""
    voted = Vote.objects.filter(post=OuterRef("pk"), user=ctx.user)
    posts = list(
        Post.objects.filter(thread=thread)
        .select_related("author")
        .annotate(voted=Exists(voted))
        .order_by("created_at", "id")
    )
    moderator = may_moderate_forums(ctx.role)

    def view(post: Post) -> PostView:
        deleted = post.deleted_at is not None
        mine = post.author_id == ctx.user.pk
        return PostView(
            post=post,
            author=None
            if deleted
            else shown_author(ctx, author=post.author, anonymous=post.anonymous),
            body_html=mark_safe("") if deleted else render_post_body(post.body),
            voted=bool(getattr(post, "voted", False)),
            accepted=thread.accepted_post_id == post.pk,
            endorsed=post.endorsed_at is not None,
            deleted=deleted,
            may_edit=not deleted
            and may_edit_post(ctx.role, is_author=mine, thread_locked=thread.locked),
            may_delete=not deleted and may_delete_post(ctx.role, is_author=mine),
        )

    opening: PostView | None = None
    replies: list[PostView] = []
    by_id: dict[int, PostView] = {}
    for post in posts:
        shown = view(post)
        if post.is_opening:
            opening = shown
        elif post.parent_id is None:
            replies.append(shown)
            by_id[post.pk] = shown
        elif post.parent_id in by_id:
            by_id[post.parent_id].comments.append(shown)
    assert opening is not None, "a thread always has its opening post"
    # A deleted reply without comments leaves nothing worth showing.
    replies = [reply for reply in replies if not (reply.deleted and not reply.comments)]
    for reply in replies:
        reply.comments = [comment for comment in reply.comments if not comment.deleted]
    return ThreadPage(
        thread=thread,
        opening=opening,
        replies=replies,
        may_reply=may_post_in_thread(ctx.role, thread_locked=thread.locked),
        may_moderate=moderator,
        may_accept=thread.is_question and (moderator or thread.author_id == ctx.user.pk),
    )


@dataclass(frozen=True, slots=True)
class RevisionView:
    title: str
    body: str
    written_at: Any
    replaced_by: Author | None


def post_history(ctx: OrgContext, post: Post) -> list[RevisionView]:
    """The texts a post had before each edit, oldest first (one query). An edit by the
    author of an anonymous post is shown as anonymous to peers, like the post."""
    revisions = PostRevision.objects.filter(post=post).select_related("replaced_by")
    return [
        RevisionView(
            title=revision.title,
            body=revision.body,
            written_at=revision.written_at,
            replaced_by=None
            if revision.replaced_by is None
            else shown_author(
                ctx,
                author=revision.replaced_by,
                anonymous=post.anonymous and revision.replaced_by_id == post.author_id,
            ),
        )
        for revision in revisions.order_by("replaced_at", "id")
    ]


# Search -------------------------------------------------------------------------------------

_MARK_START, _MARK_END = "\x02", "\x03"
"""Where PostgreSQL's headline marks a match. People's text never holds control characters
(``cadenza.lib.text`` refuses them), so these cannot come from a post; the snippet is escaped
and only then are they turned into ``<mark>``."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    post: Post
    thread: Thread
    author: Author
    snippet: SafeString


def _is_postgresql() -> bool:
    return bool(settings.DATABASES["default"]["ENGINE"].endswith("postgresql"))


def search_posts(ctx: OrgContext, course: Course, text: str, *, page: Any) -> Listing[SearchHit]:
    """Posts of the course's visible threads matching ``text``, one page. On PostgreSQL:
    full-text search (``websearch`` syntax, English stemming) over the post's text and, for
    an opening post, its thread's title (weighted higher), ranked, with highlighted
    snippets; on SQLite every word as a substring, newest first. Two queries."""
    posts = Post.objects.filter(
        thread__in=visible_threads(ctx).filter(course=course), deleted_at__isnull=True
    ).select_related("thread", "author")
    text = text.strip()
    if _is_postgresql():
        from django.contrib.postgres.search import (
            SearchHeadline,
            SearchQuery,
            SearchRank,
            SearchVector,
        )

        query = SearchQuery(text, search_type="websearch", config="english")
        # The thread's title counts for its opening post only (not for every reply).
        title = Case(When(is_opening=True, then=F("thread__title")), default=Value(""))
        vector = SearchVector(title, weight="A", config="english") + SearchVector(
            "body", weight="B", config="english"
        )
        ranked = (
            posts.annotate(document=vector)
            .filter(document=query)
            .annotate(
                rank=SearchRank(F("document"), query),
                headline=SearchHeadline(
                    "body",
                    query,
                    config="english",
                    start_sel=_MARK_START,
                    stop_sel=_MARK_END,
                    max_words=30,
                    min_words=12,
                ),
            )
            .order_by("-rank", "-created_at", "-id")
        )
        found, numbers = _page_of(ranked, RESULTS_PER_PAGE, page)
        snippets = [_marked(post.headline) for post in found]
    else:
        words = [word for word in text.split() if word][:8]
        matching = Q()
        for word in words:
            matching &= Q(body__icontains=word) | Q(is_opening=True, thread__title__icontains=word)
        found, numbers = _page_of(
            posts.filter(matching).order_by("-created_at", "-id"), RESULTS_PER_PAGE, page
        )
        snippets = [_plain_snippet(post.body, words) for post in found]
    return _listing(
        [
            SearchHit(
                post=post,
                thread=post.thread,
                author=shown_author(ctx, author=post.author, anonymous=post.anonymous),
                snippet=snippet,
            )
            for post, snippet in zip(found, snippets, strict=True)
        ],
        numbers,
    )


def _marked(headline: str) -> SafeString:
    escaped = html.escape(headline)
    return mark_safe(  # noqa: S308 - escaped above; only our own markers become tags
        escaped.replace(_MARK_START, "<mark>").replace(_MARK_END, "</mark>")
    )


def _plain_snippet(body: str, words: list[str], *, width: int = 160) -> SafeString:
    """Around the first word found: the text escaped, each word's matches marked."""
    lowered = body.lower()
    starts = [lowered.find(word.lower()) for word in words if word.lower() in lowered]
    start = max(0, min(starts) - width // 3) if starts else 0
    excerpt = body[start : start + width]
    if words:
        pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
        excerpt = pattern.sub(lambda match: f"{_MARK_START}{match.group(0)}{_MARK_END}", excerpt)
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(body) else ""
    return _marked(prefix + excerpt + suffix)


# Staff queues -------------------------------------------------------------------------------


def unanswered_questions(ctx: OrgContext, *, page: Any) -> Listing[ThreadRow]:
    """Questions with no endorsed or accepted answer in the organization's courses, oldest
    first, for the staff who answer them (403 for others). Two queries."""
    ctx.require(Permission.MODERATE_FORUMS)
    threads = (
        visible_threads(ctx)
        .filter(kind=ThreadKind.QUESTION, answered=False)
        .select_related("course", "topic", "topic__module", "topic__unit")
        .order_by("created_at", "id")
    )
    return thread_rows(ctx, threads, page=page)


def open_reports(ctx: OrgContext) -> QuerySet[Report]:
    """Reports awaiting a moderator, oldest first (403 for people who may not moderate)."""
    ctx.require(Permission.MODERATE_FORUMS)
    return (
        scoped(Report.objects.filter(resolved_at__isnull=True), ctx.org)
        .select_related("post", "post__author", "post__thread", "post__thread__course", "reporter")
        .order_by("created_at", "id")
    )


def access_report(ctx: OrgContext, *, report_id: int) -> Report:
    """One open report for a moderator (403 for others, 404 for another organization's)."""
    report = open_reports(ctx).filter(pk=report_id).first()
    if report is None:
        raise Http404("No such report.")
    return report
