"""Frames for one person's own socket (``/ws/me/``, ``cadenza.realtime.personal``), sent from
synchronous code after commit. Imports no Channels (actions call it): the message goes through
``publish.send_to_group`` to the person's channel-layer group, so it reaches every socket the
person has open, in any server process. At most once, like every channel-layer message: what
a frame carries is state (the unread count), which the socket's ``hello`` sends again."""

from __future__ import annotations

from cadenza.realtime.publish import send_to_group

FRAME = "personal.frame"
REVOKED = "personal.revoked"


def personal_group(user_id: int) -> str:
    """The channel-layer group of every personal socket of one person."""
    return f"me.{user_id}"


def send_to_person(user_id: int, frame: str) -> None:
    """Hand an encoded frame to each of the person's sockets (never raises)."""
    send_to_group(personal_group(user_id), {"type": FRAME, "text": frame})
