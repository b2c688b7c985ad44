"""How fast one person may write in the room: per kind (chat, questions, votes, hands).

One learner's socket once posted 3,666 chat messages in 40 seconds: every other person's
chat scrolled away. Each kind has a token bucket per person (``settings.LIVE_WRITE_LIMITS``,
``CADENZA_LIVE_WRITE_LIMITS``: chat 1 a second after a burst of 10, by default); a write
past it is ``RateLimited`` (the socket's error frame with ``code: "rate_limited"`` and
``retry_after`` in seconds, the API's 429) and is not stored. Hosts' commands (moderation,
polls, breakouts) are not limited: they are few, and a host must never be slowed while
calming a flooded room.

The buckets are this server process's memory (``cadenza.lib.rate_limit``). With several
processes, one person's sockets and API calls spread over them each get a bucket, so the
limit is at most that many times the setting: still a bound on a flood (a socket stays on
its process), and no Redis round trip is added to every write. A shared limit would need
Redis (``REDIS_URL``); it is not worth a network call per chat message today.
"""

from __future__ import annotations

import math

from django.conf import settings

from cadenza.lib.rate_limit import TokenBuckets
from cadenza.live.room.actions.numbering import RoomRefusal
from cadenza.live.room.events.commands import WriteKind

write_buckets = TokenBuckets()
"""This process's buckets, keyed by (user id, kind). Tests set its ``clock``."""


class RateLimited(RoomRefusal):
    """The person wrote this kind of thing too often; ``retry_after`` seconds until the next
    write of that kind is accepted."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = math.ceil(retry_after * 10) / 10
        super().__init__(
            f"You are writing too fast: wait {self.retry_after:g} s and send it again."
        )


def check_write_limit(*, user_id: int, kind: WriteKind | None) -> None:
    """Count one write of ``kind`` by the person, or ``RateLimited`` (nothing counted then
    beyond the attempt: a refused write waits as long as the first refusal said)."""
    if kind is None:
        return
    wait = write_buckets.take((user_id, kind), settings.LIVE_WRITE_LIMITS[kind])
    if wait > 0:
        raise RateLimited(wait)
