"""The server's websocket protocol: uvicorn's, plus a writer of finished frames for the room.

``cadenza serve`` runs uvicorn with this protocol (``--ws`` takes its import path too). It is
uvicorn's own sans-I/O websocket protocol with one addition: the socket's ASGI scope carries
the ``cadenza.websocket.preframed`` extension (``cadenza.realtime.websocket_frames``), a synchronous
``write`` that puts a finished text frame on the socket's transport when the socket can take
it now. The live room's hub builds each event's frame once per process and writes it to every
local socket this way (decision 0009); everything else (handshake, close, pings, reading,
flow control, shutdown) stays uvicorn's.

``write`` declines (returns False) unless the handshake is done, nothing was closed by either
side, and the transport is not paused by flow control; the caller then uses the ordinary ASGI
send, which waits for a paused socket and reports a gone one. Frames are whole messages written
by one ``transport.write`` on the server's one loop, so they never interleave with uvicorn's
own frames (pings, pongs, the close frame). The state it reads is uvicorn's
(``handshake_complete``, ``close_sent``, ``disconnected``, ``initial_response``, ``writable``,
``transport``); ``tests/web/test_websocket_server.py`` runs a real server to catch a change.
"""

from __future__ import annotations

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.http11 import Request

from cadenza.realtime.websocket_frames import PREFRAMED

WS_PROTOCOL = "cadenza.realtime.websocket_server:RoomWebSocketProtocol"
"""The import path uvicorn's ``ws`` setting (``--ws``) takes."""


class RoomWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websocket protocol, offering the room a writer of finished frames."""

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        # uvicorn built the scope and scheduled the application, which has not run yet.
        scope = getattr(self, "scope", None)
        if scope is not None and self.response.status_code == 101:
            extensions = scope.setdefault("extensions", {})
            if extensions is not None:
                extensions[PREFRAMED] = {"write": self.write_frame}

    def write_frame(self, frame: bytes) -> bool:
        """Write one finished frame now, or say why not by returning False (see the module)."""
        if (
            not self.handshake_complete
            or self.close_sent
            or self.disconnected
            or self.initial_response is not None
            or not self.writable.is_set()
            or self.transport.is_closing()
        ):
            return False
        self.transport.write(frame)
        return True
