"""Reading configuration from the environment (12-factor) with explicit defaults."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, *, default: bool) -> bool:
    """Read a boolean; an unrecognised value is an error rather than a silent default."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off)")


def env_list(name: str, *, default: list[str]) -> list[str]:
    """Read a comma-separated list, ignoring blanks."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_positive_ints(name: str, *, default: tuple[int, ...]) -> tuple[int, ...]:
    """Read as many positive whole numbers as ``default`` has, separated by commas (spaces
    around them allowed); unset or empty is ``default``. Anything else is an error naming
    the variable, its value and what it takes."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    parts = [part.strip() for part in raw.split(",")]
    if len(parts) != len(default) or not all(
        part.isascii() and part.isdigit() and int(part) > 0 for part in parts
    ):
        example = ",".join(str(number) for number in default)
        raise ValueError(
            f"{name}={raw!r} is not {len(default)} positive whole numbers separated by "
            f"commas (e.g. {example})"
        )
    return tuple(int(part) for part in parts)


def load_or_create_secret_key(path: Path) -> str:
    """Return the embedded install's secret key, generating it once so sessions survive restarts."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
