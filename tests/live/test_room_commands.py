"""The room's commands are declared models: one parser for the socket and the API, strict
types, undeclared fields refused, and the union documented in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.test import Client

from cadenza.live.models import RoomEvent
from cadenza.live.room.events.commands import (
    BreakoutRoomPlan,
    BreakoutsStart,
    ChatPost,
    CommandError,
    HandLower,
    PollVote,
    parse_command,
)
from tests.api.conftest import API
from tests.live.conftest import Classroom, Room

NO_ID = 'A write needs a "client_event_id" of 1 to 64 characters.'


def test_a_frame_becomes_its_typed_command_with_defaults() -> None:
    assert parse_command(
        {"type": "chat.post", "client_event_id": "c-1", "body": "Hi", "to": 7}
    ) == ChatPost(type="chat.post", client_event_id="c-1", body="Hi", to=7)
    assert parse_command({"type": "hand.lower", "client_event_id": "h"}) == HandLower(
        type="hand.lower", client_event_id="h", user_id=None
    )
    assert parse_command(
        {
            "type": "breakouts.start",
            "client_event_id": "b",
            "rooms": [{"name": "Triage", "members": [3, 4]}],
        }
    ) == BreakoutsStart(
        type="breakouts.start",
        client_event_id="b",
        rooms=[BreakoutRoomPlan(name="Triage", members=[3, 4])],
    )


@pytest.mark.parametrize(
    ("frame", "detail"),
    [
        (
            {"type": "chat.post", "client_event_id": "x", "body": "Hi", "to": "7"},
            '"to" must be a whole number.',
        ),
        (
            {"type": "chat.post", "client_event_id": "x", "body": "Hi", "to": 7.0},
            '"to" must be a whole number.',
        ),
        ({"type": "chat.post", "client_event_id": "x", "body": ["Hi"]}, '"body" must be text.'),
        ({"type": "chat.post", "client_event_id": 5, "body": "Hi"}, NO_ID),
        ({"type": "chat.post", "client_event_id": "", "body": "Hi"}, NO_ID),
        ({"type": "chat.post", "client_event_id": "x"}, '"body" is required.'),
        ({"type": "poll.vote", "client_event_id": "x", "poll_id": 1}, '"option_ids" is required.'),
        (
            {"type": "poll.vote", "client_event_id": "x", "poll_id": 0, "option_ids": [1]},
            '"poll_id" must be at least 1.',
        ),
        (
            {"type": "poll.vote", "client_event_id": "x", "poll_id": 2**63, "option_ids": [1]},
            '"poll_id" must be at most 9223372036854775807.',
        ),
        (
            {"type": "question.ask", "client_event_id": "x", "body": "?", "anonymous": "yes"},
            '"anonymous" must be true or false.',
        ),
        (
            {"type": "breakouts.start", "client_event_id": "x", "rooms": [{"name": "A"}]},
            '"rooms.0.members" is required.',
        ),
        (
            {"type": "breakouts.start", "client_event_id": "x", "rooms": ["A"]},
            '"rooms.0" must be an object.',
        ),
        (
            {"type": "hand.raise", "client_event_id": "x", "user_id": 3},
            "Unexpected fields: user_id.",
        ),
        (
            {"type": "chat.post", "client_event_id": "x", "body": "a\x00b"},
            '"body": This text contains an invisible control character (U+0000 NUL) at '
            "character 2; remove it and try again.",
        ),
        (
            {"type": "poll.create", "client_event_id": "x", "prompt": "?", "options": ["a\nb"]},
            '"options.0": This text contains a line break (U+000A) at character 2; remove it and '
            "try again.",
        ),
        ({"type": None, "client_event_id": "x"}, "Send a JSON object with a type."),
        ({"type": "hello!", "client_event_id": "x"}, "Unknown frame type 'hello!'."),
    ],
)
def test_what_is_not_a_command_is_refused_with_a_sentence(
    frame: dict[str, Any], detail: str
) -> None:
    with pytest.raises(CommandError) as refused:
        parse_command(frame)
    assert str(refused.value) == detail


def test_each_kind_of_write_that_can_flood_names_its_limit() -> None:
    assert ChatPost.limit == "chat"
    assert PollVote.limit == "votes"
    assert HandLower.limit == "hands"
    assert BreakoutsStart.limit is None


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_socket_answers_a_mistyped_write_with_an_error_frame_and_stores_nothing(
    classroom: Classroom, room: Room
) -> None:
    ada, _ = await room.join(classroom.ada, classroom.session)

    mistyped = await ada.write("chat.post", body="Hi", to="host", client_event_id="e1")
    with_nul = await ada.write("chat.post", body="Hi\x00", client_event_id="e2")

    assert mistyped == {
        "type": "error",
        "client_event_id": "e1",
        "detail": '"to" must be a whole number.',
    }
    assert with_nul["detail"] == (
        '"body": This text contains an invisible control character (U+0000 NUL) at '
        "character 3; remove it and try again."
    )
    assert await database_sync_to_async(RoomEvent.objects.count)() == 0


@pytest.mark.django_db
def test_the_api_documents_every_command_of_the_union(classroom_admin: Client) -> None:
    schema = classroom_admin.get(f"{API}/openapi.json").json()
    path = schema["paths"]["/api/v1/orgs/{org}/live-sessions/{session}/room/commands"]["post"]
    body = path["requestBody"]["content"]["application/json"]["schema"]
    by_type = {variant["properties"]["type"]["const"]: variant for variant in body["oneOf"]}

    assert body["discriminator"] == {"propertyName": "type"}
    assert len(by_type) == 29
    assert by_type["microphone.mute"]["required"] == ["client_event_id", "type", "user_id"]
    assert by_type["screen_sharing.allow"]["required"] == ["client_event_id", "type"]
    assert by_type["screen_sharing.forbid"]["required"] == ["client_event_id", "type"]
    assert by_type["poll.remove"]["required"] == ["client_event_id", "type", "poll_id"]
    assert by_type["chat.post"]["additionalProperties"] is False
    assert by_type["chat.post"]["required"] == ["client_event_id", "type", "body"]
    assert by_type["poll.vote"]["properties"]["option_ids"]["items"]["type"] == "integer"
    assert set(path["responses"]) >= {"200", "400", "403", "404", "422", "429"}


@pytest.fixture
def classroom_admin() -> Client:
    from tests.live.conftest import build_classroom

    client = Client()
    client.force_login(build_classroom().admin)
    return client
