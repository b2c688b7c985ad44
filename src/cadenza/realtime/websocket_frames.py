"""Server-to-client websocket text frames, built once and written to many sockets.

A frame a server sends is not masked (RFC 6455, section 5.1), so the bytes of one text frame
are the same for every socket that receives it. The live room sends each event to hundreds of
sockets per process; building the frame once and writing the same bytes to each socket's
transport replaces, per socket and per event, the ASGI ``websocket.send`` round: the UTF-8
encoding, the websocket library's frame object, its serialization and two coroutines
(decision 0009).

The server offers this through an ASGI scope extension, ``PREFRAMED``, whose ``write`` takes a
finished frame and returns whether it was written now. It returns False when the socket cannot
take it now (the client reads slowly and the server paused writing, or the socket is closing):
the caller then sends the text the ordinary way, which waits for the socket or reports it gone.
Servers without the extension (tests' in-memory clients, other ASGI servers) only ever get the
ordinary way.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Mapping
from typing import Any

PREFRAMED = "cadenza.websocket.preframed"
"""The ASGI scope extension: ``{"write": Callable[[bytes], bool]}``."""

FrameWriter = Callable[[bytes], bool]

_FIN_TEXT = 0x81
"""FIN set, no RSV bits (no compression), opcode 0x1: one whole text message."""


def text_frame(text: str) -> bytes:
    """One unmasked, unfragmented websocket text frame carrying ``text`` (RFC 6455 5.2):
    a 7-bit length up to 125 bytes, else 126 and a 16-bit length, else 127 and a 64-bit one."""
    payload = text.encode()
    size = len(payload)
    if size < 126:
        header = struct.pack("!BB", _FIN_TEXT, size)
    elif size < 1 << 16:
        header = struct.pack("!BBH", _FIN_TEXT, 126, size)
    else:
        header = struct.pack("!BBQ", _FIN_TEXT, 127, size)
    return header + payload


def frame_writer(scope: Mapping[str, Any]) -> FrameWriter | None:
    """The server's writer of finished frames for this socket, when the server offers one."""
    extension = (scope.get("extensions") or {}).get(PREFRAMED)
    if not isinstance(extension, Mapping):
        return None
    write = extension.get("write")
    return write if callable(write) else None


class OutgoingFrame:
    """One frame for many sockets: the text (for the ordinary ASGI send) and, built on first
    use, the finished websocket frame (for servers that take one)."""

    __slots__ = ("_wire", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._wire: bytes | None = None

    def wire(self) -> bytes:
        if self._wire is None:
            self._wire = text_frame(self.text)
        return self._wire
