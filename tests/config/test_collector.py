"""The server's garbage-collector tuning (``cadenza.config.collector``): what it sets, and a
clear error for a malformed override. Each test puts CPython's state back."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from cadenza.config.collector import SERVER_THRESHOLDS, tune_for_serving


@pytest.fixture(autouse=True)
def _restore_the_collector() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_a_server_freezes_what_exists_and_collects_the_young_less_often(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CADENZA_GC_THRESHOLDS", raising=False)
    assert tune_for_serving() == (50_000, 20, 10) == SERVER_THRESHOLDS
    assert gc.get_threshold() == (50_000, 20, 10)
    assert gc.get_freeze_count() > 0


def test_the_thresholds_can_be_set_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CADENZA_GC_THRESHOLDS", "700,10,10")
    assert tune_for_serving() == (700, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.parametrize("raw", ["700,10", "0,10,10", "a,b,c"])
def test_a_malformed_override_is_refused_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    before = gc.get_threshold()
    monkeypatch.setenv("CADENZA_GC_THRESHOLDS", raw)
    with pytest.raises(ValueError, match="three positive numbers"):
        tune_for_serving()
    assert gc.get_threshold() == before
