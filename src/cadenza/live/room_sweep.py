"""The process's sweep over its room sockets: admission, heartbeat, ping.

Per socket, these cost a database round trip each: every socket re-checking its access and
writing its presence heartbeat every 25 s was, at 1,000 people, 40 database calls a second per
process, and they queued in front of the room's chat writes (docs/performance.md). The sweep
does the same work per process instead:

- every ``every`` seconds (default 5, ``LIVE_SWEEP_SECONDS``), one ``admitted_people`` read per
  room for all of its local sockets; the sockets of anyone no longer admitted (un-enrolled,
  removed from the organization or the session, deactivated) are closed with code 4403, so
  revoking access takes effect within seconds whoever revoked it;
- every ``HEARTBEAT_SECONDS``, one write that keeps all local presence intervals alive (a
  server that dies leaves its intervals ending at their last heartbeat), and a ping frame to
  each socket through its queue (proxies drop idle connections).
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from cadenza.lib.websocket_frames import OutgoingFrame
from cadenza.live.database import in_database_thread
from cadenza.live.events import PING
from cadenza.live.selectors.admission import admitted_people

if TYPE_CHECKING:
    from cadenza.live.hub import RoomHub

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 25.0


def _note_heartbeat(connection_ids: list[str], at: datetime) -> int:
    from cadenza.live.actions.attendance import note_presence_heartbeat

    return note_presence_heartbeat(connection_ids=connection_ids, at=at)


async def sweep_forever(hub: RoomHub, *, every: float) -> None:
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


async def sweep(hub: RoomHub, *, heartbeat: bool, now: datetime | None = None) -> int:
    """One sweep of the hub's rooms; answers how many sockets were found no longer admitted.
    ``now`` dates the heartbeat (default: the current time)."""
    revoked = 0
    rooms = hub.rooms()
    for session_id, connections in rooms.items():
        people = {connection.user_id for connection in connections}
        admitted = await in_database_thread(admitted_people)(session_id=session_id, user_ids=people)
        for connection in connections:
            if connection.user_id not in admitted and not connection.revoked:
                connection.revoke()
                revoked += 1
    if heartbeat:
        alive = [c for connections in rooms.values() for c in connections if not c.revoked]
        ids = [c.connection_id for c in alive if c.connection_id]
        if ids:
            await in_database_thread(_note_heartbeat)(ids, now or timezone.now())
        ping = OutgoingFrame(PING)
        for connection in alive:
            connection.offer(0, ping)
    return revoked
