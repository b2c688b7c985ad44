"""Production settings pass Django's deployment checklist; the embedded default needs nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src"


def run_cadenza(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``cadenza ARGS`` with only ``env``, on this tree's code (not another checkout's that the
    virtualenv may have installed)."""
    return subprocess.run(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "cadenza.config.cli", *args],
        env={**env, "PYTHONPATH": str(SOURCE)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "CADENZA_DATA_DIR": str(tmp_path),
        "DEBUG": "0",
        "SECRET_KEY": "x7Vq-production-secret-" + "k" * 40,
        "ALLOWED_HOSTS": "learn.example.org",
    }
    result = run_cadenza(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    # The one silenced check is axes.W002, which looks for axes' middleware by its dotted name;
    # ours is its subclass (accounts/login_throttle.py), so the throttle does run.
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_embedded_default_generates_and_keeps_one_secret_key(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "CADENZA_DATA_DIR": str(tmp_path), "DEBUG": "1"}
    show_key = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.SECRET_KEY)",
    ]
    first = run_cadenza(show_key, env)
    second = run_cadenza(show_key, env)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert first.stdout.strip() == key
    assert second.stdout.strip() == key
    assert len(key) >= 50
