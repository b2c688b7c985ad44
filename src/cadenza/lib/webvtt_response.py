"""A stored caption file as the player's ``<track>`` reads it.

Every caption track (a unit's, a live session's recording's) is served the same way: the
sanitized copy Cadenza wrote (``cadenza.lib.webvtt.write_webvtt``), as ``text/vtt`` with
``nosniff`` so no browser reads it as anything else, private to the person who may see the
video, and asked for again after a change (a replaced file keeps its address).
"""

from __future__ import annotations

from django.http import HttpResponse


def webvtt_response(vtt: str) -> HttpResponse:
    """``vtt`` (a file written by ``write_webvtt``) as the answer to a track's request."""
    response = HttpResponse(vtt, content_type="text/vtt; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
