"""Finished websocket frames, read back by the websockets library's own frame parser."""

from __future__ import annotations

import pytest
from websockets.frames import Opcode

from cadenza.realtime.websocket_frames import PREFRAMED, OutgoingFrame, frame_writer, text_frame
from tests.websocket_reader import read_frames


@pytest.mark.parametrize(
    ("size", "header"),
    [(0, 2), (125, 2), (126, 4), (65_535, 4), (65_536, 10), (200_000, 10)],
)
def test_a_text_frame_of_any_length_is_one_whole_text_message(size: int, header: int) -> None:
    text = "x" * size
    data = text_frame(text)
    assert len(data) == header + size
    (frame,) = read_frames(data)
    assert (frame.opcode, frame.fin, frame.rsv1) == (Opcode.TEXT, True, False)
    assert bytes(frame.data).decode() == text


def test_the_length_counts_utf8_bytes_not_characters() -> None:
    text = '{"body":"Grüße — 日本語 🎻"}'
    data = text_frame(text)
    assert data[1] == len(text.encode())
    assert [bytes(f.data).decode() for f in read_frames(data + text_frame("next"))] == [
        text,
        "next",
    ]


def test_an_outgoing_frame_is_built_once_for_every_socket() -> None:
    frame = OutgoingFrame('{"type":"live.chat.posted"}')
    first = frame.wire()
    assert first is frame.wire()
    assert first == text_frame('{"type":"live.chat.posted"}')


def test_the_writer_is_taken_from_the_scope_only_when_the_server_offers_one() -> None:
    def write(data: bytes) -> bool:
        return True

    assert frame_writer({"extensions": {PREFRAMED: {"write": write}}}) is write
    assert frame_writer({"extensions": {"websocket.http.response": {}}}) is None
    assert frame_writer({"extensions": None}) is None
    assert frame_writer({}) is None
    assert frame_writer({"extensions": {PREFRAMED: {"write": "not callable"}}}) is None
