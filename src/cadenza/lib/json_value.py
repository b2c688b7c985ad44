"""The type of a JSON value, for code that builds JSON by hand (video join details, the
built-in video's signalling messages)."""

from __future__ import annotations

JsonValue = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]
