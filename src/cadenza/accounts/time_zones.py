"""The IANA time zones a person or an organization may choose from."""

from __future__ import annotations

import functools
import zoneinfo


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    """Every IANA zone name, sorted, as form choices; "UTC" first because it is the fallback."""
    zones = sorted(zoneinfo.available_timezones() - {"UTC", "localtime"})
    return [("UTC", "UTC"), *((zone, zone.replace("_", " ")) for zone in zones)]


def is_time_zone(name: str) -> bool:
    """Whether ``name`` is a zone we accept (the same set as the model validator)."""
    return name in zoneinfo.available_timezones()
