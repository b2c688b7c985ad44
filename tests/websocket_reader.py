"""Reading finished websocket frames back with the websockets library's own parser."""

from __future__ import annotations

from websockets.frames import Frame
from websockets.streams import StreamReader


def read_frames(data: bytes) -> list[Frame]:
    """Every frame in ``data``, parsed as a client parses what a server sends (unmasked)."""
    reader = StreamReader()
    reader.feed_data(data)
    frames = []
    while reader.buffer:
        parser = Frame.parse(reader.read_exact, mask=False, max_size=None, extensions=None)
        try:
            next(parser)
        except StopIteration as done:
            frames.append(done.value)
        else:
            raise AssertionError("the data ends inside a frame")
    return frames
