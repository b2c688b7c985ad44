"""The room hub's wire: the Redis channel of a room and the one text published per event,
and ``publish_event``, which actions call after commit.

Message on the wire: ``"<seq>\\n<audience JSON>\\n<frame>"``; ``seq`` 0 is an ephemeral frame
(presence, typing) that is relayed without a sequence check.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence

import redis
from django.conf import settings

from cadenza.live.events import AudienceMember
from cadenza.live.redis_pool import REDIS_ERRORS, outage, sync_pool

log = logging.getLogger(__name__)


def hub_prefix() -> str:
    """The key prefix of the room channels (distinct per install or test run)."""
    return str(
        getattr(settings, "LIVE_HUB_PREFIX", "") or os.environ.get("LIVE_HUB_PREFIX", "cadenza")
    )


def room_channel(prefix: str, session_id: int) -> str:
    return f"{prefix}:live-room:{session_id}"


def wire_message(*, seq: int, audience: Sequence[AudienceMember], frame: str) -> str:
    return f"{seq}\n{json.dumps(list(audience), separators=(',', ':'))}\n{frame}"


_sync_clients: dict[str, redis.Redis] = {}


def publish_event(
    *, session_id: int, seq: int, audience: Sequence[AudienceMember], frame: str
) -> None:
    """Publish one committed event to every process's hub (called after commit, any thread).

    A failure is logged (once per outage), never raised, and fails fast (no retry loop that
    would hold the writer's thread): the event is stored, and hubs fill the gap from the
    database at the room's next event or when Redis comes back.
    """
    text = wire_message(seq=seq, audience=audience, frame=frame)
    url = settings.REDIS_URL
    if not url:
        from cadenza.live.hub import deliver_locally

        deliver_locally(session_id, text)
        return
    try:
        client = _sync_clients.get(url)
        if client is None:
            client = _sync_clients[url] = redis.Redis(connection_pool=sync_pool(url))
        client.publish(room_channel(hub_prefix(), session_id), text)
    except REDIS_ERRORS as error:
        outage.lost("room event publisher", error)
        log.debug("room hub: event %s of session %s not published", seq, session_id)
    except redis.RedisError:
        log.warning("room hub: could not publish event %s of session %s", seq, session_id)
    else:
        if outage.ongoing:
            outage.back("room event publisher")
