"""Where to go after a form, as the form said: only a path on this site.

A form may carry where the person was going (``next``: the session page whose join link sent
them to enrol). The value comes from the request, so it is taken only when it is a path of
this site ("/o/harbour/live/7/"): an absolute URL, a scheme-relative one ("//evil.example"),
a backslash trick ("/\\evil.example") or a control character is refused, and the caller goes
to its own default instead (an open redirect would let a link on another site send people
wherever it likes through Cadenza's address).
"""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def same_site_path(value: str | None) -> str | None:
    """``value`` when it is a path on this site, else None."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in value):
        return None
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return None
    return value
