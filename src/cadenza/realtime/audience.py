"""Who a frame is for, as the transport sees it: a person, and a frame's audience.

An audience is a list of user ids and the tags ``HOSTS`` and ``PEERS`` (empty: everyone in the
room). The hub checks it once per socket per frame (``may_see``), so a frame for the hosts
never reaches a learner's socket. The domain app that writes the frame chooses its audience;
the transport only reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

HOSTS = "hosts"
"""Everyone who moderates the room."""
PEERS = "peers"
"""Everyone who does not moderate it."""

AudienceMember = int | str
"""A user id, ``HOSTS`` or ``PEERS``."""


def may_see(audience: Sequence[AudienceMember], *, user_id: int, is_moderator: bool) -> bool:
    """Whether a person may receive an event sent to ``audience`` (empty: everyone)."""
    if not audience:
        return True
    if user_id in audience:
        return True
    return HOSTS in audience if is_moderator else PEERS in audience


@dataclass(frozen=True, slots=True, kw_only=True)
class Person:
    """A person in a room, as presence counts and announces them."""

    user_id: int
    name: str
