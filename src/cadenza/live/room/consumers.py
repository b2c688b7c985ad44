"""The live room's websocket: one consumer per connection, thin.

Connect: session cookie (``socket_auth``), Origin (exactly the site's own, ``socket_origin``)
and ``access_room`` (session -> organization -> membership -> enrolment; removed people
refused), then for learners the lobby (not before it opens) and the session's capacity, are
checked before the handshake is accepted. The socket registers with this process's room hub
(whose sweep re-checks admission every few seconds and closes the socket when it is lost),
joins its person's channel-layer group (so a host's removal closes it at once), and opens its
presence interval. ``hello`` replays what the client missed (or sends a
snapshot); then the hub's frames reach the socket: written at once by the hub while the
writer task is idle and the server takes finished frames (``cadenza.realtime.websocket_server``),
else sent by the writer from the connection's bounded queue.
Client writes are parsed, re-authorized and handed to one action by ``room_commands``.
The protocol is documented in ``cadenza.live.room.events``.

Every database call goes through ``in_database_thread`` (on PostgreSQL, the loop's worker
threads over the connection pool, so a chat write never queues behind another socket's join),
and incoming frames skip Channels' per-message ``close_old_connections`` thread hop (our calls
close their connections themselves).

A Redis outage never ends a socket or fails a handshake: the channel layer
(``channel_layer``) waits it out and re-joins the person's group, the hub's subscription
catches the room up from the database, and presence is counted locally meanwhile.

Leaving is guaranteed: a send to a socket the client already closed is dropped (ASGI servers
raise an ``OSError`` there, which would end the consumer before it ever handled
``websocket.disconnect``), and whatever ends the consumer (disconnect, an error, the server
cancelling it) runs ``_depart`` once: presence is counted down and broadcast, the socket
leaves the hub, and its presence interval is closed, each step regardless of the others.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cadenza.live.room.actions.moderation import person_group
from cadenza.live.room.actions.numbering import RoomRefusal
from cadenza.live.room.commands import CommandError, perform, refusal_frame
from cadenza.live.room.events import (
    PONG,
    Typing,
    ack_frame,
    caught_up_frame,
    encode_json,
    error_frame,
)
from cadenza.live.room.history import HISTORY, answer_history
from cadenza.live.room.selectors.room import (
    PRESENT_LISTED,
    RoomAccess,
    access_room,
    events_after,
    in_same_room_part,
    learners_may_share_screen,
    person,
)
from cadenza.live.room.selectors.snapshot import room_snapshot
from cadenza.live.sessions.hooks import session_hooks
from cadenza.live.sessions.stage import learners_may_enter
from cadenza.realtime.connection import RESYNC, RoomConnection
from cadenza.realtime.database import in_database_thread
from cadenza.realtime.hub import RoomHub, get_hub
from cadenza.realtime.websocket_frames import frame_writer

log = logging.getLogger(__name__)

CLOSE_FORBIDDEN = 4403
CLOSE_ROOM_FULL = 4429
"""The room has as many people as its capacity; the client tries again later."""
TYPING_INTERVAL = 2.0
SCREEN_NOT_ALLOWED = "The hosts have not allowed learners to share their screen."


def _join_attendance(access: RoomAccess, connection_id: str) -> None:
    session_hooks().presence.joined(
        session=access.session, user=access.ctx.user, connection_id=connection_id, at=timezone.now()
    )


def _leave_attendance(connection_id: str) -> None:
    session_hooks().presence.left(connection_id=connection_id, at=timezone.now())


class RoomConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    """One participant's socket in one session's room."""

    access: RoomAccess
    connection: RoomConnection
    hub: RoomHub

    async def __call__(
        self,
        scope: dict[str, Any],
        receive: Callable[[], Awaitable[dict[str, Any]]],
        send: Callable[[dict[str, Any]], Awaitable[None]],
    ) -> None:
        self.gone = False
        self.departed = False
        self.arrived = False
        try:
            await super().__call__(scope, receive, self._guarded(send))
        finally:
            # Shielded: a server cancelling the consumer must not cut the departure short.
            await asyncio.shield(self._depart())

    def _guarded(
        self, send: Callable[[dict[str, Any]], Awaitable[None]]
    ) -> Callable[[dict[str, Any]], Awaitable[None]]:
        """The server's ``send``, made harmless once the client is gone: the server raises an
        ``OSError`` (uvicorn's ``ClientDisconnected``) for a frame to a closed socket, and the
        ``websocket.disconnect`` it has queued must still be handled."""

        async def guarded(message: dict[str, Any]) -> None:
            if self.gone:
                return
            try:
                await send(message)
            except OSError:
                self.gone = True

        return guarded

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels' dispatch without its ``close_old_connections`` hop before every handler:
        that hop queued each incoming frame behind the process's database thread, and every
        database call here closes its connections itself (``in_database_thread``)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        self.session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        self.tasks: list[asyncio.Task[None]] = []
        self.helloed = False
        self.last_typing = 0.0
        try:
            self.access = await in_database_thread(access_room)(
                user=self.scope.get("user"), session_id=self.session_id
            )
        except (Http404, PermissionDenied, AttributeError):
            await self._refuse(CLOSE_FORBIDDEN)
            return
        self.hub = get_hub()
        refusal = await self._refusal()
        if refusal is not None:
            await self._refuse(refusal)
            return
        self.connection_id = uuid.uuid4().hex
        self.connection = await self.hub.join(
            session_id=self.session_id,
            person=person(self.access.ctx.user),
            is_moderator=self.access.is_moderator,
            connection_id=self.connection_id,
            on_revoked=self._revoked,
        )
        self.connection.write_now = frame_writer(self.scope)
        await self.channel_layer.group_add(person_group(self.access.ctx.user.pk), self.channel_name)
        await self.accept()
        await in_database_thread(_join_attendance)(self.access, self.connection_id)
        await self.hub.arrive(self.connection)
        self.arrived = True

    async def _refuse(self, code: int) -> None:
        """Accept, then close with ``code``: a socket closed before the handshake is an HTTP
        403 that browsers report as code 1006, which the page would retry for ever; the close
        code tells it why (removed, not admitted, the room full)."""
        await self.accept()
        await self.close(code=code)

    async def _refusal(self) -> int | None:
        """Why a learner may not come in now (a close code), or None. Hosts and admins always
        may: they prepare the room before the lobby opens, and a full room still needs them."""
        if self.access.is_moderator:
            return None
        session = self.access.session
        if not learners_may_enter(session, now=timezone.now()):
            return CLOSE_FORBIDDEN
        if session.capacity:
            counter = self.hub.presence_counter()
            count = await counter.count(self.session_id)
            here = await counter.includes(self.session_id, self.access.ctx.user.pk)
            if count >= session.capacity and not here:
                return CLOSE_ROOM_FULL
        return None

    def _revoked(self) -> None:
        """The hub's sweep found that this person lost access: close the socket."""
        self.tasks.append(asyncio.create_task(self.close(code=CLOSE_FORBIDDEN)))

    async def disconnect(self, code: int) -> None:
        await self._depart()

    async def _depart(self) -> None:
        """Leave the room once, each step whatever happened to the one before: stop the
        socket's tasks; count the person out and tell the room (before the socket leaves the
        hub, so the count is the room's); leave the hub and the person's group; close the
        presence interval in the database (``leave_room`` is idempotent)."""
        if getattr(self, "departed", True) or not hasattr(self, "connection"):
            return
        self.departed = True
        connection = self.connection
        for task in self.tasks:
            task.cancel()
        if self.arrived:
            try:
                await self.hub.depart(connection)
            except Exception:
                log.exception("room presence: departure not counted in session %s", self.session_id)
        try:
            await self.hub.leave(connection)
        except Exception:
            log.exception("room hub: socket not unregistered in session %s", self.session_id)
        try:
            await self.channel_layer.group_discard(
                person_group(self.access.ctx.user.pk), self.channel_name
            )
        except Exception:
            log.exception("room: person group not left in session %s", self.session_id)
        try:
            await in_database_thread(_leave_attendance)(self.connection_id)
        except Exception:
            log.exception("room attendance: interval not closed in session %s", self.session_id)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            data = json.loads(text_data or "")
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("type"), str):
            await self.send(text_data=error_frame(detail="Send JSON objects with a type."))
            return
        kind = data["type"]
        if kind == "hello":
            await self._hello(data)
        elif kind == "ping":
            await self.send(text_data=PONG)
        elif kind == "typing":
            await self._typing()
        elif kind.startswith("live.rtc."):
            await self._signal(data)
        elif kind == HISTORY:
            await self.send(text_data=await answer_history(self.access, data))
        else:
            await self._write(data)

    # Reading: replay, snapshot, then the hub's frames

    async def _hello(self, data: dict[str, Any]) -> None:
        last_seq = data.get("last_seq", 0)
        if self.helloed or not isinstance(last_seq, int) or isinstance(last_seq, bool):
            await self.send(text_data=error_frame(detail="Send one hello with a whole last_seq."))
            return
        self.helloed = True
        await self._catch_up(max(last_seq, 0))
        self.tasks.append(asyncio.create_task(self._write_frames()))

    async def _catch_up(self, after: int) -> None:
        replay = await in_database_thread(events_after)(self.access, after=after)
        if replay is None:
            count, present = await self.hub.present(self.session_id, listed=PRESENT_LISTED)
            snapshot = await in_database_thread(room_snapshot)(
                self.access, present=present, present_count=count
            )
            await self.send(text_data=snapshot.encode())
            self.connection.sent_seq = snapshot.seq
        else:
            for frame in replay.frames:
                await self.send(text_data=frame)
            self.connection.sent_seq = replay.seq
        await self.send(text_data=caught_up_frame(seq=self.connection.sent_seq))

    async def _write_frames(self) -> None:
        """Send what the hub queued. While this waits on an empty queue (``idle``), the hub
        writes frames to the socket itself; a frame it queued (the socket could not take it
        then) is sent here, through the server's send, which waits for a slow reader."""
        connection = self.connection
        queue = connection.queue
        while True:
            connection.idle = True
            seq, frame = await queue.get()
            connection.idle = False
            if seq == RESYNC:
                connection.behind = False
                await self._catch_up(connection.sent_seq)
            elif seq == 0 or seq > connection.sent_seq:
                # Straight to the server's send: skips Channels' two wrappers.
                await self.base_send({"type": "websocket.send", "text": frame.text})
                if seq:
                    connection.sent_seq = seq

    # Writing

    async def _write(self, data: dict[str, Any]) -> None:
        cid = data.get("client_event_id")
        echo = cid if isinstance(cid, str) else None
        try:
            seq = await in_database_thread(perform)(
                user=self.access.ctx.user, session_id=self.session_id, data=data
            )
        except Http404:
            await self.send(
                text_data=error_frame(
                    detail="You no longer have access to this session.", client_event_id=echo
                )
            )
            await self.close(code=CLOSE_FORBIDDEN)
            return
        except (CommandError, RoomRefusal, PermissionDenied) as refusal:
            await self.send(text_data=refusal_frame(refusal, client_event_id=echo))
            return
        except Exception:
            log.exception("room write failed in session %s", self.session_id)
            await self.send(
                text_data=error_frame(
                    detail="The server could not store this; try again.",
                    client_event_id=echo,
                    code="unavailable",
                )
            )
            return
        await self.send(text_data=ack_frame(client_event_id=str(cid), seq=seq))

    # Ephemeral: typing, video signalling (presence is the hub's)

    async def _typing(self) -> None:
        now = time.monotonic()
        if now - self.last_typing < TYPING_INTERVAL:
            return
        self.last_typing = now
        frame = Typing(person=person(self.access.ctx.user)).encode()
        await self.hub.broadcast_ephemeral(session_id=self.session_id, frame=frame)

    async def _signal(self, data: dict[str, Any]) -> None:
        from cadenza.live.sessions.video_signalling import (
            SessionDescription,
            SignalError,
            carries_screen,
            parse_signal,
        )

        try:
            signal = parse_signal(data, sender_id=self.access.ctx.user.pk)
        except SignalError as error:
            await self.send(text_data=error_frame(detail=error.detail))
            return
        if (
            isinstance(signal, SessionDescription)
            and not self.access.is_moderator
            and carries_screen(signal.sdp)
            and not await in_database_thread(learners_may_share_screen)(self.access.session)
        ):
            await self.send(text_data=error_frame(detail=SCREEN_NOT_ALLOWED))
            return
        same_part = await in_database_thread(in_same_room_part)(
            self.access.session, user_id=signal.from_user_id, other_id=signal.to_user_id
        )
        if not same_part:
            await self.send(
                text_data=error_frame(
                    detail="That person is in another part of the room (each breakout room "
                    "has its own video)."
                )
            )
            return
        await self.channel_layer.group_send(
            person_group(signal.to_user_id),
            {
                "type": "live.person.frame",
                "session_id": self.session_id,
                "text": encode_json(signal.frame()),
            },
        )

    # Per-person messages through the channel layer

    async def live_person_revoked(self, message: dict[str, Any]) -> None:
        if message.get("session_id") in (None, self.session_id):
            await self.close(code=CLOSE_FORBIDDEN)

    async def live_person_frame(self, message: dict[str, Any]) -> None:
        if message.get("session_id") == self.session_id:
            await self.send(text_data=message["text"])
