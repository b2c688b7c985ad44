"""The built-in video's signalling messages: their shapes, limits and what a recipient gets."""

from __future__ import annotations

import pytest

from cadenza.live.sessions.video_signalling import (
    MAX_SDP_BYTES,
    IceMessage,
    SessionDescription,
    SignalError,
    parse_signal,
)

SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
CANDIDATE = {
    "candidate": "candidate:842163049 1 udp 1677729535 192.0.2.7 46154 typ srflx",
    "sdpMid": "0",
    "sdpMLineIndex": 0,
    "usernameFragment": "EsAw",
}


def test_offer_reaches_its_recipient_with_the_sender_set_by_the_server() -> None:
    signal = parse_signal({"type": "live.rtc.offer", "to": 8, "sdp": SDP}, sender_id=3)
    assert signal == SessionDescription(
        type="live.rtc.offer", from_user_id=3, to_user_id=8, sdp=SDP
    )
    assert signal.frame() == {"type": "live.rtc.offer", "from": 3, "to": 8, "sdp": SDP}


def test_answer_may_carry_a_client_event_id() -> None:
    data = {"type": "live.rtc.answer", "to": 3, "sdp": SDP, "client_event_id": "6f1c"}
    assert parse_signal(data, sender_id=8).frame() == {
        "type": "live.rtc.answer",
        "from": 8,
        "to": 3,
        "sdp": SDP,
    }


def test_ice_candidate_and_end_of_candidates() -> None:
    trickled = parse_signal({"type": "live.rtc.ice", "to": 8, "candidate": CANDIDATE}, sender_id=3)
    done = parse_signal({"type": "live.rtc.ice", "to": 8, "candidate": None}, sender_id=3)
    assert trickled.frame() == {"type": "live.rtc.ice", "from": 3, "to": 8, "candidate": CANDIDATE}
    assert done == IceMessage(from_user_id=3, to_user_id=8, candidate=None)


def test_sdp_at_the_size_limit_passes_and_one_byte_more_is_refused() -> None:
    at_limit = SDP + "a" * (MAX_SDP_BYTES - len(SDP))
    parse_signal({"type": "live.rtc.offer", "to": 8, "sdp": at_limit}, sender_id=3)
    with pytest.raises(SignalError, match="larger than 16384 bytes"):
        parse_signal({"type": "live.rtc.offer", "to": 8, "sdp": at_limit + "a"}, sender_id=3)


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        ({"type": "live.rtc.hangup", "to": 8}, "Unknown signalling message 'live.rtc.hangup'."),
        ({"type": "live.rtc.offer", "to": 8, "sdp": SDP, "from": 1}, "Unexpected fields in"),
        ({"type": "live.rtc.offer", "to": 3, "sdp": SDP}, "cannot signal to themselves"),
        ({"type": "live.rtc.offer", "to": "8", "sdp": SDP}, '"to" must be the user id'),
        ({"type": "live.rtc.offer", "to": True, "sdp": SDP}, '"to" must be the user id'),
        ({"type": "live.rtc.offer", "to": 8, "sdp": "<script>"}, '"sdp" must be a session'),
        ({"type": "live.rtc.answer", "to": 8}, '"sdp" must be a session'),
        ({"type": "live.rtc.ice", "to": 8}, '"candidate" is required'),
        ({"type": "live.rtc.ice", "to": 8, "candidate": "x"}, "must be an object or null"),
        (
            {"type": "live.rtc.ice", "to": 8, "candidate": {**CANDIDATE, "x": 1}},
            "Unexpected fields in the candidate: x.",
        ),
        (
            {"type": "live.rtc.ice", "to": 8, "candidate": {**CANDIDATE, "sdpMLineIndex": 5000}},
            '"sdpMLineIndex" must be a number',
        ),
        (
            {"type": "live.rtc.ice", "to": 8, "candidate": {"candidate": "candidate:1"}},
            'needs "sdpMid" or "sdpMLineIndex"',
        ),
        (
            {"type": "live.rtc.ice", "to": 8, "candidate": {**CANDIDATE, "candidate": "x" * 2000}},
            "at most 1024 characters",
        ),
        (
            {"type": "live.rtc.offer", "to": 8, "sdp": SDP, "client_event_id": "x" * 65},
            "client_event_id must be a short string",
        ),
    ],
)
def test_malformed_messages_are_refused_with_a_clear_detail(
    data: dict[str, object], detail: str
) -> None:
    with pytest.raises(SignalError) as raised:
        parse_signal(data, sender_id=3)
    assert detail in raised.value.detail
