"""The server's garbage-collector tuning (``cadenza.config.collector``): what it sets, from the
setting ``SERVER_GC_THRESHOLDS``; and that setting read from the environment in settings.py,
with a clear error for a malformed value. Each test puts CPython's state back."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from cadenza.config.collector import tune_for_serving
from tests.config.test_deploy_settings import run_cadenza


@pytest.fixture(autouse=True)
def _restore_the_collector() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_a_server_freezes_what_exists_and_collects_the_young_less_often(
    settings: Settings,
) -> None:
    settings.SERVER_GC_THRESHOLDS = (50_000, 20, 10)
    assert tune_for_serving() == (50_000, 20, 10)
    assert gc.get_threshold() == (50_000, 20, 10)
    assert gc.get_freeze_count() > 0


def test_the_thresholds_are_the_setting(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SERVER_GC_THRESHOLDS = (700, 10, 10)
    monkeypatch.setenv("CADENZA_GC_THRESHOLDS", "900,9,9")  # read by settings.py, not here
    assert tune_for_serving() == (700, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def _show_thresholds(tmp_path: Path, raw: str | None) -> tuple[int, str, str]:
    env = {"PATH": os.environ["PATH"], "CADENZA_DATA_DIR": str(tmp_path), "DEBUG": "1"}
    if raw is not None:
        env["CADENZA_GC_THRESHOLDS"] = raw
    show = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SERVER_GC_THRESHOLDS)",
    ]
    result = run_cadenza(show, env)
    return result.returncode, result.stdout.strip(), result.stderr


def test_settings_read_the_thresholds_from_the_environment(tmp_path: Path) -> None:
    assert _show_thresholds(tmp_path, None)[:2] == (0, "(50000, 20, 10)")
    assert _show_thresholds(tmp_path, "700, 10,10")[:2] == (0, "(700, 10, 10)")


def test_a_malformed_value_stops_the_start_with_a_clear_error(tmp_path: Path) -> None:
    returncode, stdout, stderr = _show_thresholds(tmp_path, "0,10,10")
    assert (returncode, stdout) == (1, "")
    assert stderr.strip().splitlines()[-1] == (
        "ValueError: CADENZA_GC_THRESHOLDS='0,10,10' is not 3 positive whole numbers "
        "separated by commas (e.g. 50000,20,10)"
    )
