"""The forums' pages: what each person sees and may do, anonymity towards peers only,
sanitized Markdown, unread markers, the staff's queues, and fixed query counts."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cadenza.accounts.models import User
from cadenza.forums import actions
from cadenza.forums.models import Post, ReadMarker, Report, Thread, ThreadKind
from tests.forums.conftest import Classroom

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(room: Classroom, name: str, **kwargs: object) -> str:
    return reverse(
        name, kwargs={"org_slug": room.org.slug, "course_slug": room.course.slug, **kwargs}
    )


def ask(room: Classroom, user: User | None = None, **fields: object) -> Thread:
    user = user or room.ada
    return actions.start_thread(
        room.ctx(user),
        place=room.place(user, str(fields.pop("key", "general"))),
        kind=fields.pop("kind", ThreadKind.QUESTION),  # type: ignore[arg-type]
        title=str(fields.pop("title", "qSOFA or SIRS?")),
        body=str(fields.pop("body", "Which score first?")),
        anonymous=bool(fields.pop("anonymous", False)),
    )


def test_a_learner_starts_a_question_and_is_taken_to_it(room: Classroom) -> None:
    response = client_for(room.ada).post(
        url(room, "forum_topic", topic="general"),
        {"kind": "question", "title": "Lactate?", "body": "Which **threshold**?"},
    )
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url(room, "forum_thread", thread_id=thread.pk)
    page = client_for(room.bob).get(response["Location"]).content.decode()
    assert "<strong>threshold</strong>" in page
    assert "Ada Lovelace" in page


def test_a_blank_thread_is_refused_with_the_form_and_nothing_is_written(room: Classroom) -> None:
    response = client_for(room.ada).post(
        url(room, "forum_topic", topic="general"), {"kind": "question", "title": "", "body": ""}
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert Thread.objects.count() == 0


def test_a_learner_not_enrolled_gets_404_and_cannot_post(room: Classroom) -> None:
    client = client_for(room.nell)
    assert client.get(url(room, "forum")).status_code == 404
    thread = ask(room)
    assert client.get(url(room, "forum_thread", thread_id=thread.pk)).status_code == 404
    response = client.post(url(room, "forum_thread", thread_id=thread.pk), {"body": "Hi"})
    assert response.status_code == 404
    assert Post.objects.count() == 1


def test_a_closed_unit_topic_is_404_to_learners_until_staff_turn_it_on(room: Classroom) -> None:
    topic = url(room, "forum_topic", topic=f"unit-{room.unit.pk}")
    switch = url(room, "forum_unit_discussion", topic=f"unit-{room.unit.pk}")
    assert client_for(room.ada).get(topic).status_code == 404
    assert client_for(room.ada).post(switch, {"value": "on"}).status_code == 404
    assert client_for(room.ines).get(topic).status_code == 200
    client_for(room.ines).post(switch, {"value": "on"})
    assert client_for(room.ada).get(topic).status_code == 200
    assert client_for(room.ada).post(switch, {"value": "off"}).status_code == 403
    assert client_for(room.ada).get(topic).status_code == 200
    index = client_for(room.ada).get(url(room, "forum")).content.decode()
    assert "qSOFA" in index


def test_anonymous_posts_hide_the_author_from_peers_but_not_from_staff_or_themselves(
    room: Classroom,
) -> None:
    thread = ask(room, anonymous=True, title="A shy question", body="Is it *normal*?")
    actions.post_reply(room.ctx(room.bob), thread=thread, body="Shy reply @ada", anonymous=True)
    actions.report_post(
        room.ctx(room.ines),
        post=Post.objects.select_related("thread").get(thread=thread, is_opening=False),
        reason="check",
    )
    pages = [
        url(room, "forum_topic", topic="general"),
        url(room, "forum_thread", thread_id=thread.pk),
        url(room, "forum_search") + "?q=shy",
        url(room, "forum_post_history", post_id=thread.posts.get(is_opening=True).pk),
    ]
    for page in pages:
        seen_by_peer = client_for(room.bob).get(page).content.decode()
        assert "Ada Lovelace" not in seen_by_peer, page
        assert "Anonymous" in seen_by_peer, page
        seen_by_staff = client_for(room.tara).get(page).content.decode()
        assert "Ada Lovelace" in seen_by_staff, page
    own = client_for(room.ada).get(url(room, "forum_thread", thread_id=thread.pk)).content.decode()
    assert "Ada Lovelace" in own
    assert "Bob Byrne" not in own
    assert "anonymous to peers" in own
    queue = client_for(room.ines).get(
        reverse("forum_unanswered", kwargs={"org_slug": room.org.slug})
    )
    assert "Ada Lovelace" in queue.content.decode()
    moderation = (
        client_for(room.ines)
        .get(reverse("forum_moderation", kwargs={"org_slug": room.org.slug}))
        .content.decode()
    )
    assert "Bob Byrne" in moderation


class _ActiveMarkup(HTMLParser):
    """Elements and attributes that would run something: any script but the page's own
    (with a src), event handlers, javascript: addresses, frames, svg, object, embed."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script" and "src" not in named:
            self.found.append("inline <script>")
        if tag in ("iframe", "svg", "object", "embed", "frame"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value}>")


def active_markup(html: str) -> list[str]:
    parser = _ActiveMarkup()
    parser.feed(html)
    return parser.found


XSS_TITLE = '<script>alert("title")</script><img src=x onerror=alert(1)>'
XSS_BODY = (
    '<script>alert(1)</script><img src="https://x.example/a.png" onerror="alert(2)">'
    '[click](javascript:alert(3)) <a href="https://ok.example" onclick="alert(4)">ok</a>'
    '<iframe src="https://evil.example"></iframe><svg onload=alert(5)></svg>'
)


def test_stored_xss_in_thread_titles_and_post_bodies_is_neutralised_on_every_page(
    room: Classroom,
) -> None:
    """Stored XSS (DESIGN section 4): a title is escaped, a body's Markdown is sanitized."""
    thread = ask(room, title=XSS_TITLE, body=XSS_BODY)
    actions.post_reply(room.ctx(room.bob), thread=thread, body=XSS_BODY)
    opening = thread.posts.get(is_opening=True)
    actions.edit_post(
        room.ctx(room.ada),
        post=Post.objects.select_related("thread").get(pk=opening.pk),
        body="fine",
    )
    actions.report_post(
        room.ctx(room.bob),
        post=Post.objects.select_related("thread").get(pk=opening.pk),
        reason=XSS_TITLE,
    )
    org = {"org_slug": room.org.slug}
    pages = [
        (room.bob, url(room, "forum_topic", topic="general")),
        (room.bob, url(room, "forum_thread", thread_id=thread.pk)),
        (room.bob, url(room, "forum_search") + "?q=alert"),
        (room.bob, url(room, "forum_post_history", post_id=opening.pk)),
        (room.bob, url(room, "forum_post_edit", post_id=thread.posts.get(is_opening=False).pk)),
        (room.ines, reverse("forum_unanswered", kwargs=org)),
        (room.ines, reverse("forum_moderation", kwargs=org)),
    ]
    for viewer, page in pages:
        response = client_for(viewer).get(page)
        assert response.status_code == 200, page
        assert active_markup(response.content.decode()) == [], page
    thread_page = client_for(room.bob).get(url(room, "forum_thread", thread_id=thread.pk))
    html = thread_page.content.decode()
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in html
    assert '<a rel="nofollow ugc noopener">click</a>' in html
    assert '<a href="https://ok.example" rel="nofollow ugc noopener">ok</a>' in html
    assert '<img src="https://x.example/a.png">' in html


def test_opening_a_thread_marks_it_read_and_new_replies_unread(room: Classroom) -> None:
    thread = ask(room)
    topic = url(room, "forum_topic", topic="general")
    assert "New<span" in client_for(room.bob).get(topic).content.decode()
    client_for(room.bob).get(url(room, "forum_thread", thread_id=thread.pk))
    assert ReadMarker.objects.filter(user=room.bob, thread=thread).exists()
    assert "New<span" not in client_for(room.bob).get(topic).content.decode()
    actions.post_reply(room.ctx(room.ines), thread=thread, body="SIRS is older.")
    assert "New<span" in client_for(room.bob).get(topic).content.decode()
    index = client_for(room.bob).get(url(room, "forum")).content.decode()
    assert "1 new" in index


def test_replies_votes_endorsement_acceptance_through_the_pages(room: Classroom) -> None:
    thread = ask(room)
    bob = client_for(room.bob)
    bob.post(url(room, "forum_thread", thread_id=thread.pk), {"body": "qSOFA at the bedside."})
    answer = Post.objects.get(thread=thread, is_opening=False)
    bob.post(
        url(room, "forum_thread", thread_id=thread.pk),
        {"body": "And lactate.", "parent": answer.pk},
    )
    assert Post.objects.get(parent=answer).body == "And lactate."
    client_for(room.ada).post(url(room, "forum_post_vote", post_id=answer.pk), {"value": "on"})
    assert Post.objects.get(pk=answer.pk).upvote_count == 1
    refused = bob.post(url(room, "forum_post_endorse", post_id=answer.pk), {"value": "on"})
    assert refused.status_code == 403
    assert Post.objects.get(pk=answer.pk).endorsed_at is None
    client_for(room.tara).post(url(room, "forum_post_endorse", post_id=answer.pk), {"value": "on"})
    client_for(room.ada).post(url(room, "forum_post_accept", post_id=answer.pk), {"value": "on"})
    thread.refresh_from_db()
    assert (thread.answered, thread.accepted_post_id) == (True, answer.pk)
    page = bob.get(url(room, "forum_thread", thread_id=thread.pk)).content.decode()
    assert "Accepted answer" in page
    assert "Endorsed by staff" in page
    assert "Answered" in page


def test_staff_pin_and_lock_and_learners_may_not(room: Classroom) -> None:
    thread = ask(room)
    moderate = url(room, "forum_thread_moderate", thread_id=thread.pk)
    assert client_for(room.bob).post(moderate, {"change": "pin"}).status_code == 403
    assert client_for(room.bob).post(moderate, {}).status_code == 403
    thread.refresh_from_db()
    assert (thread.pinned, thread.locked) == (False, False)
    client_for(room.ines).post(moderate, {"change": "pin"})
    client_for(room.ines).post(moderate, {"change": "lock"})
    thread.refresh_from_db()
    assert (thread.pinned, thread.locked) == (True, True)
    response = client_for(room.bob).post(
        url(room, "forum_thread", thread_id=thread.pk), {"body": "x"}
    )
    assert response.status_code == 400
    assert "This thread is locked." in response.content.decode()
    assert Post.objects.filter(thread=thread).count() == 1


def test_editing_through_the_page_keeps_history_and_others_get_403(room: Classroom) -> None:
    thread = ask(room, body="Old text")
    opening = thread.posts.get(is_opening=True)
    edit = url(room, "forum_post_edit", post_id=opening.pk)
    assert client_for(room.bob).get(edit).status_code == 403
    assert client_for(room.bob).post(edit, {"title": "Hacked", "body": "Hacked"}).status_code == 403
    response = client_for(room.ada).post(edit, {"title": "Clearer title", "body": "New text"})
    assert response.status_code == 302
    history = client_for(room.bob).get(url(room, "forum_post_history", post_id=opening.pk))
    html = history.content.decode()
    assert "Old text" in html
    assert "New text" in html
    assert "qSOFA or SIRS?" in html


def test_reports_reach_the_moderation_queue_and_are_resolved(room: Classroom) -> None:
    thread = ask(room)
    actions.post_reply(room.ctx(room.bob), thread=thread, body="Spam spam")
    answer = Post.objects.get(thread=thread, is_opening=False)
    client_for(room.ada).post(url(room, "forum_post_report", post_id=answer.pk), {"reason": "Spam"})
    report = Report.objects.get()
    queue = reverse("forum_moderation", kwargs={"org_slug": room.org.slug})
    assert client_for(room.ada).get(queue).status_code == 403
    assert "Spam spam" in client_for(room.tara).get(queue).content.decode()
    resolve = reverse(
        "forum_report_resolve", kwargs={"org_slug": room.org.slug, "report_id": report.pk}
    )
    assert client_for(room.ada).post(resolve, {"decision": "remove"}).status_code == 403
    assert Post.objects.get(pk=answer.pk).deleted_at is None
    client_for(room.tara).post(resolve, {"decision": "remove"})
    assert Post.objects.get(pk=answer.pk).deleted_at is not None
    page = client_for(room.ada).get(url(room, "forum_thread", thread_id=thread.pk)).content.decode()
    assert "Spam spam" not in page


def test_the_unanswered_queue_lists_open_questions_oldest_first(room: Classroom) -> None:
    first = ask(room, title="First question")
    second = ask(room, room.bob, title="Second question")
    ask(room, title="A discussion", kind=ThreadKind.DISCUSSION)
    answered = ask(room, title="Answered one")
    reply = actions.post_reply(room.ctx(room.ines), thread=answered, body="Yes.")
    actions.set_endorsed(
        room.ctx(room.ines),
        post=Post.objects.select_related("thread").get(pk=reply.pk),
        endorsed=True,
    )
    queue = reverse("forum_unanswered", kwargs={"org_slug": room.org.slug})
    assert client_for(room.ada).get(queue).status_code == 403
    html = client_for(room.ines).get(queue).content.decode()
    assert html.index(first.title) < html.index(second.title)
    assert "A discussion" not in html
    assert "Answered one" not in html


def test_search_finds_posts_with_highlighted_snippets_and_pages(room: Classroom) -> None:
    ask(room, title="Fluids", body="Give 30 mL/kg of crystalloid within three hours.")
    ask(room, title="Other", body="Nothing to see <b>here</b>.")
    response = client_for(room.bob).get(url(room, "forum_search") + "?q=crystalloid")
    html = response.content.decode()
    assert "1 result<" in html
    assert "<mark>crystalloid</mark>" in html
    assert client_for(room.bob).get(url(room, "forum_search") + "?q=").status_code == 400


def test_the_thread_page_answers_in_a_fixed_number_of_queries(
    room: Classroom, django_assert_num_queries: object
) -> None:
    thread = ask(room)
    for n in range(3):
        reply = actions.post_reply(room.ctx(room.bob), thread=thread, body=f"Reply {n}")
        actions.post_reply(
            room.ctx(room.ines),
            thread=thread,
            body="Comment",
            parent=Post.objects.select_related("thread").get(pk=reply.pk),
        )
    client = client_for(room.ada)
    client.get(url(room, "forum_thread", thread_id=thread.pk))  # the marker exists
    # session, user, membership, course, enrolment, thread, the read marker's update, posts
    # with the viewer's votes: the same with 6 posts or 16.
    with django_assert_num_queries(8):  # type: ignore[operator]
        assert client.get(url(room, "forum_thread", thread_id=thread.pk)).status_code == 200
    for n in range(10):
        actions.post_reply(room.ctx(room.bob), thread=thread, body=f"More {n}")
    with django_assert_num_queries(8):  # type: ignore[operator]
        assert client.get(url(room, "forum_thread", thread_id=thread.pk)).status_code == 200


def test_the_topic_list_and_index_answer_in_a_fixed_number_of_queries(
    room: Classroom, django_assert_num_queries: object
) -> None:
    for n in range(3):
        ask(room, title=f"Thread {n}")
    client = client_for(room.bob)
    with django_assert_num_queries(9):  # type: ignore[operator]
        assert client.get(url(room, "forum_topic", topic="general")).status_code == 200
    with django_assert_num_queries(9):  # type: ignore[operator]
        assert client.get(url(room, "forum")).status_code == 200
    for n in range(12):
        ask(room, room.bob, title=f"More {n}", anonymous=True)
    with django_assert_num_queries(9):  # type: ignore[operator]
        assert client.get(url(room, "forum_topic", topic="general")).status_code == 200
    with django_assert_num_queries(9):  # type: ignore[operator]
        assert client.get(url(room, "forum")).status_code == 200


def test_search_ranks_on_postgresql_and_orders_newest_first_on_sqlite(room: Classroom) -> None:
    """PostgreSQL: full-text search stems words ("fluids" finds "fluid") and ranks a match in
    the title above one in the text; SQLite: substring match, newest first."""
    in_text = ask(room, title="Dosing", body="Which fluid should we give first?")
    in_title = ask(room, room.bob, title="Fluid choice", body="Crystalloid or colloid?")
    page = client_for(room.bob).get(url(room, "forum_search") + "?q=fluid").content.decode()
    assert page.index(in_title.title) < page.index(in_text.title)
    stemmed = client_for(room.bob).get(url(room, "forum_search") + "?q=fluids").content.decode()
    if connection.vendor == "postgresql":
        assert "2 results<" in stemmed
        assert "<mark>fluid</mark>" in stemmed
    else:
        assert "0 results<" in stemmed


def test_a_title_matches_its_opening_post_only_not_every_reply(room: Classroom) -> None:
    thread = ask(room, title="Vasopressors", body="When to start?")
    actions.post_reply(room.ctx(room.bob), thread=thread, body="After fluids.")
    page = client_for(room.bob).get(url(room, "forum_search") + "?q=vasopressors")
    assert "1 result<" in page.content.decode()


def test_an_opening_post_keeps_a_title(room: Classroom) -> None:
    thread = ask(room)
    edit = url(room, "forum_post_edit", post_id=thread.posts.get(is_opening=True).pk)
    response = client_for(room.ada).post(edit, {"title": "", "body": "Changed"})
    assert response.status_code == 400
    thread.refresh_from_db()
    assert thread.title == "qSOFA or SIRS?"
    assert thread.posts.get(is_opening=True).body == "Which score first?"
