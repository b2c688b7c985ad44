"""The transport's figures come from the settings, read when the hub is made: nothing in
``cadenza.realtime`` reads the environment or keeps a default of its own that could contradict
``settings.py`` (the hub once flushed at once where the settings said every 50 ms)."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from cadenza.realtime.hub import RoomHub
from cadenza.realtime.presence import PresenceCounter
from cadenza.realtime.wire import hub_prefix


def test_a_hub_made_without_figures_takes_every_one_from_the_settings(
    settings: Settings,
) -> None:
    settings.REDIS_URL = ""
    settings.LIVE_HUB_PREFIX = "from-settings"
    settings.LIVE_PRESENCE_INTERVAL = 0.7
    settings.LIVE_SWEEP_SECONDS = 3.0
    settings.LIVE_FLUSH_SECONDS = 0.04
    settings.LIVE_PRESENCE_LEASE_SECONDS = 9.0

    hub = RoomHub()

    assert (
        hub.redis_url,
        hub.prefix,
        hub.presence_interval,
        hub.sweep_seconds,
        hub.flush_window,
        hub.lease_seconds,
    ) == ("", "from-settings", 0.7, 3.0, 0.04, 9.0)


def test_the_channel_prefix_is_the_settings_not_the_environment(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIVE_HUB_PREFIX", "from-the-environment")
    settings.LIVE_HUB_PREFIX = "from-settings"
    assert hub_prefix() == "from-settings"


def test_presence_leases_last_as_long_as_the_settings_say(settings: Settings) -> None:
    settings.LIVE_PRESENCE_LEASE_SECONDS = 8.0
    assert PresenceCounter(client=None, prefix="p").lease_seconds == 8.0
