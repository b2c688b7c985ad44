"""The numbers of a player's periodic report, from a form or a JSON body.

A video player (a unit's, a replay's: ``learning/unit_progress.js``) reports how far it got as
named numbers, sent as a form when the page unloads (``sendBeacon``) and as JSON otherwise.
Both are read here the same way; the ranges are the actions' rules, not this module's.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any

from django.http import HttpRequest


def report_numbers(
    request: HttpRequest, names: Sequence[str], *, required: Collection[str] = ()
) -> dict[str, float | None] | str:
    """The numbers ``names`` of the request's body (form or JSON object), a missing or empty
    one as None; or a message saying what is wrong: a body that is not a JSON object, a value
    that is not a number (a boolean is not one), or a ``required`` name missing."""
    source: dict[str, Any]
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return "The body is not valid JSON."
        if not isinstance(body, dict):
            return "The body must be a JSON object."
        source = body
    else:
        source = {name: request.POST.get(name) for name in names}
    numbers: dict[str, float | None] = {}
    for name in names:
        raw = source.get(name)
        if raw is None or raw == "":
            numbers[name] = None
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            return f"{name} must be a number."
        try:
            numbers[name] = float(raw)
        except ValueError:
            return f"{name} must be a number."
    for name in names:
        if name in required and numbers[name] is None:
            return f"{name} is required."
    return numbers
