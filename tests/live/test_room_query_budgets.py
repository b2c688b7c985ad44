"""The room's hot paths run a fixed number of queries: the chat write and the snapshot.

Counted as the server runs them, outside a test transaction (``transaction=True``): a chat
write over the socket is ``cadenza.live.room.commands.perform`` (admission, then the action),
and a joiner or a client that fell behind reads ``room_snapshot``. The numbers are pinned per
database, as they differ (PostgreSQL's ``SELECT ... FOR UPDATE`` and ``RETURNING`` against
SQLite's).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadenza.live.models import Poll
from cadenza.live.room.actions.chat import post_chat_message
from cadenza.live.room.actions.hands import raise_hand
from cadenza.live.room.actions.polls import create_poll, vote_in_poll
from cadenza.live.room.actions.questions import ask_question
from cadenza.live.room.commands import perform
from cadenza.live.room.selectors.room import access_room
from cadenza.live.room.selectors.snapshot import room_snapshot
from tests.live.conftest import Classroom, build_classroom, ctx_of

pytestmark = pytest.mark.django_db(transaction=True)

CHAT_OVER_THE_SOCKET = {"postgresql": 16, "sqlite": 16}
"""A chat message as the socket writes it: parsed, admitted (``access_room``: 6 queries),
then stored (the 16 of docs/performance.md, "The room's write path")."""
CHAT_ACTION = {"postgresql": 12, "sqlite": 12}
"""``post_chat_message`` alone, for a caller that has not admitted the writer."""
SNAPSHOT = {"postgresql": 11, "sqlite": 11}
"""A learner's snapshot of a room with polls, votes, chat, a question and a raised hand."""


@pytest.fixture
def classroom() -> Classroom:
    return build_classroom()


def _budget(numbers: dict[str, int]) -> int:
    return numbers[connection.vendor]


def test_a_chat_message_over_the_socket_runs_a_fixed_number_of_queries(
    classroom: Classroom,
) -> None:
    perform(
        user=classroom.ada,
        session_id=classroom.session.pk,
        data={"type": "chat.post", "client_event_id": "warm-up", "body": "Hello"},
    )
    ctx = ctx_of(classroom.bob, classroom.org)

    with CaptureQueriesContext(connection) as socket_write:
        perform(
            user=classroom.ada,
            session_id=classroom.session.pk,
            data={"type": "chat.post", "client_event_id": "c-1", "body": "Lactate is 4"},
        )
    with CaptureQueriesContext(connection) as action:
        post_chat_message(ctx=ctx, session=classroom.session, body="Thanks", client_event_id="b")

    assert len(socket_write) == _budget(CHAT_OVER_THE_SOCKET)
    assert len(action) == _budget(CHAT_ACTION)


def _more_polls(classroom: Classroom, numbers: range) -> None:
    """Open polls ``numbers`` (by the host); Ada and Bob vote in each."""
    host = ctx_of(classroom.host, classroom.org)
    for n in numbers:
        create_poll(
            ctx=host,
            session=classroom.session,
            prompt=f"Question {n}?",
            options=["Yes", "No"],
            open_now=True,
            client_event_id=f"p-{n}",
        )
        poll = Poll.objects.get(prompt=f"Question {n}?")
        for person in (classroom.ada, classroom.bob):
            vote_in_poll(
                ctx=ctx_of(person, classroom.org),
                session=classroom.session,
                poll_id=poll.pk,
                option_ids=[poll.options.all()[0].pk],
                client_event_id=f"v-{n}",
            )


def _snapshot_queries(classroom: Classroom) -> int:
    access = access_room(user=classroom.ada, session_id=classroom.session.pk)
    with CaptureQueriesContext(connection) as queries:
        snapshot = room_snapshot(access, present=[classroom.ada.pk, classroom.bob.pk])
    assert snapshot.present_count == 2
    return len(queries)


def test_the_snapshot_runs_the_same_number_of_queries_however_many_polls_ran(
    classroom: Classroom,
) -> None:
    ada = ctx_of(classroom.ada, classroom.org)
    post_chat_message(ctx=ada, session=classroom.session, body="Hello", client_event_id="c")
    ask_question(ctx=ada, session=classroom.session, body="Why 4?", client_event_id="q")
    raise_hand(ctx=ada, session=classroom.session, client_event_id="h")
    _more_polls(classroom, range(1))
    with_one_poll = _snapshot_queries(classroom)

    _more_polls(classroom, range(1, 4))
    with_four_polls = _snapshot_queries(classroom)

    assert with_one_poll == with_four_polls == _budget(SNAPSHOT)
