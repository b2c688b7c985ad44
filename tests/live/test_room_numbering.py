"""The room's numbers: taken with the lock in one statement, rolled back with a refused
write, and a chat retry that races its original answered with the original."""

from __future__ import annotations

import pytest
from django.db import transaction

from cadenza.live.models import ChatMessage, LiveSession
from cadenza.live.room.actions import chat as room_chat
from cadenza.live.room.actions.numbering import RoomRefusal, check_room_write, number_next_event
from tests.live.conftest import Classroom, post_as_ada, stored_events


def test_a_number_comes_with_the_state_a_chat_write_checks(classroom: Classroom) -> None:
    LiveSession.objects.filter(pk=classroom.session.pk).update(last_seq=41, chat_locked=True)
    with transaction.atomic():
        numbered = number_next_event(classroom.session)
    assert (numbered.seq, numbered.closed, numbered.chat_locked) == (42, False, True)
    assert classroom.session.last_seq == 42
    assert LiveSession.objects.get(pk=classroom.session.pk).last_seq == 42


def test_a_refused_chat_gives_its_number_back(classroom: Classroom) -> None:
    assert post_as_ada(classroom, "first", "c1").seq == 1
    LiveSession.objects.filter(pk=classroom.session.pk).update(chat_locked=True)
    with pytest.raises(RoomRefusal, match="Chat is locked by the hosts"):
        post_as_ada(classroom, "refused", "c2")
    assert LiveSession.objects.get(pk=classroom.session.pk).last_seq == 1
    LiveSession.objects.filter(pk=classroom.session.pk).update(chat_locked=False)
    assert post_as_ada(classroom, "second", "c3").seq == 2
    assert stored_events(classroom.session) == [(1, "live.chat.posted"), (2, "live.chat.posted")]
    assert list(ChatMessage.objects.values_list("seq", "body")) == [(1, "first"), (2, "second")]


def test_a_retry_whose_original_committed_after_the_check_gets_the_original(
    classroom: Classroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = post_as_ada(classroom, "Is it 2 or 4?", "c1")
    # The retry checked for a stored original before the original committed: it found none.
    check = check_room_write  # the function room_chat calls, replaced there below
    monkeypatch.setattr(
        room_chat, "check_room_write", lambda **kw: (check(**kw | {"client_event_id": ""})[0], None)
    )
    retry = post_as_ada(classroom, "Is it 2 or 4?", "c1")
    assert (retry.pk, retry.seq) == (original.pk, 1)
    assert stored_events(classroom.session) == [(1, "live.chat.posted")]
    assert ChatMessage.objects.count() == 1
    assert LiveSession.objects.get(pk=classroom.session.pk).last_seq == 1
