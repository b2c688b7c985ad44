"""The forums through /api/v1: the pages' rules (visibility, roles, anonymity towards peers),
strict bodies, search and the staff's queues."""

from __future__ import annotations

from typing import Any

import pytest

from cadenza.forums.models import Post, Thread
from tests.api.conftest import JsonClient
from tests.forums.conftest import Classroom, build_classroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(db: None) -> Classroom:
    return build_classroom()


def forum(room: Classroom) -> str:
    return f"/orgs/{room.org.slug}/courses/{room.course.slug}/forum"


def start(room: Classroom, client: JsonClient, **fields: object) -> dict[str, Any]:
    body = {"kind": "question", "title": "qSOFA or SIRS?", "body": "Which *first*?"} | fields
    response = client.post(forum(room) + "/topics/general/threads", body)
    assert response.status_code == 201, response.content
    return response.json()  # type: ignore[no-any-return]


def test_starting_listing_and_reading_a_thread(room: Classroom) -> None:
    ada = JsonClient(room.ada)
    made = start(room, ada)
    assert made["opening"]["body_html"] == "<p>Which <em>first</em>?</p>"
    assert made["following"] is True
    bob = JsonClient(room.bob)
    listed = bob.get(forum(room) + "/topics/general/threads").json()
    assert (listed["count"], listed["threads"][0]["title"], listed["threads"][0]["unread"]) == (
        1,
        "qSOFA or SIRS?",
        True,
    )
    topics = bob.get(forum(room) + "/topics").json()
    assert [(t["key"], t["thread_count"], t["unread_count"]) for t in topics] == [
        ("general", 1, 1),
        (f"module-{room.module.pk}", 0, 0),
    ]
    thread = f"/orgs/{room.org.slug}/forum/threads/{made['id']}"
    reply = bob.post(thread + "/posts", {"body": "qSOFA at the bedside."})
    assert reply.status_code == 201
    comment = ada.post(thread + "/posts", {"body": "Thanks", "parent": reply.json()["id"]})
    assert comment.json()["parent"] == reply.json()["id"]
    read = bob.patch(thread, {"read": True, "following": True}).json()
    assert read["following"] is True
    assert [r["comments"][0]["body"] for r in read["replies"]] == ["Thanks"]


def test_anonymous_authors_are_null_to_peers_and_named_to_staff(room: Classroom) -> None:
    made = start(room, JsonClient(room.ada), anonymous=True)
    thread = f"/orgs/{room.org.slug}/forum/threads/{made['id']}"
    peer = JsonClient(room.bob).get(thread).json()
    assert peer["opening"]["author"] == {"id": None, "name": "Anonymous", "anonymous": True}
    listed = JsonClient(room.bob).get(forum(room) + "/topics/general/threads").json()
    assert listed["threads"][0]["author"]["id"] is None
    found = JsonClient(room.bob).get(forum(room) + "/search?q=first").json()
    assert found["results"][0]["author"]["name"] == "Anonymous"
    staff = JsonClient(room.tara).get(thread).json()
    assert staff["opening"]["author"] == {
        "id": room.ada.pk,
        "name": "Ada Lovelace",
        "anonymous": True,
    }
    queue = JsonClient(room.ines).get(f"/orgs/{room.org.slug}/forum/unanswered").json()
    assert queue["threads"][0]["author"]["name"] == "Ada Lovelace"


def test_another_organizations_thread_is_404_and_unchanged(room: Classroom) -> None:
    other = build_classroom("estuary")
    made = start(other, JsonClient(other.ada))
    ada = JsonClient(room.ada)
    assert ada.get(f"/orgs/{room.org.slug}/forum/threads/{made['id']}").status_code == 404
    assert ada.get(f"/orgs/{other.org.slug}/forum/threads/{made['id']}").status_code == 404
    opening = made["opening"]["id"]
    assert (
        ada.put(f"/orgs/{room.org.slug}/forum/posts/{opening}/vote", {"on": True}).status_code
        == 404
    )
    assert (
        JsonClient(room.ines)
        .patch(f"/orgs/{room.org.slug}/forum/threads/{made['id']}", {"pinned": True})
        .status_code
        == 404
    )
    assert Post.objects.get(pk=opening).upvote_count == 0
    assert Thread.objects.get(pk=made["id"]).pinned is False


def test_learners_may_not_moderate_and_nothing_changes(room: Classroom) -> None:
    made = start(room, JsonClient(room.ada))
    thread = f"/orgs/{room.org.slug}/forum/threads/{made['id']}"
    bob = JsonClient(room.bob)
    reply = bob.post(thread + "/posts", {"body": "An answer"}).json()
    assert bob.patch(thread, {"locked": True}).status_code == 403
    post = f"/orgs/{room.org.slug}/forum/posts/{reply['id']}"
    assert bob.put(post + "/endorsement", {"on": True}).status_code == 403
    assert bob.put(post + "/acceptance", {"on": True}).status_code == 403
    assert bob.get(f"/orgs/{room.org.slug}/forum/reports").status_code == 403
    assert bob.get(f"/orgs/{room.org.slug}/forum/unanswered").status_code == 403
    unit_topic = forum(room) + f"/topics/unit-{room.unit.pk}/discussion"
    assert bob.put(unit_topic, {"on": True}).status_code == 404
    saved = Thread.objects.get(pk=made["id"])
    assert (saved.locked, saved.answered) == (False, False)
    accepted = JsonClient(room.ada).put(post + "/acceptance", {"on": True})
    assert accepted.json()["accepted"] is True
    assert JsonClient(room.ines).put(unit_topic, {"on": True}).json()["discussion_open"] is True


def test_bodies_are_strict_and_locked_threads_refuse_with_400(room: Classroom) -> None:
    ada = JsonClient(room.ada)
    path = forum(room) + "/topics/general/threads"
    assert (
        ada.post(path, {"kind": "question", "title": "t", "body": "b", "x": 1}).status_code == 422
    )
    assert ada.post(path, {"kind": "poll", "title": "t", "body": "b"}).status_code == 422
    assert ada.post(path, {"kind": "question", "title": " ", "body": "b"}).status_code == 422
    assert Thread.objects.count() == 0
    made = start(room, ada)
    thread = f"/orgs/{room.org.slug}/forum/threads/{made['id']}"
    JsonClient(room.ines).patch(thread, {"locked": True})
    refused = JsonClient(room.bob).post(thread + "/posts", {"body": "late"})
    assert (refused.status_code, refused.json()) == (400, {"detail": "This thread is locked."})
    assert Post.objects.count() == 1


def test_edit_history_vote_report_and_resolve(room: Classroom) -> None:
    made = start(room, JsonClient(room.ada))
    opening = f"/orgs/{room.org.slug}/forum/posts/{made['opening']['id']}"
    edited = JsonClient(room.ada).patch(opening, {"body": "Clearer", "title": "Better title"})
    assert edited.json()["body"] == "Clearer"
    assert [r["body"] for r in JsonClient(room.bob).get(opening + "/history").json()] == [
        "Which *first*?"
    ]
    assert JsonClient(room.bob).put(opening + "/vote", {"on": True}).json()["upvotes"] == 1
    made_report = JsonClient(room.bob).post(opening + "/reports", {"reason": "Off topic"})
    assert made_report.status_code == 201
    report_id = made_report.json()["id"]
    assert [
        r["id"] for r in JsonClient(room.tara).get(f"/orgs/{room.org.slug}/forum/reports").json()
    ] == [report_id]
    resolved = JsonClient(room.tara).post(
        f"/orgs/{room.org.slug}/forum/reports/{report_id}/resolve", {"remove_post": False}
    )
    assert resolved.json()["resolution"] == "dismissed"
    assert JsonClient(room.ada).delete(opening).status_code == 204
    assert (
        JsonClient(room.bob).get(f"/orgs/{room.org.slug}/forum/threads/{made['id']}").status_code
        == 404
    )
