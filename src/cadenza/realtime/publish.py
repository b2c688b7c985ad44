"""What domain actions call after commit: ``publish_event`` (one numbered event to every
process's hub) and ``send_to_group`` (one message to a person's sockets through the channel
layer).

This module imports neither the hub nor Channels, so an action that publishes depends on
neither (an import-linter contract keeps Channels out of every ``actions`` module). The
receivers are handed in at startup instead: the process's hub registers itself for the
in-process mode when it is made (``receive_locally_with``), and the realtime app registers the
channel layer's group send (``send_to_groups_with``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import redis
from django.conf import settings

from cadenza.realtime.audience import AudienceMember
from cadenza.realtime.redis_pool import REDIS_ERRORS, outage, sync_pool
from cadenza.realtime.wire import hub_prefix, room_channel, wire_message

log = logging.getLogger(__name__)

LocalReceiver = Callable[[int, str], None]
"""Hands a published message to this process's hub from any thread: (room, message)."""
GroupSender = Callable[[str, dict[str, Any]], None]
"""Sends one message to a channel-layer group from synchronous code: (group, message)."""

_local: LocalReceiver | None = None
_group_sender: GroupSender | None = None
_sync_clients: dict[str, redis.Redis] = {}


def receive_locally_with(receiver: LocalReceiver | None) -> None:
    """The in-process mode's receiver: this process's hub (None: no hub, nothing to hear)."""
    global _local
    _local = receiver


def send_to_groups_with(sender: GroupSender | None) -> None:
    """How ``send_to_group`` reaches the channel layer (set once at startup)."""
    global _group_sender
    _group_sender = sender


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
        receiver = _local
        if receiver is not None:
            receiver(session_id, text)
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


def send_to_group(group: str, message: dict[str, Any]) -> None:
    """Send a message to every socket in a channel-layer group (after commit, synchronous
    code). Never raises: a failure is logged, as a lost per-person message must not undo
    the write that caused it."""
    sender = _group_sender
    if sender is None:
        return
    try:
        sender(group, message)
    except Exception:
        log.warning("could not send %s to group %s", message.get("type"), group, exc_info=True)
