"""Template helpers shared by every page: Markdown, times in the viewer's zone, and the one
page-level widening of the Content-Security-Policy (``allow_on_this_page``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cadenza.lib.markdown import render_markdown
from cadenza.web.csp import allow_on_this_page as _allow_on_this_page

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render Markdown; the output is sanitized by an allow-list, so it is marked safe."""
    return mark_safe(render_markdown(text or ""))  # noqa: S308 - sanitized by nh3


@register.filter
def local_time(value: datetime | None) -> str:
    """A moment in the viewer's zone, with the zone named: "25 Nov 2026, 15:33 (Europe/Paris)"."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    zone = timezone.get_current_timezone_name()
    return f"{local:%-d %b %Y, %H:%M} ({zone})"


@register.filter
def duration(seconds: float | int | None) -> str:
    """Seconds as "1 h 05 min", "12 min" or "45 s", for time spent and video lengths."""
    total = int(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"


@register.simple_tag(takes_context=True)
def allow_on_this_page(context: dict[str, Any], directive: str, url: str) -> str:
    """Let this page's Content-Security-Policy allow ``url``'s origin for ``directive``.

    Written next to what loads from that origin (the live room's video provider), so the
    exception is visible where it is needed. Renders nothing.
    """
    request = context.get("request")
    if request is not None:
        _allow_on_this_page(request, directive, url or "")
    return ""
