"""Token buckets: at most ``burst`` actions at once, refilled at ``per_second``.

A bucket per key (a person and a kind of write, say) starts full; each action takes one
token; an empty bucket answers how long until the next token. Buckets live in this process's
memory, behind a lock (callers run on several threads), and a bucket that has refilled is
forgotten, so memory grows with the people acting right now, not with everyone ever seen.

The clock is injectable: tests move time instead of sleeping.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rate:
    """``burst`` actions at once, then ``per_second`` on average."""

    per_second: float
    burst: int

    def __post_init__(self) -> None:
        if self.per_second <= 0 or self.burst < 1:
            raise ValueError("A rate needs more than 0 per second and a burst of at least 1.")


def parse_rates(text: str, *, defaults: dict[str, Rate]) -> dict[str, Rate]:
    """``"chat=1/8,votes=2/10"`` (kind=per_second/burst, comma-separated) over ``defaults``;
    a kind not named keeps its default. An unknown kind or a malformed rate is an error,
    so a typo in the environment fails at start-up instead of silently not limiting."""
    rates = dict(defaults)
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        kind, _, value = item.partition("=")
        per_second, _, burst = value.partition("/")
        kind = kind.strip()
        if kind not in defaults:
            raise ValueError(f"Unknown rate {kind!r} in {text!r} (known: {', '.join(defaults)}).")
        try:
            rates[kind] = Rate(per_second=float(per_second), burst=int(burst))
        except ValueError as error:
            raise ValueError(f"{item!r} is not kind=per_second/burst ({error}).") from None
    return rates


class TokenBuckets:
    """One bucket per key, all in this process."""

    PRUNE_AT = 10_000
    """Past this many buckets, the full ones are dropped (a full bucket is the default)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._buckets: dict[Hashable, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: Hashable, rate: Rate) -> float:
        """Take a token for ``key``: 0.0 when taken, else the seconds until one is free."""
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.get(key, (float(rate.burst), now))
            tokens = min(float(rate.burst), tokens + (now - at) * rate.per_second)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return (1.0 - tokens) / rate.per_second
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > self.PRUNE_AT:
                self._prune(now, rate)
            return 0.0

    def clear(self) -> None:
        with self._lock:
            self._buckets.clear()

    def _prune(self, now: float, rate: Rate) -> None:
        """Forget the buckets that have refilled (at ``rate``, the slowest a caller uses is
        not known here, so a bucket of a slower kind may come back full: a little lenient)."""
        refilled = [
            key
            for key, (tokens, at) in self._buckets.items()
            if tokens + (now - at) * rate.per_second >= rate.burst
        ]
        for key in refilled:
            del self._buckets[key]
