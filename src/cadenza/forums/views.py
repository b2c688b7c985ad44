"""The forums' pages: thin views that resolve the organization, fetch through the selectors'
``access_*``, call one action or selector and render. Mounted under /o/<org_slug>/."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cadenza.accounts.models import User
from cadenza.forums import actions, selectors
from cadenza.forums.forms import PostEditForm, ReplyForm, ReportForm, SearchForm, ThreadForm
from cadenza.forums.models import Post, Thread, ThreadKind
from cadenza.lib.errors import DomainError
from cadenza.orgs.policy import may_moderate_forums
from cadenza.orgs.selectors import OrgContext, access_org


def _org(request: HttpRequest, org_slug: str) -> OrgContext:
    assert isinstance(request.user, User)
    return access_org(user=request.user, slug=org_slug)


def _switch(request: HttpRequest) -> bool:
    """A switch's posted state: ``value=on`` turns it on, anything else off."""
    return request.POST.get("value") == "on"


def thread_url(ctx: OrgContext, thread: Thread) -> str:
    return reverse(
        "forum_thread",
        kwargs={
            "org_slug": ctx.org.slug,
            "course_slug": thread.course.slug,
            "thread_id": thread.pk,
        },
    )


def _post_url(ctx: OrgContext, post: Post) -> str:
    return f"{thread_url(ctx, post.thread)}#post-{post.pk}"


@login_required
@require_safe
def forum_index(request: HttpRequest, org_slug: str, course_slug: str) -> HttpResponse:
    """The course's topics with their thread and unread counts."""
    ctx = _org(request, org_slug)
    course = selectors.access_forum_course(ctx, slug=course_slug)
    return render(
        request,
        "forums/index.html",
        {
            "ctx": ctx,
            "course": course,
            "topics": selectors.topic_list(ctx, course),
            "staff": selectors.is_forum_staff(ctx),
            "search_form": SearchForm(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def forum_topic(request: HttpRequest, org_slug: str, course_slug: str, topic: str) -> HttpResponse:
    """A topic's threads (pinned first, then the latest active); POST starts a thread."""
    ctx = _org(request, org_slug)
    course = selectors.access_forum_course(ctx, slug=course_slug)
    place = selectors.access_place(ctx, course=course, key=topic)
    form = ThreadForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                thread = actions.start_thread(
                    ctx,
                    place=place,
                    kind=ThreadKind(form.cleaned_data["kind"]),
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    anonymous=form.cleaned_data["anonymous"],
                )
            except DomainError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, "Your thread is posted.")
                return redirect(thread_url(ctx, thread))
        status = 400
    context: dict[str, Any] = {
        "ctx": ctx,
        "course": course,
        "place": place,
        "threads": selectors.topic_threads(ctx, place, page=request.GET.get("page")),
        "following": selectors.is_following_topic(ctx, place),
        "form": form,
        "staff": selectors.is_forum_staff(ctx),
        "moderator": may_moderate_forums(ctx.role),
    }
    return render(request, "forums/topic.html", context, status=status)


@login_required
@require_POST
def forum_topic_follow(
    request: HttpRequest, org_slug: str, course_slug: str, topic: str
) -> HttpResponse:
    ctx = _org(request, org_slug)
    course = selectors.access_forum_course(ctx, slug=course_slug)
    place = selectors.access_place(ctx, course=course, key=topic)
    following = _switch(request)
    try:
        actions.set_following_topic(ctx, place=place, following=following)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, "You follow this topic." if following else "You no longer follow this topic."
        )
    return redirect("forum_topic", org_slug=ctx.org.slug, course_slug=course.slug, topic=topic)


@login_required
@require_POST
def forum_unit_discussion(
    request: HttpRequest, org_slug: str, course_slug: str, topic: str
) -> HttpResponse:
    """Staff turn a unit's discussion on or off."""
    ctx = _org(request, org_slug)
    course = selectors.access_forum_course(ctx, slug=course_slug)
    place = selectors.access_place(ctx, course=course, key=topic)
    try:
        opened = actions.set_unit_discussion(
            ctx, place=place, open=_switch(request)
        ).discussion_open
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"Discussion is {'on' if opened else 'off'} for {place.title}.")
    return redirect("forum_topic", org_slug=ctx.org.slug, course_slug=course.slug, topic=topic)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def forum_thread(
    request: HttpRequest, org_slug: str, course_slug: str, thread_id: int
) -> HttpResponse:
    """A thread with its replies and their comments; POST replies (or comments on a reply).
    Opening the page marks the thread read."""
    ctx = _org(request, org_slug)
    course = selectors.access_forum_course(ctx, slug=course_slug)
    thread = selectors.access_thread(ctx, thread_id=thread_id, course=course)
    form = ReplyForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            parent_id = form.cleaned_data["parent"]
            try:
                parent = (
                    selectors.access_post(ctx, post_id=parent_id, course=course)
                    if parent_id
                    else None
                )
                post = actions.post_reply(
                    ctx,
                    thread=thread,
                    body=form.cleaned_data["body"],
                    parent=parent,
                    anonymous=form.cleaned_data["anonymous"],
                )
            except DomainError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, "Your reply is posted.")
                return redirect(_post_url(ctx, post))
        status = 400
    else:
        actions.mark_read(ctx, thread=thread)
    return render(
        request,
        "forums/thread.html",
        {
            "ctx": ctx,
            "course": course,
            "page": selectors.thread_page(ctx, thread),
            "form": form,
            "topic_key": thread.topic.key,
        },
        status=status,
    )


@login_required
@require_POST
def forum_thread_follow(
    request: HttpRequest, org_slug: str, course_slug: str, thread_id: int
) -> HttpResponse:
    ctx = _org(request, org_slug)
    course = selectors.access_forum_course(ctx, slug=course_slug)
    thread = selectors.access_thread(ctx, thread_id=thread_id, course=course)
    following = _switch(request)
    actions.set_following_thread(ctx, thread=thread, following=following)
    messages.success(
        request, "You follow this thread." if following else "You no longer follow this thread."
    )
    return redirect(thread_url(ctx, thread))


@login_required
@require_POST
def forum_thread_moderate(
    request: HttpRequest, org_slug: str, course_slug: str, thread_id: int
) -> HttpResponse:
    """Staff pin or unpin, lock or unlock a thread (``change`` = pin, unpin, lock, unlock)."""
    ctx = _org(request, org_slug)
    course = selectors.access_forum_course(ctx, slug=course_slug)
    thread = selectors.access_thread(ctx, thread_id=thread_id, course=course)
    change = request.POST.get("change", "")
    if change in ("pin", "unpin"):
        actions.set_pinned(ctx, thread=thread, pinned=change == "pin")
    elif change in ("lock", "unlock"):
        actions.set_locked(ctx, thread=thread, locked=change == "lock")
    else:
        actions.set_pinned(ctx, thread=thread, pinned=thread.pinned)  # the role is checked
        messages.error(request, "Choose pin, unpin, lock or unlock.")
        return redirect(thread_url(ctx, thread))
    messages.success(request, f"Thread {change}ned." if "pin" in change else f"Thread {change}ed.")
    return redirect(thread_url(ctx, thread))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def forum_post_edit(
    request: HttpRequest, org_slug: str, course_slug: str, post_id: int
) -> HttpResponse:
    ctx = _org(request, org_slug)
    course = selectors.access_forum_course(ctx, slug=course_slug)
    post = selectors.access_post(ctx, post_id=post_id, course=course)
    initial = {"title": post.thread.title, "body": post.body}
    form = PostEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if post.is_opening:
        form.fields["title"].required = True
    else:
        del form.fields["title"]
    status = 200
    if form.is_bound:
        if form.is_valid():
            actions.edit_post(
                ctx, post=post, body=form.cleaned_data["body"], title=form.cleaned_data.get("title")
            )
            messages.success(request, "Your changes are saved.")
            return redirect(_post_url(ctx, post))
        status = 400
    elif not selectors.may_edit(ctx, post):
        raise PermissionDenied("You may not edit this post.")
    return render(
        request,
        "forums/post_edit.html",
        {"ctx": ctx, "course": course, "post": post, "form": form},
        status=status,
    )


@login_required
@require_safe
def forum_post_history(
    request: HttpRequest, org_slug: str, course_slug: str, post_id: int
) -> HttpResponse:
    """What a post said before each edit (append-only)."""
    ctx = _org(request, org_slug)
    course = selectors.access_forum_course(ctx, slug=course_slug)
    post = selectors.access_post(ctx, post_id=post_id, course=course)
    return render(
        request,
        "forums/post_history.html",
        {
            "ctx": ctx,
            "course": course,
            "post": post,
            "author": selectors.shown_author(ctx, author=post.author, anonymous=post.anonymous),
            "current": selectors.render_post_body(post.body),
            "revisions": selectors.post_history(ctx, post),
        },
    )


def _post_change(
    request: HttpRequest, org_slug: str, course_slug: str, post_id: int
) -> tuple[OrgContext, Post]:
    ctx = _org(request, org_slug)
    course = selectors.access_forum_course(ctx, slug=course_slug)
    return ctx, selectors.access_post(ctx, post_id=post_id, course=course)


@login_required
@require_POST
def forum_post_vote(
    request: HttpRequest, org_slug: str, course_slug: str, post_id: int
) -> HttpResponse:
    ctx, post = _post_change(request, org_slug, course_slug, post_id)
    actions.set_vote(ctx, post=post, voted=_switch(request))
    return redirect(_post_url(ctx, post))


@login_required
@require_POST
def forum_post_endorse(
    request: HttpRequest, org_slug: str, course_slug: str, post_id: int
) -> HttpResponse:
    """Staff endorse a reply, or take the endorsement back."""
    ctx, post = _post_change(request, org_slug, course_slug, post_id)
    try:
        actions.set_endorsed(ctx, post=post, endorsed=_switch(request))
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect(_post_url(ctx, post))


@login_required
@require_POST
def forum_post_accept(
    request: HttpRequest, org_slug: str, course_slug: str, post_id: int
) -> HttpResponse:
    """The asker accepts a reply as the answer, or takes the acceptance back."""
    ctx, post = _post_change(request, org_slug, course_slug, post_id)
    try:
        actions.set_accepted(ctx, post=post, accepted=_switch(request))
    except DomainError as refusal:
        messages.error(request, refusal.message)
    return redirect(_post_url(ctx, post))


@login_required
@require_POST
def forum_post_delete(
    request: HttpRequest, org_slug: str, course_slug: str, post_id: int
) -> HttpResponse:
    ctx, post = _post_change(request, org_slug, course_slug, post_id)
    actions.delete_post(ctx, post=post)
    messages.success(request, "The post is deleted.")
    if post.is_opening:
        return redirect(
            "forum_topic",
            org_slug=ctx.org.slug,
            course_slug=course_slug,
            topic=post.thread.topic.key,
        )
    return redirect(thread_url(ctx, post.thread))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def forum_post_report(
    request: HttpRequest, org_slug: str, course_slug: str, post_id: int
) -> HttpResponse:
    """Report a post to the moderators."""
    ctx, post = _post_change(request, org_slug, course_slug, post_id)
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                actions.report_post(ctx, post=post, reason=form.cleaned_data["reason"])
            except DomainError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, "Thank you: the moderators will look at this post.")
                return redirect(_post_url(ctx, post))
        status = 400
    return render(
        request,
        "forums/post_report.html",
        {
            "ctx": ctx,
            "course": post.thread.course,
            "post": post,
            "author": selectors.shown_author(ctx, author=post.author, anonymous=post.anonymous),
            "form": form,
        },
        status=status,
    )


@login_required
@require_safe
def forum_search(request: HttpRequest, org_slug: str, course_slug: str) -> HttpResponse:
    """Search the course's forum (full-text on PostgreSQL, substring on SQLite), paged."""
    ctx = _org(request, org_slug)
    course = selectors.access_forum_course(ctx, slug=course_slug)
    form = SearchForm(request.GET if "q" in request.GET else None)
    results = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            results = selectors.search_posts(
                ctx, course, form.cleaned_data["q"], page=request.GET.get("page")
            )
        else:
            status = 400
    return render(
        request,
        "forums/search.html",
        {"ctx": ctx, "course": course, "form": form, "results": results},
        status=status,
    )


@login_required
@require_safe
def forum_unanswered(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Staff: questions nobody has answered yet across the organization's courses, oldest
    first."""
    ctx = _org(request, org_slug)
    threads = selectors.unanswered_questions(ctx, page=request.GET.get("page"))
    return render(request, "forums/unanswered.html", {"ctx": ctx, "threads": threads})


@login_required
@require_safe
def forum_moderation(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Staff: reported posts awaiting a decision, oldest first."""
    ctx = _org(request, org_slug)
    reports = [
        (
            report,
            selectors.shown_author(ctx, author=report.post.author, anonymous=report.post.anonymous),
        )
        for report in selectors.open_reports(ctx)[:200]
    ]
    return render(request, "forums/moderation.html", {"ctx": ctx, "reports": reports})


@login_required
@require_POST
def forum_report_resolve(request: HttpRequest, org_slug: str, report_id: int) -> HttpResponse:
    """Staff remove the reported post or dismiss the report."""
    ctx = _org(request, org_slug)
    report = selectors.access_report(ctx, report_id=report_id)
    remove = request.POST.get("decision") == "remove"
    actions.resolve_report(ctx, report=report, remove_post=remove)
    messages.success(request, "The post is removed." if remove else "The report is dismissed.")
    return redirect("forum_moderation", org_slug=ctx.org.slug)
