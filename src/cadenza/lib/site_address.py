"""The one place that makes a site path an absolute address (links in e-mails, feeds).

Every e-mail is written without a request at hand (an action, a background task), so its
links start with the site's configured address, ``CADENZA_SITE_URL`` (settings derive it when
the environment names none: see ``config/settings.py``). Never the request's host: a
reminder sent by a task and an invitation sent from a page must point to the same place.
"""

from __future__ import annotations

from django.conf import settings


def site_url() -> str:
    """The site's address without a trailing slash: ``https://learn.example.org``."""
    return str(settings.CADENZA_SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (``/o/riverside/...``) on the site's address."""
    return site_url() + "/" + path.lstrip("/")
