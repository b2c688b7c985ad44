"""The Content-Security-Policy of every page, and the few sources a single page may add.

Why: a stored-XSS payload that slipped past the Markdown sanitizer or an escaping mistake would
run with the viewer's session. The policy (``CONTENT_SECURITY_POLICY`` in settings, decision
0010) lets the browser run only our own script files and the inline blocks that carry this
response's nonce, so such a payload stays inert text.

The settings hold the policy every page shares. Two things differ per response, and this
module adds them:

- the site's own websocket origins (``ws://`` and ``wss://`` of the host the page was asked
  for) in ``connect-src``, for the live room's socket (CSP3 browsers already count them as
  ``'self'``; older ones do not);
- the video provider's origin on the live room's page: Jitsi's script and frame and
  BigBlueButton's join redirect come from a host each organization configures, so the room's
  template names them (``{% allow_on_this_page "script-src" join_details.script_url %}``) and
  only that page's answer allows that one host.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase

# Directives a page may widen, one origin at a time; the rest of the policy is fixed.
PAGE_DIRECTIVES = frozenset({"script-src", "frame-src", "form-action", "connect-src", "img-src"})

_HOST = re.compile(r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")
_ATTRIBUTE = "_cadenza_csp_sources"


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) address, or None if there is no plain host.

    Anything that is not a lower-case DNS name or IPv4 address (quotes, spaces, semicolons,
    user info) gives None, so nothing but an origin ever reaches the header.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not _HOST.match(host):
        return None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def allow_on_this_page(request: HttpRequest, directive: str, url: str) -> None:
    """Let this response's policy allow ``url``'s origin for ``directive``.

    Unknown directives are a programming error (ValueError); an empty or odd ``url`` adds
    nothing, so a page without a provider keeps the shared policy.
    """
    if directive not in PAGE_DIRECTIVES:
        raise ValueError(f"a page may not widen {directive!r}")
    origin = origin_of(url) if url else None
    if origin is None:
        return
    sources: dict[str, list[str]] = getattr(request, _ATTRIBUTE, None) or {}
    if origin not in sources.setdefault(directive, []):
        sources[directive].append(origin)
    setattr(request, _ATTRIBUTE, sources)


def _websocket_origins(request: HttpRequest) -> list[str]:
    try:
        host = request.get_host()
    except DisallowedHost:
        return []  # the answer is Django's 400; it needs no socket
    return [f"ws://{host}", f"wss://{host}"]


class PagePolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's websocket origins and the page's own sources
    added to the enforced policy (the report-only policy, if one is ever set, is left as is)."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        update: dict[str, list[str]] = {
            key: list(value) for key, value in (parts.update or {}).items()
        }
        added: dict[str, list[str]] = {"connect-src": _websocket_origins(request)}
        for directive, origins in (getattr(request, _ATTRIBUTE, None) or {}).items():
            added.setdefault(directive, []).extend(origins)
        for directive, origins in added.items():
            if origins:
                update[directive] = [*update.get(directive, []), *origins]
        parts.update = update
        return parts
