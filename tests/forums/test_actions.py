"""The forums' writes: threads, replies one level deep, answers, votes, edits with history,
soft delete, follows, reads, mentions, reports; each refusal leaves nothing changed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from cadenza.activity.models import Statement
from cadenza.forums import actions
from cadenza.forums.actions import ForumRefusal
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
    Vote,
)
from tests.forums.conftest import Classroom

pytestmark = pytest.mark.django_db


def ask(room: Classroom, *, body: str = "Which score first?", anonymous: bool = False) -> Thread:
    return actions.start_thread(
        room.ctx(room.ada),
        place=room.place(room.ada),
        kind=ThreadKind.QUESTION,
        title="qSOFA or SIRS?",
        body=body,
        anonymous=anonymous,
    )


def reply(
    room: Classroom, thread: Thread, user: object, body: str = "qSOFA.", **kw: object
) -> Post:
    return actions.post_reply(room.ctx(user), thread=thread, body=body, **kw)  # type: ignore[arg-type]


def test_starting_a_thread_makes_the_topic_its_opening_post_a_follow_and_a_statement(
    room: Classroom,
) -> None:
    thread = ask(room)
    assert Topic.objects.filter(course=room.course, kind="general").count() == 1
    opening = Post.objects.get(thread=thread)
    assert (opening.is_opening, opening.body, opening.author_id) == (
        True,
        "Which score first?",
        room.ada.pk,
    )
    assert list(Follow.objects.values_list("user_id", "thread_id")) == [(room.ada.pk, thread.pk)]
    assert ReadMarker.objects.get(user=room.ada, thread=thread).read_at == thread.created_at
    statement = Statement.objects.get(actor=room.ada, object_type="forum_post")
    assert statement.verb == "http://adlnet.gov/expapi/verbs/commented"
    assert (statement.object_id, statement.object_iri) == (
        str(opening.pk),
        f"urn:cadenza:{room.org.slug}:forum-post:{opening.pk}",
    )


def test_replies_nest_one_level_only(room: Classroom) -> None:
    thread = ask(room)
    answer = reply(room, thread, room.bob)
    comment = reply(room, thread, room.ada, "Thanks!", parent=answer)
    assert comment.parent_id == answer.pk
    before = Post.objects.count()
    with pytest.raises(ForumRefusal, match="comment on a reply"):
        reply(room, thread, room.bob, "deeper", parent=comment)
    opening = Post.objects.get(thread=thread, is_opening=True)
    with pytest.raises(ForumRefusal):
        reply(room, thread, room.bob, "on the question", parent=opening)
    assert Post.objects.count() == before
    thread.refresh_from_db()
    assert thread.reply_count == 2


def test_a_locked_thread_refuses_replies_from_learners_but_not_staff(room: Classroom) -> None:
    thread = ask(room)
    actions.set_locked(room.ctx(room.tara), thread=thread, locked=True)
    with pytest.raises(ForumRefusal, match="locked"):
        reply(room, thread, room.bob)
    assert Post.objects.filter(thread=thread).count() == 1
    reply(room, thread, room.ines, "Closing note.")
    assert Post.objects.filter(thread=thread).count() == 2


def test_learners_may_not_pin_lock_or_endorse(room: Classroom) -> None:
    thread = ask(room)
    answer = reply(room, thread, room.bob)
    with pytest.raises(PermissionDenied):
        actions.set_pinned(room.ctx(room.bob), thread=thread, pinned=True)
    with pytest.raises(PermissionDenied):
        actions.set_locked(room.ctx(room.ada), thread=thread, locked=True)
    with pytest.raises(PermissionDenied):
        actions.set_endorsed(room.ctx(room.ada), post=answer, endorsed=True)
    thread.refresh_from_db()
    answer.refresh_from_db()
    assert (thread.pinned, thread.locked, thread.answered, answer.endorsed_at) == (
        False,
        False,
        False,
        None,
    )


def test_an_endorsed_answer_answers_the_question_until_withdrawn(room: Classroom) -> None:
    thread = ask(room)
    answer = reply(room, thread, room.bob)
    actions.set_endorsed(room.ctx(room.tara), post=answer, endorsed=True)
    thread.refresh_from_db()
    assert thread.answered is True
    assert Post.objects.get(pk=answer.pk).endorsed_by_id == room.tara.pk
    actions.set_endorsed(room.ctx(room.tara), post=answer, endorsed=False)
    thread.refresh_from_db()
    assert thread.answered is False


def test_the_asker_accepts_an_answer_and_nobody_else_among_learners(room: Classroom) -> None:
    thread = ask(room)
    answer = reply(room, thread, room.bob)
    with pytest.raises(PermissionDenied):
        actions.set_accepted(room.ctx(room.bob), post=answer, accepted=True)
    thread.refresh_from_db()
    assert (thread.accepted_post_id, thread.answered) == (None, False)
    actions.set_accepted(room.ctx(room.ada), post=Post.objects.get(pk=answer.pk), accepted=True)
    thread.refresh_from_db()
    assert (thread.accepted_post_id, thread.answered) == (answer.pk, True)


def test_a_discussion_has_no_accepted_answer(room: Classroom) -> None:
    thread = actions.start_thread(
        room.ctx(room.ada),
        place=room.place(room.ada),
        kind=ThreadKind.DISCUSSION,
        title="Night shifts",
        body="How do you cope?",
    )
    answer = reply(room, thread, room.bob)
    with pytest.raises(ForumRefusal):
        actions.set_accepted(room.ctx(room.ada), post=answer, accepted=True)
    thread.refresh_from_db()
    assert (thread.accepted_post_id, thread.answered) == (None, False)


def test_one_upvote_per_person_toggled(room: Classroom) -> None:
    thread = ask(room)
    answer = reply(room, thread, room.bob)
    actions.set_vote(room.ctx(room.ada), post=answer, voted=True)
    actions.set_vote(room.ctx(room.ada), post=answer, voted=True)
    actions.set_vote(room.ctx(room.ines), post=answer, voted=True)
    assert Post.objects.get(pk=answer.pk).upvote_count == 2
    assert Vote.objects.filter(post=answer).count() == 2
    actions.set_vote(room.ctx(room.ada), post=answer, voted=False)
    actions.set_vote(room.ctx(room.ada), post=answer, voted=False)
    assert Post.objects.get(pk=answer.pk).upvote_count == 1
    assert list(Vote.objects.filter(post=answer).values_list("user_id", flat=True)) == [
        room.ines.pk
    ]


def test_editing_appends_the_replaced_text_to_the_history(room: Classroom) -> None:
    thread = ask(room, body="First words")
    opening = Post.objects.select_related("thread").get(thread=thread)
    actions.edit_post(room.ctx(room.ada), post=opening, body="Second words", title="New title")
    actions.edit_post(room.ctx(room.ada), post=opening, body="Third words")
    history = list(PostRevision.objects.filter(post=opening).values_list("title", "body"))
    assert history == [("qSOFA or SIRS?", "First words"), ("New title", "Second words")]
    opening.refresh_from_db()
    thread.refresh_from_db()
    assert (opening.body, thread.title) == ("Third words", "New title")
    assert opening.edited_at is not None


def test_others_may_not_edit_and_authors_not_in_a_locked_thread(room: Classroom) -> None:
    thread = ask(room, body="Mine")
    opening = Post.objects.select_related("thread").get(thread=thread)
    with pytest.raises(PermissionDenied):
        actions.edit_post(room.ctx(room.bob), post=opening, body="Bob's words")
    actions.set_locked(room.ctx(room.ines), thread=thread, locked=True)
    opening.thread.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.edit_post(room.ctx(room.ada), post=opening, body="Later words")
    assert Post.objects.get(pk=opening.pk).body == "Mine"
    assert PostRevision.objects.count() == 0
    actions.edit_post(room.ctx(room.ines), post=opening, body="Moderated")
    assert Post.objects.get(pk=opening.pk).body == "Moderated"


def test_deleting_is_soft_and_an_accepted_answer_deleted_unanswers(room: Classroom) -> None:
    thread = ask(room)
    answer = reply(room, thread, room.bob)
    actions.set_accepted(room.ctx(room.ada), post=Post.objects.get(pk=answer.pk), accepted=True)
    with pytest.raises(PermissionDenied):
        actions.delete_post(room.ctx(room.ada), post=Post.objects.get(pk=answer.pk))
    actions.delete_post(
        room.ctx(room.bob), post=Post.objects.select_related("thread").get(pk=answer.pk)
    )
    deleted = Post.objects.get(pk=answer.pk)
    assert deleted.deleted_at is not None
    assert deleted.deleted_by_id == room.bob.pk
    assert deleted.body == "qSOFA."
    thread.refresh_from_db()
    assert (thread.answered, thread.accepted_post_id, thread.reply_count) == (False, None, 0)


def test_deleting_the_opening_post_deletes_the_thread(room: Classroom) -> None:
    thread = ask(room)
    opening = Post.objects.select_related("thread").get(thread=thread)
    actions.delete_post(room.ctx(room.tara), post=opening)
    thread.refresh_from_db()
    assert thread.deleted_at is not None
    assert Thread.objects.count() == 1


def test_mentions_of_course_members_are_recorded_and_others_ignored(room: Classroom) -> None:
    thread = ask(
        room,
        body="Asking @bob and @ines@harbour.example, not @nell or @nobody; mail x@bob.example",
    )
    opening = Post.objects.get(thread=thread)
    assert set(Mention.objects.filter(post=opening).values_list("user_id", flat=True)) == {
        room.bob.pk,
        room.ines.pk,
    }


def test_unit_discussion_is_off_until_staff_turn_it_on(room: Classroom) -> None:
    key = f"unit-{room.unit.pk}"
    place = room.place(room.ines, key)
    assert place.discussion_open is False
    with pytest.raises(ForumRefusal, match="turned off"):
        actions.start_thread(
            room.ctx(room.ines), place=place, kind=ThreadKind.QUESTION, title="t", body="b"
        )
    with pytest.raises(PermissionDenied):
        actions.set_unit_discussion(room.ctx(room.ada), place=place, open=True)
    assert Thread.objects.count() == 0
    assert Topic.objects.count() == 0
    actions.set_unit_discussion(room.ctx(room.ines), place=place, open=True)
    thread = actions.start_thread(
        room.ctx(room.ada),
        place=room.place(room.ada, key),
        kind=ThreadKind.QUESTION,
        title="About qSOFA",
        body="?",
    )
    assert thread.topic.unit_id == room.unit.pk


def test_following_a_topic_and_a_thread_is_idempotent(room: Classroom) -> None:
    thread = ask(room)
    ctx = room.ctx(room.bob)
    actions.set_following_topic(ctx, place=room.place(room.bob), following=True)
    actions.set_following_topic(ctx, place=room.place(room.bob), following=True)
    actions.set_following_thread(ctx, thread=thread, following=True)
    assert Follow.objects.filter(user=room.bob).count() == 2
    actions.set_following_thread(ctx, thread=thread, following=False)
    actions.set_following_topic(ctx, place=room.place(room.bob), following=False)
    assert Follow.objects.filter(user=room.bob).count() == 0


def test_reports_once_per_person_never_ones_own_and_resolved_together(room: Classroom) -> None:
    thread = ask(room)
    answer = reply(room, thread, room.bob, "Buy cheap watches")
    post = Post.objects.select_related("thread").get(pk=answer.pk)
    with pytest.raises(ForumRefusal):
        actions.report_post(room.ctx(room.bob), post=post, reason="mine")
    actions.report_post(room.ctx(room.ada), post=post, reason="Spam")
    with pytest.raises(ForumRefusal, match="already"):
        actions.report_post(room.ctx(room.ada), post=post, reason="Spam again")
    actions.report_post(room.ctx(room.ines), post=post, reason="Spam too")
    assert Report.objects.count() == 2
    first = Report.objects.select_related("post", "post__thread").order_by("pk").first()
    assert first is not None
    with pytest.raises(PermissionDenied):
        actions.resolve_report(room.ctx(room.bob), report=first, remove_post=True)
    assert Report.objects.filter(resolved_at__isnull=True).count() == 2
    actions.resolve_report(room.ctx(room.tara), report=first, remove_post=True)
    assert list(Report.objects.values_list("resolution", flat=True)) == ["removed", "removed"]
    assert Post.objects.get(pk=answer.pk).deleted_by_id == room.tara.pk


def test_followers_are_told_of_new_posts_and_peers_never_learn_an_anonymous_name(
    room: Classroom,
) -> None:
    from cadenza.notifications.models import Notification

    thread = ask(room, anonymous=True)
    actions.set_following_thread(room.ctx(room.bob), thread=thread, following=True)
    actions.set_following_thread(room.ctx(room.tara), thread=thread, following=True)
    reply(room, thread, room.ada, "More details", anonymous=True)
    told = {
        row.user_id: row.title
        for row in Notification.objects.filter(kind="forums.post").order_by("pk")
    }
    assert told == {
        room.bob.pk: "Anonymous replied: “qSOFA or SIRS?”",
        room.tara.pk: "Ada Lovelace replied: “qSOFA or SIRS?”",
    }


def test_a_mention_tells_the_member_once_even_after_an_edit(room: Classroom) -> None:
    from cadenza.notifications.models import Notification

    thread = ask(room, body="Asking @bob")
    opening = Post.objects.select_related("thread").get(thread=thread)
    actions.edit_post(room.ctx(room.ada), post=opening, body="Asking @bob and @ines")
    rows = Notification.objects.filter(kind="forums.mention").order_by("user_id")
    assert [(row.user_id, row.title) for row in rows] == [
        (room.bob.pk, "Ada Lovelace mentioned you in “qSOFA or SIRS?”"),
        (room.ines.pk, "Ada Lovelace mentioned you in “qSOFA or SIRS?”"),
    ]
