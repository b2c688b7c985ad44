"""The socket's Origin check: only the site's own pages may open a room socket.

Channels' ``AllowedHostsOriginValidator`` compares the Origin's host name with
``ALLOWED_HOSTS`` and ignores the scheme and the port, so a page served by anything else on
the same host (``http://127.0.0.1:9999``) could open a socket with the visitor's cookie. This
check is Django's CSRF origin rule, the one every form post of the site passes: the Origin must
be exactly the site's own origin as this request reached it (scheme, host and port; the host
one of ``ALLOWED_HOSTS``, https when the socket is secure or the proxy says so through
``SECURE_PROXY_SSL_HEADER``), or one of ``CSRF_TRUSTED_ORIGINS`` (scheme, host and port; a
``*.`` entry for its subdomains, as Django allows). Anything else is refused before the
handshake (HTTP 403).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

Scope = dict[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]
]

DEFAULT_PORTS = {"http": "80", "https": "443"}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin1")
    return None


def _origin_parts(origin: str) -> tuple[str, str, str] | None:
    """(scheme, host, port) of an origin or trusted-origin entry, the port filled in."""
    try:
        parts = urlsplit(origin)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.netloc or parts.path not in ("", "/"):
        return None
    host, port = split_domain_port(parts.netloc)
    if not host:
        return None
    return scheme, host, port or DEFAULT_PORTS[scheme]


def _secure(scope: Scope) -> bool:
    if scope.get("scheme") in ("wss", "https"):
        return True
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        header, secure_value = proxy
        name = header.removeprefix("HTTP_").replace("_", "-").lower().encode()
        forwarded = _header(scope, name)
        if forwarded is not None:
            return bool(forwarded.split(",", 1)[0].strip() == secure_value)
    return False


def site_origin(scope: Scope) -> tuple[str, str, str] | None:
    """The site's own origin as this socket reached it (None: the Host is not allowed)."""
    host_header = _header(scope, b"host")
    if not host_header:
        return None
    host, port = split_domain_port(host_header)
    if not host or not validate_host(host, settings.ALLOWED_HOSTS):
        return None
    scheme = "https" if _secure(scope) else "http"
    return scheme, host, port or DEFAULT_PORTS[scheme]


def is_site_origin(scope: Scope, origin: str | None) -> bool:
    """Whether a socket's Origin header is the site's own (the CSRF rule of the pages)."""
    if not origin:
        return False
    parts = _origin_parts(origin)
    if parts is None:
        return False
    if parts == site_origin(scope):
        return True
    scheme, host, port = parts
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        allowed = _origin_parts(trusted.replace("://*.", "://wildcard.", 1))
        if allowed is None or allowed[0] != scheme or allowed[2] != port:
            continue
        if "://*." in trusted:
            if is_same_domain(host, "." + allowed[1].removeprefix("wildcard.")):
                return True
        elif allowed[1] == host:
            return True
    return False


class SiteOriginValidator:
    """Lets a socket through only when its Origin is the site's own (``is_site_origin``);
    otherwise answers the handshake with a close, which the server sends as HTTP 403."""

    def __init__(self, inner: ASGIApp) -> None:
        self.inner = inner

    async def __call__(
        self,
        scope: Scope,
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        if is_site_origin(scope, _header(scope, b"origin")):
            await self.inner(scope, receive, send)
            return
        message = await receive()
        if message.get("type") == "websocket.connect":
            await send({"type": "websocket.close"})
