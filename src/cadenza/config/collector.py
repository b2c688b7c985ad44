"""The garbage collector's settings for a server process.

Measured in the 5,000-person webinar (docs/performance.md): with CPython's defaults every
server process ran a full collection of 420-610 ms every 5-8 seconds while the room
delivered chat, collecting almost nothing each time. The room's fan-out keeps thousands of
small objects alive for a few milliseconds (a frame waiting in each socket's queue, the task
step that sends it); with a young generation of 700 objects, collections run in the middle of
every fan-out and promote those objects to the old generation, which then fills by a quarter
(CPython's trigger for a full collection) every few seconds. Every delivered frame waiting
behind a half-second pause was late.

So a server process (the ASGI application's import) freezes what exists once Django is set
up (modules, settings, URL patterns: never garbage, no longer scanned) and collects the young
generation every 50,000 allocations instead of 700, so in-flight objects die before a
collection sees them. The thresholds are the setting ``SERVER_GC_THRESHOLDS``
(``CADENZA_GC_THRESHOLDS``, three numbers, e.g. ``700,10,10`` for CPython's defaults; read and
checked in settings.py like every setting).
"""

from __future__ import annotations

import gc

from django.conf import settings


def tune_for_serving() -> tuple[int, ...]:
    """Freeze the objects made so far and set the thresholds; answers the thresholds set."""
    thresholds: tuple[int, ...] = settings.SERVER_GC_THRESHOLDS
    gc.collect()
    gc.freeze()
    gc.set_threshold(*thresholds)
    return thresholds
