"""The process's sweep over its room sockets: admission, heartbeat, ping.

Per socket, these cost a database round trip each: every socket re-checking its access and
writing its presence heartbeat every 25 s was, at 1,000 people, 40 database calls a second per
process, and they queued in front of the room's chat writes (docs/performance.md). The sweep
does the same work per process instead:

- every ``every`` seconds (``LIVE_SWEEP_SECONDS``), one admission check per room for all of
  its local sockets (``rooms.Admission.admitted``; the live room's rule is
  ``cadenza.live.sessions.admission.admitted_people``); the sockets of anyone no longer
  admitted (un-enrolled, removed from the organization or the session, deactivated) are
  closed, so revoking access takes effect within seconds whoever revoked it;
- every ``HEARTBEAT_SECONDS``, one write that keeps all local presence intervals alive
  (``Admission.heartbeat``: a server that dies leaves its intervals ending at their last
  heartbeat), and a ping frame to each socket through its queue (proxies drop idle
  connections).

The sweep is handed what it sweeps (``Swept``: the hub), so it does not import the hub.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import Protocol

from django.utils import timezone

from cadenza.realtime.connection import RoomConnection
from cadenza.realtime.database import in_database_thread
from cadenza.realtime.rooms import Rooms
from cadenza.realtime.websocket_frames import OutgoingFrame
from cadenza.realtime.wire import PING

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 25.0


class Swept(Protocol):
    """What the sweep needs of a hub: its rooms' local sockets and the domain's checks."""

    rooms: Rooms

    def local_rooms(self) -> dict[int, list[RoomConnection]]: ...


async def sweep_forever(hub: Swept, *, every: float) -> None:
    """Sweep every ``every`` seconds until cancelled (when the hub closes)."""
    last_heartbeat = time.monotonic()
    while True:
        await asyncio.sleep(every)
        heartbeat = time.monotonic() - last_heartbeat >= HEARTBEAT_SECONDS - every / 2
        if heartbeat:
            last_heartbeat = time.monotonic()
        try:
            await sweep(hub, heartbeat=heartbeat)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("room sweep failed; the next one retries")


async def sweep(hub: Swept, *, heartbeat: bool, now: datetime | None = None) -> int:
    """One sweep of the hub's rooms; answers how many sockets were found no longer admitted.
    ``now`` dates the heartbeat (default: the current time)."""
    revoked = 0
    admission = hub.rooms.admission
    rooms = hub.local_rooms()
    for session_id, connections in rooms.items():
        people = {connection.user_id for connection in connections}
        admitted = await in_database_thread(admission.admitted)(
            session_id=session_id, user_ids=people
        )
        for connection in connections:
            if connection.user_id not in admitted and not connection.revoked:
                connection.revoke()
                revoked += 1
    if heartbeat:
        alive = [c for connections in rooms.values() for c in connections if not c.revoked]
        ids = [c.connection_id for c in alive if c.connection_id]
        if ids:
            await in_database_thread(admission.heartbeat)(
                connection_ids=ids, at=now or timezone.now()
            )
        ping = OutgoingFrame(PING)
        for connection in alive:
            connection.offer(0, ping)
    return revoked
