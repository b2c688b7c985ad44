"""A person writing faster than the room allows is refused, per kind, without slowing others.

The limits are token buckets per person and kind (``cadenza.live.room.limits``); the tests set
a small chat limit (3 at once, then 1 a second) and move the buckets' clock instead of
sleeping.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from pytest_django.fixtures import Settings

from cadenza.lib.rate_limit import Rate, TokenBuckets, parse_rates
from cadenza.live.models import ChatMessage, RoomQuestion
from cadenza.live.room.limits import write_buckets
from tests.api.conftest import api_as
from tests.live.conftest import Classroom, Room, build_classroom

LIMITS = {
    "chat": Rate(per_second=1, burst=3),
    "questions": Rate(per_second=0.2, burst=1),
    "votes": Rate(per_second=2, burst=10),
    "hands": Rate(per_second=0.5, burst=4),
}


class Clock:
    """The buckets' time, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(settings: Settings) -> Clock:
    """The buckets' clock for this test (tests/conftest.py puts the real one back)."""
    settings.LIVE_WRITE_LIMITS = LIMITS
    fake = Clock()
    write_buckets.clock = fake
    return fake


def _bodies() -> list[str]:
    return list(ChatMessage.objects.order_by("seq").values_list("body", flat=True))


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_write_past_the_burst_is_refused_and_not_stored_until_time_passes(
    classroom: Classroom, room: Room, clock: Clock
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)
    bob, _ = await room.join(classroom.bob, classroom.session)
    acks = [await ada.write("chat.post", body=f"flood {n}") for n in (1, 2, 3)]

    refused = await ada.write("chat.post", body="flood 4", client_event_id="c-4")
    bob_ack = await bob.write("chat.post", body="Bob is not slowed")
    question = await ada.write("question.ask", body="Another kind still passes?")

    assert [ack["type"] for ack in acks] == ["ack", "ack", "ack"]
    assert refused == {
        "type": "error",
        "client_event_id": "c-4",
        "detail": "You are writing too fast: wait 1 s and send it again.",
        "code": "rate_limited",
        "retry_after": 1.0,
    }
    assert bob_ack["type"] == "ack"
    assert question["type"] == "ack"
    assert await database_sync_to_async(_bodies)() == [
        "flood 1",
        "flood 2",
        "flood 3",
        "Bob is not slowed",
    ]

    clock.now += 0.5
    still = await ada.write("chat.post", body="flood 4", client_event_id="c-4")
    clock.now += 0.5
    passed = await ada.write("chat.post", body="flood 4", client_event_id="c-4")

    assert (still["code"], still["retry_after"]) == ("rate_limited", 0.5)
    assert passed["type"] == "ack"
    assert (await database_sync_to_async(_bodies)())[-1] == "flood 4"


@pytest.mark.django_db
def test_the_api_answers_429_with_retry_after_and_stores_nothing(clock: Clock) -> None:
    classroom = build_classroom()
    url = f"/orgs/harbour/live-sessions/{classroom.session.pk}/room/commands"
    ada, bob = api_as(classroom.ada), api_as(classroom.bob)
    asked = ada.post(url, {"type": "question.ask", "client_event_id": "q-1", "body": "Why?"})

    again = ada.post(url, {"type": "question.ask", "client_event_id": "q-2", "body": "And?"})
    other = bob.post(url, {"type": "question.ask", "client_event_id": "q-3", "body": "How?"})

    assert asked.status_code == 200
    assert (again.status_code, again.json()) == (
        429,
        {"detail": "You are writing too fast: wait 5 s and send it again.", "retry_after": 5.0},
    )
    assert again["Retry-After"] == "5"
    assert other.status_code == 200
    assert list(RoomQuestion.objects.order_by("seq").values_list("body", flat=True)) == [
        "Why?",
        "How?",
    ]
    clock.now += 5
    later = ada.post(url, {"type": "question.ask", "client_event_id": "q-2", "body": "And?"})
    assert later.json() == {"client_event_id": "q-2", "seq": 3}


def test_a_bucket_refills_at_its_rate_up_to_its_burst() -> None:
    now = [0.0]
    buckets = TokenBuckets(clock=lambda: now[0])
    rate = Rate(per_second=2, burst=2)

    taken = [buckets.take("ada", rate) for _ in range(3)]
    now[0] += 10  # a long pause refills to the burst, not beyond
    after_pause = [buckets.take("ada", rate) for _ in range(3)]

    assert taken == [0.0, 0.0, 0.5]
    assert after_pause == [0.0, 0.0, 0.5]
    assert buckets.take("bob", rate) == 0.0


def test_limits_from_the_environment_override_the_defaults_by_kind() -> None:
    defaults = {"chat": Rate(per_second=1, burst=10), "votes": Rate(per_second=2, burst=10)}

    assert parse_rates("chat=0.5/4", defaults=defaults) == {
        "chat": Rate(per_second=0.5, burst=4),
        "votes": Rate(per_second=2, burst=10),
    }
    assert parse_rates("", defaults=defaults) == defaults
    with pytest.raises(ValueError, match="Unknown rate 'chats'"):
        parse_rates("chats=1/2", defaults=defaults)
    with pytest.raises(ValueError, match="is not kind=per_second/burst"):
        parse_rates("chat=fast", defaults=defaults)
    with pytest.raises(ValueError, match="more than 0 per second"):
        parse_rates("chat=0/4", defaults=defaults)
